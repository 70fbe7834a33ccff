"""The cases API: who reads what, writes through the actions, 409 on a stale
version with what changed, 404 for others' cases and notes, one error shape,
and lists whose query count does not grow with their rows."""

import datetime

import pytest
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases import actions
from tirek.cases.models import Deadline, LegalAidCase
from tirek.law import procedure

API = "/api/v1"


def open_case(demo, *, lawyer=None, client="person.adult_labour", **extra) -> LegalAidCase:
    return actions.case_open(
        actor=demo["user.coordinator"],
        client=demo[client],
        lawyer=lawyer or demo["user.lawyer"],
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
        **extra,
    )


@pytest.fixture
def own_case(demo) -> LegalAidCase:
    return open_case(demo, safety_notes="Lives at Safe house Demo-7")


@pytest.fixture
def other_case(demo) -> LegalAidCase:
    """Another lawyer's case, in another region (Osh)."""
    return open_case(demo, lawyer=demo["user.lawyer_osh"], client="person.refused_case")


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert error["message"]
    return error


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["results"]]


def a_decision_with_a_deadline() -> tuple[str, str]:
    """A decision code whose recording starts a deadline, per the procedure content."""
    today = timezone.localdate()
    for decision in procedure.decisions():
        computed = procedure.deadlines_for(
            procedure.ProceduralEvent(
                decision=decision.code,
                kind="decision",
                occurred_on=today,
                received_on=today,
                lawyer_role="victim_representative",
            )
        )
        if computed:
            return decision.code, computed[0].rule
    pytest.skip("the procedure content has no decision with a deadline")


# --- Reading ------------------------------------------------------------------------


def test_it_lists_a_lawyers_own_cases_and_the_whole_country_to_the_national_coordinator(
    as_user, lawyer, coordinator, own_case, other_case
):
    mine = numbers(as_user(lawyer).get(f"{API}/cases"))
    assert own_case.number in mine and other_case.number not in mine
    assert set(LegalAidCase.objects.filter(number__in=mine).values_list("lawyer", flat=True)) == {
        lawyer.pk
    }
    everyone = numbers(as_user(coordinator).get(f"{API}/cases"))
    assert {own_case.number, other_case.number} <= set(everyone)
    assert len(everyone) == min(50, LegalAidCase.objects.count())


def test_it_answers_another_lawyers_case_exactly_like_a_missing_one(as_user, lawyer, other_case):
    client = as_user(lawyer)
    for suffix in ("", "/parties", "/events", "/deadlines", "/next-actions", "/notes"):
        refused = client.get(f"{API}/cases/{other_case.number}{suffix}")
        missing = client.get(f"{API}/cases/TK-0000-999999{suffix}")
        assert_error_shape(refused, 404, "not_found")
        assert refused.json() == missing.json()


def test_it_shows_the_client_identity_to_the_cases_lawyer_only_and_audits_it(
    as_user, lawyer, coordinator, own_case
):
    mine = as_user(lawyer).get(f"{API}/cases/{own_case.number}").json()
    assert mine["client"]["full_name"] == "Aizada Demo-Tursunova"
    assert mine["safety_notes"] == "Lives at Safe house Demo-7"
    assert AuditEvent.objects.filter(actor_id=lawyer.pk, action="person.view").exists()

    theirs = as_user(coordinator).get(f"{API}/cases/{own_case.number}")
    assert theirs.status_code == 200
    assert theirs.json()["client"] is None
    assert theirs.json()["safety_notes"] is None
    assert theirs.json()["number"] == own_case.number
    assert b"Aizada" not in theirs.content and b"Safe house" not in theirs.content
    assert not AuditEvent.objects.filter(actor_id=coordinator.pk, action="person.view").exists()


def test_it_never_shows_notes_to_a_coordinator(as_user, lawyer, coordinator, own_case):
    note = actions.note_add(actor=lawyer, case=own_case, title="Meeting", body="Privileged.")
    client = as_user(coordinator)
    assert_error_shape(client.get(f"{API}/cases/{own_case.number}/notes"), 404, "not_found")
    assert_error_shape(
        client.get(f"{API}/cases/{own_case.number}/notes/{note.pk}"), 404, "not_found"
    )
    posted = client.post(
        f"{API}/cases/{own_case.number}/notes",
        {"title": "x", "body": "y"},
        content_type="application/json",
    )
    assert_error_shape(posted, 404, "not_found")
    # The case's lawyer reads them.
    listed = as_user(lawyer).get(f"{API}/cases/{own_case.number}/notes").json()
    assert [item["title"] for item in listed["results"]] == ["Meeting"]


def test_it_hides_party_names_from_a_coordinator(as_user, lawyer, coordinator, own_case):
    actions.criminal_case_link(actor=lawyer, case=own_case, register_number="UR-2026-0001")
    own_case.refresh_from_db()
    actions.party_add(actor=lawyer, case=own_case, role="witness", full_name="Witness Demo-One")
    url = f"{API}/cases/{own_case.number}/parties"
    assert as_user(lawyer).get(url).json()["results"][0]["full_name"] == "Witness Demo-One"
    seen = as_user(coordinator).get(url)
    assert seen.json()["results"][0]["full_name"] is None
    assert b"Witness Demo" not in seen.content


@pytest.mark.parametrize("persona", ["caseworker", "administrator", "trainer", "analyst"])
def test_it_refuses_the_cases_api_to_other_roles(as_user, demo, persona, own_case):
    client = as_user(demo[f"user.{persona}"])
    assert_error_shape(client.get(f"{API}/cases"), 404, "not_found")
    assert_error_shape(client.get(f"{API}/cases/{own_case.number}"), 404, "not_found")


def test_it_asks_an_anonymous_caller_to_authenticate(client, own_case):
    assert_error_shape(client.get(f"{API}/cases/{own_case.number}"), 401, "not_authenticated")


# --- Writing ------------------------------------------------------------------------


def test_it_changes_a_case_from_the_version_given(as_user, lawyer, own_case):
    response = as_user(lawyer).patch(
        f"{API}/cases/{own_case.number}",
        {"version": 1, "safety": "threatened", "interpreter_needed": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["safety"] == "threatened"
    own_case.refresh_from_db()
    assert (own_case.safety, own_case.interpreter_needed) == ("threatened", True)


def test_it_refuses_a_stale_version_with_409_showing_what_changed(as_user, lawyer, own_case):
    client = as_user(lawyer)
    url = f"{API}/cases/{own_case.number}"
    first = client.patch(
        url,
        {"version": 1, "safety": "threatened", "safety_notes": "New place"},
        content_type="application/json",
    )
    assert first.status_code == 200
    second = client.patch(
        url,
        {
            "version": 1,
            "safety": "under_protection",
            "safety_notes": "Other place",
            "basis_reference": "LAS-1",
        },
        content_type="application/json",
    )
    error = assert_error_shape(second, 409, "conflict")
    assert "version 2" in error["message"]
    assert "Nurlan Demo" in error["message"]
    assert error["fields"]["safety"] == ["Now: “Threatened”."]
    assert error["fields"]["basis_reference"] == ["Now: “”."]
    # Identity and whereabouts never travel in an error.
    assert "New place" not in second.content.decode()
    assert error["fields"]["safety_notes"] == ["Changed since you began (not repeated here)."]
    own_case.refresh_from_db()
    assert (own_case.safety, own_case.version, own_case.basis_reference) == ("threatened", 2, "")


def test_it_answers_a_conflict_in_the_callers_language(as_user, lawyer, own_case):
    client = as_user(lawyer, language="ru")
    url = f"{API}/cases/{own_case.number}"
    client.patch(url, {"version": 1, "safety": "threatened"}, content_type="application/json")
    second = client.patch(
        url, {"version": 1, "safety": "under_protection"}, content_type="application/json"
    )
    error = assert_error_shape(second, 409, "conflict")
    assert list(error["fields"]) == ["safety"]


def test_it_refuses_a_change_without_a_version(as_user, lawyer, own_case):
    response = as_user(lawyer).patch(
        f"{API}/cases/{own_case.number}", {"safety": "threatened"}, content_type="application/json"
    )
    error = assert_error_shape(response, 400, "invalid")
    assert "version" in error["fields"]


def test_it_lets_no_one_but_the_lawyer_change_a_case(
    as_user, coordinator, lawyer, own_case, other_case
):
    body = {"version": 1, "safety": "threatened"}
    for user, case in ((coordinator, own_case), (lawyer, other_case)):
        client = as_user(user)
        refused = client.patch(f"{API}/cases/{case.number}", body, content_type="application/json")
        assert_error_shape(refused, 404, "not_found")
        for suffix, data in (
            ("/events", {"kind": "meeting", "occurred_on": "2026-01-05"}),
            ("/criminal-case", {"register_number": "UR-1"}),
            ("/parties", {"role": "witness", "full_name": "A B"}),
            ("/actions", {"step": "first_meeting", "state": "done"}),
        ):
            posted = client.post(
                f"{API}/cases/{case.number}{suffix}", data, content_type="application/json"
            )
            assert_error_shape(posted, 404, "not_found")
    own_case.refresh_from_db()
    assert own_case.version == 1 and not own_case.events.exists()


def test_it_links_the_criminal_case_adds_a_party_and_guards_its_details(as_user, lawyer, own_case):
    client = as_user(lawyer)
    url = f"{API}/cases/{own_case.number}/criminal-case"
    linked = client.post(
        url,
        {
            "register_number": "UR-2026-0042",
            "investigator": "Inv. Demo",
            "charges": [{"instrument": "kg-cc-2021", "article": "166", "part": "2"}],
        },
        content_type="application/json",
    )
    assert linked.status_code == 200, linked.content
    assert linked.json()["charges"] == [{"instrument": "kg-cc-2021", "article": "166", "part": "2"}]
    unknown = client.post(
        url,
        {"register_number": "UR-2026-0099", "charges": [{"instrument": "kg-xx", "article": "1"}]},
        content_type="application/json",
    )
    assert "charges" in assert_error_shape(unknown, 400, "invalid")["fields"]
    version = linked.json()["version"]

    unversioned = client.post(
        url, {"register_number": "UR-2026-0042", "judge": "J"}, content_type="application/json"
    )
    assert "version" in assert_error_shape(unversioned, 400, "invalid")["fields"]
    changed = client.post(
        url,
        {"register_number": "UR-2026-0042", "judge": "J", "version": version},
        content_type="application/json",
    )
    assert changed.status_code == 200
    stale = client.post(
        url,
        {"register_number": "UR-2026-0042", "judge": "K", "version": version},
        content_type="application/json",
    )
    assert assert_error_shape(stale, 409, "conflict")["fields"]["judge"] == ["Now: “J”."]

    party = client.post(
        f"{API}/cases/{own_case.number}/parties",
        {"role": "accused", "full_name": "Accused Demo-One"},
        content_type="application/json",
    )
    assert party.status_code == 201, party.content
    assert party.json()["full_name"] == "Accused Demo-One"
    detail = client.get(f"{API}/cases/{own_case.number}").json()
    assert detail["criminal_case"]["register_number"] == "UR-2026-0042"
    assert detail["register_number"] == "UR-2026-0042"


def test_it_refuses_a_conflict_of_interest_as_invalid(as_user, demo, lawyer, own_case):
    client = as_user(lawyer)
    client.post(
        f"{API}/cases/{own_case.number}/criminal-case",
        {"register_number": "UR-77"},
        content_type="application/json",
    )
    defence = open_case(demo, client="person.child")
    LegalAidCase.objects.filter(pk=defence.pk).update(lawyer_role="defence_counsel")
    refused = client.post(
        f"{API}/cases/{defence.number}/criminal-case",
        {"register_number": "UR-77"},
        content_type="application/json",
    )
    error = assert_error_shape(refused, 400, "invalid")
    assert "lawyer" in error["fields"]


def test_it_records_an_event_and_answers_with_the_deadline_it_started(as_user, lawyer, own_case):
    decision, rule = a_decision_with_a_deadline()
    today = timezone.localdate().isoformat()
    client = as_user(lawyer)
    recorded = client.post(
        f"{API}/cases/{own_case.number}/events",
        {"kind": "decision", "decision": decision, "occurred_on": today, "received_on": today},
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["event"]["decision"] == decision
    assert rule in [d["rule"] for d in recorded.json()["deadlines"]]
    listed = client.get(f"{API}/cases/{own_case.number}/deadlines").json()["results"]
    assert rule in [d["rule"] for d in listed]
    events = client.get(f"{API}/cases/{own_case.number}/events").json()["results"]
    assert [e["decision"] for e in events] == [decision]


def test_it_refuses_an_invalid_event_in_the_one_error_shape(as_user, lawyer, own_case):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = as_user(lawyer).post(
        f"{API}/cases/{own_case.number}/events",
        {"kind": "meeting", "occurred_on": future},
        content_type="application/json",
    )
    error = assert_error_shape(response, 400, "invalid")
    assert error["fields"]["occurred_on"] == ["Only hearings can be recorded ahead of time."]


def test_it_gives_next_actions_and_marks_one(as_user, lawyer, own_case):
    client = as_user(lawyer)
    found = client.get(f"{API}/cases/{own_case.number}/next-actions")
    assert found.status_code == 200, found.content
    steps = found.json()
    assert steps and all(s["title"] and s["basis"] is not None for s in steps)
    step = steps[0]["step"]
    refused = client.post(
        f"{API}/cases/{own_case.number}/actions",
        {"step": step, "state": "not_applicable"},
        content_type="application/json",
    )
    assert "reason" in assert_error_shape(refused, 400, "invalid")["fields"]
    marked = client.post(
        f"{API}/cases/{own_case.number}/actions",
        {"step": step, "state": "done"},
        content_type="application/json",
    )
    assert marked.status_code == 200 and marked.json()["state"] == "done"
    after = client.get(f"{API}/cases/{own_case.number}/next-actions").json()
    assert step not in [s["step"] for s in after]


def test_it_writes_a_note_finds_it_by_its_text_and_guards_its_version(
    as_user, lawyer, coordinator, own_case
):
    client = as_user(lawyer)
    written = client.post(
        f"{API}/cases/{own_case.number}/notes",
        {"title": "Recruiter", "body": "The recruiter kept her passport in Karakol."},
        content_type="application/json",
    )
    assert written.status_code == 201, written.content
    found = client.get(f"{API}/cases/search", {"q": "karakol"})
    assert numbers(found) == [own_case.number]
    # The coordinator sees the case, but never finds it through the note.
    assert numbers(as_user(coordinator).get(f"{API}/cases/search", {"q": "karakol"})) == []

    url = f"{API}/cases/{own_case.number}/notes/{written.json()['id']}"
    assert (
        client.patch(
            url, {"version": 1, "title": "R", "body": "Edited."}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.patch(
        url, {"version": 1, "title": "R", "body": "Mine."}, content_type="application/json"
    )
    assert assert_error_shape(stale, 409, "conflict")["fields"]["body"] == ["Now: “Edited.”."]


def test_it_searches_by_register_number_and_refuses_an_unknown_stage(
    as_user, lawyer, coordinator, own_case, other_case
):
    actions.criminal_case_link(actor=lawyer, case=own_case, register_number="UR-2026-0555")
    assert numbers(as_user(coordinator).get(f"{API}/cases/search", {"q": "0555"})) == [
        own_case.number
    ]
    wrong = as_user(lawyer).get(f"{API}/cases/search", {"q": "x", "stage": "nowhere"})
    assert "stage" in assert_error_shape(wrong, 400, "invalid")["fields"]


def test_it_lists_overdue_deadlines_for_coordinators_only(as_user, lawyer, coordinator, own_case):
    add_overdue_deadline(own_case, lawyer)
    overdue = as_user(coordinator).get(f"{API}/cases/overdue").json()["results"]
    assert (own_case.number, 5) in [(d["case"], d["days_overdue"]) for d in overdue]
    assert all(d["days_overdue"] > 0 for d in overdue)
    assert_error_shape(as_user(lawyer).get(f"{API}/cases/overdue"), 404, "not_found")


def add_overdue_deadline(case, lawyer) -> None:
    event = actions.event_record(
        actor=lawyer,
        case=case,
        kind="document_received",
        occurred_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    Deadline.objects.create(
        case=case,
        event=event,
        rule="test",
        basis="test",
        verification="unverified",
        due_on=timezone.localdate() - datetime.timedelta(days=5),
        responsible=lawyer,
    )


# --- Query counts ---------------------------------------------------------------------


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("lawyer", "/cases"),
        ("coordinator", "/cases"),
        ("lawyer", "/cases/search?q=UR-9"),
        ("lawyer", "/cases/{number}/events"),
        ("coordinator", "/cases/{number}/events"),
        ("lawyer", "/cases/{number}/deadlines"),
        ("lawyer", "/cases/{number}/parties"),
        ("lawyer", "/cases/{number}/notes"),
        ("coordinator", "/cases/overdue"),
    ],
)
def test_it_reads_a_list_in_as_many_queries_for_one_row_as_for_many(
    as_user, demo, lawyer, persona, path, django_assert_num_queries
):
    first = open_case(demo)
    grow_case(first, lawyer, index=0)
    client = as_user(demo[f"user.{persona}"])
    url = API + path.format(number=first.number)
    client.get(url)  # warm: content and sessions are read once per process
    one = _count(client, url)
    for index in range(1, 6):
        grow_case(first, lawyer, index=index)
        grow_case(open_case(demo), lawyer, index=index)
    with django_assert_num_queries(one):
        response = client.get(url)
    results = response.json()["results"]
    assert len(results) > 1, path


def grow_case(case, lawyer, *, index: int) -> None:
    """Add rows of every kind a list shows: an event, an overdue deadline, a note,
    a party (the criminal case is linked once), and register numbers to find."""
    if case.criminal_case_id is None:
        actions.criminal_case_link(actor=lawyer, case=case, register_number=f"UR-9{case.pk}")
        case.refresh_from_db()
    add_overdue_deadline(case, lawyer)
    actions.note_add(actor=lawyer, case=case, title=f"Note {index}", body="Text.")
    actions.party_add(actor=lawyer, case=case, role="witness", full_name=f"Witness {index}")
