"""List and workspace pages cost the same number of queries however many rows."""

import datetime

from django.urls import reverse

from tirek.cases import actions


def _grow(case, lawyer, *, times: int) -> None:
    actions.criminal_case_link(actor=lawyer, case=case, register_number=f"ERPP-Q-{case.pk}")
    for number in range(times):
        actions.event_record(
            actor=lawyer,
            case=case,
            kind="decision",
            decision="motion_refused",
            occurred_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            received_on=datetime.date(2026, 1, 2) + datetime.timedelta(days=number),
        )
        actions.party_add(actor=lawyer, case=case, role="witness", full_name=f"Witness {number}")
        actions.note_add(actor=lawyer, case=case, title=f"Note {number}", body="text")


def _count(client, url, capture) -> int:
    client.get(url)  # warm the session
    with capture() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_workspace_costs_the_same_with_many_events_parties_and_notes(
    aizada_case, lawyer, as_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(lawyer)
    url = reverse("cases:workspace", args=[aizada_case.number])
    _grow(aizada_case, lawyer, times=1)
    few = _count(client, url, lambda: CaptureQueriesContext(connection))
    _grow(aizada_case, lawyer, times=12)
    many = _count(client, url, lambda: CaptureQueriesContext(connection))
    assert many == few, f"{few} queries with one row each, {many} with thirteen"


def test_the_case_list_costs_the_same_with_many_cases(demo, lawyer, coordinator, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(coordinator)
    url = reverse("cases:list")
    few = _count(client, url, lambda: CaptureQueriesContext(connection))
    for _ in range(15):
        actions.case_open(
            actor=coordinator,
            client=demo["person.child"],
            lawyer=lawyer,
            lawyer_role="victim_representative",
            legal_aid_basis="nrm_victim_status",
        )
    many = _count(client, url, lambda: CaptureQueriesContext(connection))
    assert many == few
