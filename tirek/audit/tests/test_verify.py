"""`tirek audit verify` finds every kind of tampering (SECURITY.md, T13).

Each scenario tampers with raw SQL as the database owner could, past the ORM
and with the append-only triggers switched off, then asks the verifier.
"""

import base64
import io
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import transaction

from tirek.audit import canonical, keys
from tirek.audit.log import audit
from tirek.audit.models import AuditCheckpoint, AuditEvent
from tirek.audit.tests import tampering
from tirek.audit.tests.tampering import CHECKPOINTS, EVENTS, sql
from tirek.audit.verify import verify_trail

EVENT_COUNT = 95
CHECKPOINT_EVERY = 10


@pytest.fixture
def trail(db, settings):
    """95 events with a signed checkpoint every 10 (at 10, 20, … 90)."""
    settings.TIREK_AUDIT_CHECKPOINT_EVERY = CHECKPOINT_EVERY
    started = time.perf_counter()
    for number in range(1, EVENT_COUNT + 1):
        audit(
            actor=None,
            action="person.update",
            target_type="people.person",
            target_id=str(number % 7),
            fields=["status", "current_location"],
            changes={"status": ("open", f"step {number}")},
            address="192.0.2.10",
        )
    elapsed = time.perf_counter() - started
    tampering.disable_append_only()
    return {"append_rate": EVENT_COUNT / elapsed}


def edit(trail):
    sql(f"UPDATE {EVENTS} SET reason = %s WHERE sequence = 40", ["nothing happened"])
    return 40, "edited"


def delete(trail):
    sql(f"DELETE FROM {EVENTS} WHERE sequence = 40")
    return 40, "missing"


def insert(trail):
    """A forged entry slipped in after 40, later entries renumbered, links mended."""
    for sequence in range(EVENT_COUNT, 40, -1):
        tampering.renumber(sequence, sequence + 1)
    forged = tampering.event_row(40) | {
        "sequence": 41,
        "action": "person.view",
        "previous_hash": tampering.event_row(40)["entry_hash"],
    }
    forged.pop("entry_hash")
    forged["entry_hash"] = tampering.entry_hash(forged)
    # Point the displaced entry at the forgery so no link is visibly broken.
    sql(
        f"UPDATE {EVENTS} SET previous_hash = %s WHERE sequence = 42",
        [forged["entry_hash"]],
    )
    tampering.insert_event(**forged)
    return 42, "edited"


def reorder(trail):
    tampering.renumber(40, 1_000_040)
    tampering.renumber(41, 40)
    tampering.renumber(1_000_040, 41)
    return 40, "does not follow"


def truncate_tail(trail):
    sql(f"DELETE FROM {EVENTS} WHERE sequence >= 85")
    return 85, "removed from the end"


def forge_checkpoint(trail):
    """Checkpoint 30 now vouches for another hash, with a signature of the forger's key."""
    forger = Ed25519PrivateKey.generate()
    point = AuditCheckpoint.objects.get(sequence=30)
    document = canonical.checkpoint_document(
        sequence=30, entry_hash="f" * 64, created_at=point.created_at, key_id=point.key_id
    )
    signature = base64.b64encode(forger.sign(canonical.canonical_bytes(document))).decode()
    sql(
        f"UPDATE {CHECKPOINTS} SET entry_hash = %s, signature = %s WHERE sequence = 30",
        ["f" * 64, signature],
    )
    return None, "checkpoint at entry 30: the signature does not verify"


def rewrite(trail):
    """Entry 40 edited and every hash from there on recomputed: only checkpoints notice."""
    sql(f"UPDATE {EVENTS} SET reason = %s WHERE sequence = 40", ["nothing happened"])
    previous = tampering.event_row(39)["entry_hash"]
    for sequence in range(40, EVENT_COUNT + 1):
        row = tampering.event_row(sequence) | {"previous_hash": previous}
        row.pop("entry_hash")
        new_hash = tampering.entry_hash(row)
        sql(
            f"UPDATE {EVENTS} SET previous_hash = %s, entry_hash = %s WHERE sequence = %s",
            [previous, new_hash, sequence],
        )
        previous = new_hash
    return 40, "signed checkpoint"


SCENARIOS = [edit, delete, insert, reorder, truncate_tail, forge_checkpoint, rewrite]


class Rollback(Exception):
    pass


def tampered_report(scenario, trail):
    """Tamper, verify, and undo the tampering (a savepoint) for the next scenario."""
    try:
        with transaction.atomic():
            expected = scenario(trail)
            report = verify_trail(batch_size=16)
            raise Rollback
    except Rollback:
        pass
    return expected, report


def test_it_verifies_an_untouched_trail(trail):
    report = verify_trail(batch_size=16)
    assert report.ok
    assert (report.entries, report.checkpoints) == (EVENT_COUNT, EVENT_COUNT // CHECKPOINT_EVERY)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_it_names_the_first_broken_entry(trail, scenario):
    (sequence, what), report = tampered_report(scenario, trail)
    assert not report.ok
    if sequence is None:
        assert any(what in problem for problem in report.checkpoint_problems)
    else:
        assert report.problem is not None
        assert report.problem.sequence == sequence, report.problem
        assert what in report.problem.what, report.problem


def test_it_detects_every_kind_of_tampering(trail):
    detected = 0
    for scenario in SCENARIOS:
        _, report = tampered_report(scenario, trail)
        detected += not report.ok
    events = AuditEvent.objects.count()
    checkpoints = AuditCheckpoint.objects.count()
    print(
        f"audit verify: events={events} checkpoints={checkpoints} "
        f"tampering_scenarios={len(SCENARIOS)} detected={detected} "
        f"append_rate={trail['append_rate']:.0f}/s"
    )
    assert detected == len(SCENARIOS)


def test_it_refuses_a_checkpoint_signed_by_an_unknown_key(trail, settings, tmp_path):
    settings.TIREK_AUDIT_PUBLIC_KEYS = tmp_path / "other.pub"
    other = Ed25519PrivateKey.generate().public_key()
    (tmp_path / "other.pub").write_text(keys.public_line(other) + "\n")
    report = verify_trail()
    assert not report.ok
    assert "signed by unknown key" in report.checkpoint_problems[0]


def test_it_still_verifies_old_checkpoints_after_the_key_is_rotated(trail, audit_keys):
    audit_keys.rename(audit_keys.with_name("retired_key"))
    keys.forget_loaded_keys()
    audit(actor=None, action="person.view", target_type="people.person", target_id="1")
    assert call_command_output("checkpoint").startswith('{"created_at"')
    assert len(keys.public_keys()) == 2
    report = verify_trail()
    assert report.ok
    assert report.checkpoints == EVENT_COUNT // CHECKPOINT_EVERY + 1


def test_it_reads_the_trail_in_batches(trail, django_assert_num_queries):
    # 95 entries in batches of 16: 6 reads (the last one short), plus one read
    # of the checkpoints; memory holds one batch at a time.
    with django_assert_num_queries(7):
        assert verify_trail(batch_size=16).ok


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_what_it_verified(trail):
    assert "entries=95 checkpoints=9 verified" in call_command_output("verify")


def test_the_command_fails_naming_the_first_broken_entry(trail):
    sql(f"DELETE FROM {EVENTS} WHERE sequence = 17")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=errors)
    assert "First broken entry: entry 17: missing" in errors.getvalue()


def test_checkpoint_signs_the_current_end_once(trail):
    audit(actor=None, action="person.view", target_type="people.person", target_id="1")
    line = call_command_output("checkpoint")
    assert '"sequence":96' in line and '"signature":' in line
    assert "Nothing to sign" in call_command_output("checkpoint")
