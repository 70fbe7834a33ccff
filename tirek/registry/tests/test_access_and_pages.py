"""Who sees and changes which entries; the pages; the API; the proposal."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.protection.access import register_entries_visible_to
from tirek.registry import actions
from tirek.registry.actions import EntryValues
from tirek.registry.models import RegisterEntry


def _entry_for(lawyer, *, number: int, region: str = "chui") -> RegisterEntry:
    return actions.entry_create(
        actor=None,
        lawyer=lawyer,
        values=EntryValues(
            licence_number=f"KG-Q{number:04d}",
            region=region,
            languages=("ky",),
            tip_certified_on=datetime.date(2025, 1, 1),
            tip_certificate_expires_on=datetime.date(2099, 1, 1),
        ),
    )


def test_it_shows_each_role_the_entries_it_may_see(
    demo, lawyer, coordinator, coordinator_osh, caseworker, administrator
):
    bishkek, osh = demo["entry.lawyer"], demo["entry.lawyer_osh"]
    assert set(register_entries_visible_to(coordinator)) == {bishkek, osh}
    assert set(register_entries_visible_to(coordinator_osh)) == {osh}
    assert set(register_entries_visible_to(lawyer)) == {bishkek}
    assert not register_entries_visible_to(caseworker).exists()
    assert not register_entries_visible_to(administrator).exists()


def test_a_regional_coordinator_edits_their_region_only(as_user, demo, coordinator_osh):
    client = as_user(coordinator_osh)
    bishkek, osh = demo["entry.lawyer"], demo["entry.lawyer_osh"]
    assert client.get(reverse("registry:edit", args=[bishkek.pk])).status_code == 404
    url = reverse("registry:edit", args=[osh.pk])
    assert client.get(url).status_code == 200
    form = {
        "licence_number": "DEMO-0002",
        "region": "osh",
        "districts": "Kara-Suu; Aravan; Nookat",
        "languages": ["ky", "ru", "uz"],
        "gender": "female",
        "specialisations": ["trafficking"],
        "tip_certified_on": "2026-01-01",
        "tip_certificate_expires_on": "2028-01-01",
        "capacity": "6",
        "availability": "available",
    }
    assert client.post(url, form).status_code == 302
    osh.refresh_from_db()
    assert osh.capacity == 6 and osh.districts == ["Kara-Suu", "Aravan", "Nookat"]
    event = AuditEvent.objects.filter(action="register.entry_update", target_id=osh.pk).get()
    assert event.changes["capacity"] == [10, 6]
    # Moving the entry out of the region is refused, with the reason on the page.
    response = client.post(url, {**form, "region": "chui"})
    assert response.status_code == 200
    assert "your own region only" in response.content.decode()
    osh.refresh_from_db()
    assert osh.region == "osh"


def test_the_edit_page_shows_every_problem_with_the_entry(as_user, demo, coordinator):
    url = reverse("registry:edit", args=[demo["entry.lawyer"].pk])
    response = as_user(coordinator).post(
        url,
        {
            "licence_number": "DEMO-0001",
            "region": "bishkek",
            "languages": ["ky"],
            "capacity": "5",
            "availability": "excluded",
            "tip_certified_on": "2026-01-01",
        },
    )
    page = response.content.decode()
    assert "Give the reason for the suspension or exclusion." in page
    assert "Give both the date the TIP certificate was issued" in page


def test_a_lawyer_reads_their_own_entry_only(as_user, lawyer, demo):
    response = as_user(lawyer).get(reverse("registry:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "DEMO-0001" in page and "DEMO-0002" not in page
    assert as_user(lawyer).get(reverse("registry:list")).status_code == 404
    url = reverse("registry:edit", args=[demo["entry.lawyer"].pk])
    assert as_user(lawyer).get(url).status_code == 404


def test_the_list_filters_and_costs_one_query_however_many_rows(
    demo, coordinator, as_user, new_lawyers, django_assert_num_queries
):
    client = as_user(coordinator)
    url = reverse("registry:list")
    client.get(url)  # warm the session

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"region": "chui"}).status_code == 200
        return len(captured)

    _entry_for(new_lawyers[0], number=1)
    few = queries()
    for number, extra in enumerate(new_lawyers[1:], start=2):
        _entry_for(extra, number=number)
    assert queries() == few

    from tirek.registry.queries import Filters, entries_for

    list(entries_for(coordinator))  # the coordinator's roles and office, read once
    for filters, expected in (
        (Filters(region="chui"), 3),
        (Filters(language="uz"), 1),
        (Filters(certified="yes"), 5),
        (Filters(certified="no"), 0),
        (Filters(availability="on_leave"), 0),
    ):
        with django_assert_num_queries(1):
            assert len(list(entries_for(coordinator, filters))) == expected, filters
    page = client.get(url, {"region": "chui"}).content.decode()
    assert "KG-Q0001" in page and "DEMO-0001" not in page


def test_the_caseload_counts_open_cases(demo, coordinator):
    from tirek.registry.queries import entries_for

    entry = entries_for(coordinator).get(pk=demo["entry.lawyer"].pk)
    from tirek.cases.models import LegalAidCase

    assert entry.caseload == LegalAidCase.objects.open().filter(lawyer=entry.lawyer).count()
    assert entry.caseload > 0


# --- API ---------------------------------------------------------------------------


def test_the_api_lists_and_changes_entries_for_coordinators(as_user, demo, coordinator_osh):
    client = as_user(coordinator_osh)
    listed = client.get("/api/v1/registry/entries").json()
    assert [item["licence_number"] for item in listed["results"]] == ["DEMO-0002"]
    osh = demo["entry.lawyer_osh"]
    detail = client.get(f"/api/v1/registry/entries/{osh.pk}").json()
    assert detail["caseload"] >= 0 and detail["region"] == "osh"
    body = {
        key: detail[key]
        for key in (
            "licence_number",
            "region",
            "districts",
            "languages",
            "gender",
            "specialisations",
            "tip_certified_on",
            "tip_certificate_expires_on",
            "capacity",
            "availability",
            "on_leave_until",
            "availability_reason",
            "availability_changed_on",
        )
    }
    body.update(availability="on_leave")
    refused = client.put(
        f"/api/v1/registry/entries/{osh.pk}", body, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "on_leave_until" in refused.json()["error"]["fields"]
    body.update(on_leave_until="2030-01-01")
    saved = client.put(f"/api/v1/registry/entries/{osh.pk}", body, content_type="application/json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["availability"] == "on_leave"
    bishkek = demo["entry.lawyer"]
    assert client.get(f"/api/v1/registry/entries/{bishkek.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["lawyer", "caseworker", "administrator", "analyst"])
def test_the_api_refuses_everyone_but_coordinators(as_user, demo, persona):
    client = as_user(demo[f"user.{persona}"])
    assert client.get("/api/v1/registry/entries").status_code == 404
    assert client.get("/api/v1/registry/proposal?region=osh").status_code == 404


def test_the_proposal_ranks_with_reasons(as_user, demo, coordinator):
    lawyer_osh = demo["entry.lawyer_osh"]
    actions.entry_update(
        actor=None,
        entry=lawyer_osh,
        values=dataclasses.replace(EntryValues.of(lawyer_osh), capacity=50),
    )
    response = as_user(coordinator).get(
        "/api/v1/registry/proposal", {"region": "osh", "languages": "uz", "gender": "female"}
    )
    assert response.status_code == 200
    ranked = response.json()
    assert ranked[0]["lawyer_id"] == demo["user.lawyer_osh"].pk
    assert ranked[0]["rank"] == 1
    codes = {reason["code"] for reason in ranked[0]["reasons"]}
    assert {"region", "language", "gender", "certified"} <= codes
    bad = as_user(coordinator).get("/api/v1/registry/proposal", {"region": "mars"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_the_proposal_flags_a_conflict_in_a_known_criminal_case(as_user, demo, coordinator):
    from tirek.cases.models import LegalAidCase

    case = LegalAidCase.objects.filter(
        lawyer=demo["user.lawyer"], criminal_case__isnull=False
    ).first()
    response = as_user(coordinator).get(
        "/api/v1/registry/proposal",
        {
            "region": "bishkek",
            "criminal_case": case.criminal_case.register_number,
            "lawyer_role": "defence_counsel",
        },
    )
    assert response.status_code == 200
    mine = next(r for r in response.json() if r["lawyer_id"] == demo["user.lawyer"].pk)
    assert "conflict" in {reason["code"] for reason in mine["exclusions"]}


def test_the_demo_is_idempotent(demo):
    from tirek.core.demo import demo_load

    before = RegisterEntry.objects.count()
    demo_load()
    assert RegisterEntry.objects.count() == before == 2


def test_generated_volumes_give_every_lawyer_an_entry_once(db):
    from tirek.accounts.models import User
    from tirek.accounts.roles import Role
    from tirek.core.demo import VOLUMES, demo_generate

    demo_generate(VOLUMES["small"])
    lawyers = User.objects.filter(role_grants__role=Role.LAWYER)
    assert not lawyers.filter(register_entry__isnull=True).exists()
    count = RegisterEntry.objects.count()
    demo_generate(VOLUMES["small"])
    assert RegisterEntry.objects.count() == count == lawyers.count()
