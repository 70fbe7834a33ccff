"""Checking the whole trail: every entry's hash and link, every checkpoint.

Entries are read in sequence order in batches (keyset pagination on the
primary key, ``values_list`` only), so memory stays bounded however long the
trail is. Checkpoints are few (one per ``TIREK_AUDIT_CHECKPOINT_EVERY``
entries) and are read first, their signatures checked, and kept as a map
``sequence → entry hash``.

What each kind of tampering looks like here:

- an edited entry: its content no longer gives its stored hash (or, if the
  hash was recomputed, the next entry's ``previous_hash`` no longer matches;
  if every later hash was recomputed too, a signed checkpoint no longer
  matches);
- a deleted entry: a gap in the sequence numbers (or, if renumbered, a broken
  link to the previous hash);
- an inserted or reordered entry: a sequence number or a previous hash that
  does not fit where the entry stands;
- a removed tail: a checkpoint signed for an entry that no longer exists
  (a tail after the last checkpoint can only be caught against a checkpoint
  kept outside the database — see docs/security.md);
- a forged or altered checkpoint: a signature that does not verify with any
  trusted public key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tirek.audit import canonical, keys
from tirek.audit.models import AuditCheckpoint, AuditEvent

BATCH_SIZE = 5_000

ENTRY_COLUMNS = (
    "sequence",
    "created_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "fields",
    "changes",
    "reason",
    "address",
    "previous_hash",
    "entry_hash",
)


@dataclass
class Problem:
    sequence: int
    what: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.what}"


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    problem: Problem | None = None
    checkpoint_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.checkpoint_problems


def verify_trail(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None
) -> Report:
    """Check every checkpoint, then every entry; stop at the first broken entry."""
    report = Report()
    signed = _verified_checkpoints(report)
    expected_sequence = 1
    previous_hash = canonical.GENESIS_HASH
    last_sequence = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_sequence)
            .order_by("sequence")
            .values_list(*ENTRY_COLUMNS)[:batch_size]
        )
        if not batch:
            break
        for row in batch:
            entry = dict(zip(ENTRY_COLUMNS, row, strict=True))
            problem = _check_entry(entry, expected_sequence, previous_hash, signed)
            if problem is not None:
                report.problem = problem
                return report
            report.entries += 1
            previous_hash = entry["entry_hash"]
            expected_sequence += 1
        last_sequence = batch[-1][0]
        if progress is not None:
            progress(report.entries)
        if len(batch) < batch_size:
            break
    beyond = [sequence for sequence in signed if sequence > last_sequence]
    if beyond:
        report.problem = Problem(
            last_sequence + 1,
            f"missing: the trail ends at entry {last_sequence}, but a signed checkpoint "
            f"vouches for entry {min(beyond)} (entries were removed from the end)",
        )
    return report


def _check_entry(
    entry: dict, expected_sequence: int, previous_hash: str, signed: dict[int, str]
) -> Problem | None:
    sequence = entry["sequence"]
    if sequence != expected_sequence:
        return Problem(
            expected_sequence,
            f"missing: the next entry is numbered {sequence} (deleted or renumbered)",
        )
    if entry["previous_hash"] != previous_hash:
        return Problem(
            sequence,
            "does not follow the entry before it: its previous hash differs "
            "(an entry was inserted, removed or moved here)",
        )
    document = canonical.entry_document(
        **{name: entry[name] for name in ENTRY_COLUMNS if name != "entry_hash"}
    )
    if canonical.sha256_hex(document) != entry["entry_hash"]:
        return Problem(sequence, "its content does not match its hash (the entry was edited)")
    if sequence in signed and signed[sequence] != entry["entry_hash"]:
        return Problem(
            sequence,
            "its hash differs from the one a signed checkpoint vouches for "
            "(the trail was rewritten)",
        )
    return None


def _verified_checkpoints(report: Report) -> dict[int, str]:
    """``{sequence: entry hash}`` of the checkpoints whose signature holds."""
    trusted = keys.public_keys()
    signed: dict[int, str] = {}
    columns = ("sequence", "entry_hash", "created_at", "key_id", "signature")
    for row in AuditCheckpoint.objects.order_by("sequence").values_list(*columns).iterator():
        sequence, entry_hash, created_at, key_id, signature = row
        public_key = trusted.get(key_id)
        if public_key is None:
            report.checkpoint_problems.append(
                f"checkpoint at entry {sequence}: signed by unknown key {key_id!r}"
            )
            continue
        message = canonical.canonical_bytes(
            canonical.checkpoint_document(
                sequence=sequence, entry_hash=entry_hash, created_at=created_at, key_id=key_id
            )
        )
        if not keys.signature_is_valid(public_key, message=message, signature=signature):
            report.checkpoint_problems.append(
                f"checkpoint at entry {sequence}: the signature does not verify (forged or altered)"
            )
            continue
        signed[sequence] = entry_hash
        report.checkpoints += 1
    return signed
