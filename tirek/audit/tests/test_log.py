"""Appending to the trail: the chain, its guards, and what is refused."""

import datetime
import decimal
import enum
import stat

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from tirek.audit import canonical, keys
from tirek.audit.log import IDENTITY_FIELDS, audit, audit_request, register_identity_fields
from tirek.audit.models import AppendOnlyError, AuditCheckpoint, AuditEvent


def view(target_id="1", **kwargs) -> AuditEvent:
    return audit(
        actor=None,
        action="person.view",
        target_type="people.person",
        target_id=target_id,
        **kwargs,
    )


def test_it_chains_each_entry_to_the_one_before(db):
    first, second, third = view(), view(), view()
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == canonical.GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    for event in AuditEvent.objects.all():
        assert event.computed_hash() == event.entry_hash


def test_it_records_who_what_which_record_and_when_in_utc(db, lawyer):
    event = audit(
        actor=lawyer,
        action="person.update",
        target=lawyer,  # any model instance names the record
        fields=["date_of_birth"],
        changes={"status": ("open", "closed")},
        reason="court order 12/2026",
        address="192.0.2.7",
    )
    stored = AuditEvent.objects.get(sequence=event.sequence)
    assert stored.actor_id == lawyer.pk
    assert (stored.target_type, stored.target_id) == ("accounts.user", str(lawyer.pk))
    assert stored.fields == ["date_of_birth", "status"]
    assert stored.changes == {"status": ["open", "closed"]}
    assert stored.reason == "court order 12/2026"
    assert stored.address == "192.0.2.7"
    assert stored.created_at.utcoffset() == datetime.timedelta(0)
    assert stored.computed_hash() == stored.entry_hash


def test_it_hashes_the_canonical_json_of_the_entry(db):
    event = view(changes={"note": ("é", None)}, address="::1")
    expected = (
        '{"action":"person.view","actor_id":null,"address":"::1",'
        '"changes":{"note":["é",null]},'
        f'"created_at":"{event.created_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S.%f}Z",'
        '"fields":["note"],"kind":"tirek.audit.entry",'
        f'"previous_hash":"{"0" * 64}","reason":"","sequence":1,'
        '"target_id":"1","target_type":"people.person","v":1}'
    )
    assert canonical.canonical_bytes(event.document()) == expected.encode("utf-8")


BISHKEK = datetime.timezone(datetime.timedelta(hours=6))


def test_the_canonical_form_is_stable():
    # A fixed vector: if this changes, every stored hash stops verifying.
    document = canonical.entry_document(
        sequence=7,
        created_at=datetime.datetime(2026, 5, 1, 16, 0, 0, 5, tzinfo=BISHKEK),
        actor_id=3,
        action="person.update",
        target_type="people.person",
        target_id="42",
        fields=["status"],
        changes={"status": ["open", "closed"]},
        reason="суд",
        address="192.0.2.1",
        previous_hash="a" * 64,
    )
    assert canonical.canonical_bytes(document) == (
        '{"action":"person.update","actor_id":3,"address":"192.0.2.1",'
        '"changes":{"status":["open","closed"]},"created_at":"2026-05-01T10:00:00.000005Z",'
        '"fields":["status"],"kind":"tirek.audit.entry","previous_hash":"' + "a" * 64 + '",'
        '"reason":"суд","sequence":7,"target_id":"42","target_type":"people.person","v":1}'
    ).encode("utf-8")
    assert canonical.sha256_hex(document) == STABLE_HASH


# sha256sum of the bytes above, computed outside Python.
STABLE_HASH = "8d64bf43f85f1058d95d58409df4d8bb259dd6371b1267cec449bb3848315f5f"


class Colour(enum.Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (Colour.RED, "red"),
        (datetime.date(2026, 1, 2), "2026-01-02"),
        (decimal.Decimal("12.50"), "12.50"),
        ((1, "two", None, True), [1, "two", None, True]),
        ({"b": 1, "a": [2]}, {"a": [2], "b": 1}),
    ],
)
def test_it_stores_values_in_their_canonical_form(db, value, stored):
    event = view(changes={"x": (None, value)})
    assert AuditEvent.objects.get(sequence=event.sequence).changes == {"x": [None, stored]}


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        2**53,
        "nul \x00 inside",
        "\ud800",
        datetime.datetime(2026, 1, 1),  # naive
        object(),
        {1: "not a string key"},
        decimal.Decimal("NaN"),
    ],
    ids=["float", "huge-int", "nul", "surrogate", "naive-datetime", "object", "int-key", "nan"],
)
def test_it_refuses_values_without_a_canonical_form(db, value):
    with pytest.raises(ValueError):
        view(changes={"x": (None, value)})
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_action_that_is_not_a_dotted_code(db):
    with pytest.raises(ValueError, match=r"person\.update"):
        audit(actor=None, action="Viewed a person")


def test_it_refuses_changes_that_are_not_old_new_pairs(db):
    with pytest.raises(ValueError, match="pair"):
        view(changes={"status": "closed"})


def test_it_refuses_identity_values_in_changes_but_accepts_their_names(db):
    register_identity_fields("people.person", ["last_name"])
    try:
        with pytest.raises(ValueError, match="last_name"):
            view(changes={"last_name": ("Old", "New")})
        event = view(fields=["last_name"])
        assert event.fields == ["last_name"]
        assert event.changes == {}
    finally:
        IDENTITY_FIELDS.discard("people.person.last_name")


def test_it_rolls_back_with_the_change_it_records(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        view()
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
    assert view().sequence == 1  # no gap left behind


def test_it_takes_actor_and_address_from_the_request(db, lawyer, settings):
    settings.TIREK_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20"
    )
    request.user = lawyer
    event = audit_request(request, action="person.view", target_type="people.person", target_id=1)
    assert event.actor_id == lawyer.pk
    assert event.address == "198.51.100.20"


def test_rows_cannot_be_changed_or_removed_through_the_orm(db):
    event = view()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(sequence=1).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(sequence=2)])
    assert AuditEvent.objects.get(sequence=1).reason == ""


def test_the_database_refuses_to_change_a_row(db):
    view()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'rewritten'")
    assert AuditEvent.objects.get(sequence=1).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses deletes too")
def test_postgresql_refuses_to_delete_a_row(db):
    view()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_it_signs_a_checkpoint_every_n_entries(db, settings, audit_keys):
    settings.TIREK_AUDIT_CHECKPOINT_EVERY = 3
    for _ in range(7):
        view()
    points = list(AuditCheckpoint.objects.all())
    assert [point.sequence for point in points] == [3, 6]
    assert points[1].entry_hash == AuditEvent.objects.get(sequence=6).entry_hash
    public = keys.public_keys()[points[0].key_id]
    message = canonical.canonical_bytes(points[0].document())
    assert keys.signature_is_valid(public, message=message, signature=points[0].signature)


def test_the_signing_key_is_created_private_and_its_public_half_listed(db, settings, audit_keys):
    settings.TIREK_AUDIT_CHECKPOINT_EVERY = 1
    view()
    assert stat.S_IMODE(audit_keys.stat().st_mode) == 0o600
    assert stat.S_IMODE(audit_keys.parent.stat().st_mode) == 0o700
    listed = settings.TIREK_AUDIT_PUBLIC_KEYS.read_text()
    assert keys.public_line(keys.signing_key().public_key()) in listed
    assert "PRIVATE" not in listed
