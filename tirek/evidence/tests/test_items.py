"""A lawyer records evidence, its statuses, what it proves and its custody."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AppendOnlyError, AuditEvent
from tirek.evidence import actions
from tirek.evidence.models import CustodyEvent, EvidenceItem

DESCRIPTION = "Employer's ledger page with Aizada's unpaid wages"


@pytest.fixture
def case(demo, lawyer):
    return demo["case.adult_labour"]


def _create(client, case, **changes):
    return client.post(
        reverse("evidence:create", args=[case.number]),
        {"kind": "financial", "description": DESCRIPTION, "status": "to_obtain", **changes},
    )


def test_a_lawyer_adds_an_item_and_it_is_numbered_encrypted_and_audited(case, lawyer, as_user):
    client = as_user(lawyer)
    response = _create(client, case, source="The employer's accountant")
    item = EvidenceItem.objects.get(case=case)
    assert response["Location"] == reverse("evidence:item", args=[case.number, item.number])
    assert item.number == 1 and item.independent and item.status == "to_obtain"
    _create(client, case, kind="testimony", from_victim="on")
    assert list(case.evidence.values_list("number", flat=True)) == [1, 2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, source FROM evidence_evidenceitem")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "ledger" not in stored and "accountant" not in stored
    event = AuditEvent.objects.filter(action="evidence.create").first()
    assert "description" in event.fields and "ledger" not in str(event.changes)
    page = client.get(reverse("evidence:list", args=[case.number])).content.decode()
    assert "ledger" in page and "1 of 2 items corroborates" in page


def test_bad_input_is_refused_in_place_and_nothing_is_lost(case, lawyer, as_user):
    response = _create(as_user(lawyer), case, description="  ", obtained_on="2099-01-01")
    assert response.status_code == 200
    assert not EvidenceItem.objects.filter(case=case).exists()
    assert "This field is required" in response.content.decode()


def test_a_submitted_status_needs_its_procedural_act(case, lawyer, as_user):
    item = actions.item_create(actor=lawyer, case=case, kind="document", description=DESCRIPTION)
    url = reverse("evidence:status", args=[case.number, item.number])
    today = str(timezone.localdate())
    refused = as_user(lawyer).post(url, {"status": "submitted", "on": today})
    assert refused.status_code == 400 and "procedural act" in refused.content.decode()
    as_user(lawyer).post(
        url, {"status": "submitted", "on": today, "procedural_act": "Motion of 30.11.2026"}
    )
    item.refresh_from_db()
    assert item.status == "submitted" and item.procedural_act == "Motion of 30.11.2026"
    assert [c.status for c in item.status_history.all()] == ["to_obtain", "submitted"]


def test_linking_checks_the_element_against_the_provision_charged(case, lawyer, as_user):
    item = actions.item_create(actor=lawyer, case=case, kind="document", description=DESCRIPTION)
    url = reverse("evidence:link", args=[case.number, item.number])
    assert (
        as_user(lawyer).post(url, {"element": "nonsense", "strength": "strong"}).status_code == 400
    )
    as_user(lawyer).post(url, {"element": "means", "strength": "moderate", "note": "coercion"})
    assert list(item.links.values_list("element", "strength")) == [("means", "moderate")]
    as_user(lawyer).post(url, {"element": "means", "strength": "moderate", "remove": "True"})
    assert not item.links.exists()


def test_the_chain_of_custody_is_append_only(case, lawyer, as_user):
    item = actions.item_create(actor=lawyer, case=case, kind="physical", description="A notebook")
    url = reverse("evidence:custody", args=[case.number, item.number])
    when = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = as_user(lawyer).post(url, {"kind": "received", "occurred_at": when})
    assert refused.status_code == 400  # from whom?
    as_user(lawyer).post(
        url, {"kind": "received", "occurred_at": when, "counterpart": "The victim's sister"}
    )
    event = CustodyEvent.objects.get(item=item)
    assert event.counterpart == "The victim's sister" and event.recorded_by == lawyer
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        CustodyEvent.objects.filter(pk=event.pk).update(place="elsewhere")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:  # the database refuses too
        cursor.execute("UPDATE evidence_custodyevent SET place = 'x' WHERE id = %s", [event.pk])


@pytest.mark.parametrize("persona", ["lawyer_osh", "coordinator", "caseworker", "administrator"])
def test_nobody_but_the_case_lawyer_sees_its_evidence(case, lawyer, demo, persona, as_user):
    item = actions.item_create(actor=lawyer, case=case, kind="document", description=DESCRIPTION)
    client = as_user(demo[f"user.{persona}"])
    for url in (
        reverse("evidence:list", args=[case.number]),
        reverse("evidence:item", args=[case.number, item.number]),
        reverse("evidence:edit", args=[case.number, item.number]),
    ):
        assert client.get(url).status_code == 404


def test_two_edits_of_the_same_version_do_not_overwrite_each_other(case, lawyer, as_user):
    item = actions.item_create(actor=lawyer, case=case, kind="document", description=DESCRIPTION)
    url = reverse("evidence:edit", args=[case.number, item.number])
    base = {"kind": "document", "description": "First edit", "version": item.version}
    as_user(lawyer).post(url, base)
    second = as_user(lawyer).post(url, {**base, "description": "Second edit"})
    assert second.status_code == 200 and "changed this item" in second.content.decode()
    item.refresh_from_db()
    assert item.description == "First edit"
