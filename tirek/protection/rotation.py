"""Key rotation: seal every encrypted value again under the primary key.

Runs in small batches, each its own transaction, so the application keeps
serving while it runs: a value is readable under its old key until its
batch commits, and under the new key after. Rows are locked per batch
(PostgreSQL), so an edit made at the same moment is not overwritten.
"""

from collections import Counter
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import models, transaction

from tirek.lib.crypto import key_id_of
from tirek.protection.fields import EncryptedField, Sealed
from tirek.protection.keys import keyring

# An erased person's evidence files have no key any more (retention.py).
ERASED_FILE_KEY = "erased"


def protected_models() -> Iterator[tuple[type[models.Model], list[EncryptedField]]]:
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            yield model, fields


def keys_in_use(batch_size: int = 2000) -> Counter[str]:
    """How many stored values each key sealed."""
    counts: Counter[str] = Counter()
    for model, fields in protected_models():
        names = [f.attname for f in fields]
        for row in model._base_manager.values_list(*names).iterator(chunk_size=batch_size):
            for value in row:
                if isinstance(value, Sealed):
                    counts[key_id_of(value.text)] += 1
    # Evidence files' data keys, wrapped under a master key (tirek/evidence/files.py).
    from tirek.evidence.models import EvidenceFile

    erased = ERASED_FILE_KEY
    for wrapped in (
        EvidenceFile.objects.exclude(wrapped_key=erased)
        .values_list("wrapped_key", flat=True)
        .iterator(chunk_size=batch_size)
    ):
        counts[key_id_of(wrapped)] += 1
    return counts


def reencrypt(*, batch_size: int = 500, progress: Callable[[str, int], None] | None = None) -> int:
    """Seal again every value not under the primary key; returns rows changed."""
    primary = keyring().primary
    changed_rows = 0
    for model, fields in protected_models():
        last_pk = None
        while True:
            with transaction.atomic():
                rows = model._base_manager.order_by("pk").select_for_update()
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows[:batch_size])
                for instance in batch:
                    stale = [
                        f
                        for f in fields
                        if isinstance(instance.__dict__.get(f.attname), Sealed)
                        and key_id_of(instance.__dict__[f.attname].text) != primary
                    ]
                    for field in stale:
                        # Reading opens the old seal; save() seals under the primary.
                        setattr(instance, field.attname, getattr(instance, field.attname))
                    if stale:
                        instance.save(update_fields=[f.name for f in stale])
                        changed_rows += 1
            if not batch:
                break
            last_pk = batch[-1].pk
            if progress:
                progress(model._meta.label, changed_rows)
    changed_rows += _rewrap_evidence_keys(batch_size, progress)
    return changed_rows


def _rewrap_evidence_keys(batch_size: int, progress) -> int:
    """Wrap every evidence file's data key under the primary key again; the
    stored files themselves never change (they stay write-once)."""
    from tirek.evidence.files import rewrap
    from tirek.evidence.models import EvidenceFile

    changed = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                EvidenceFile.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(wrapped_key=ERASED_FILE_KEY)
                .order_by("pk")[:batch_size]
            )
            changed += sum(1 for evidence_file in batch if rewrap(evidence_file))
        if not batch:
            return changed
        last_pk = batch[-1].pk
        if progress:
            progress(EvidenceFile._meta.label, changed)
