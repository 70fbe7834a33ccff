"""Writing the audit trail: ``audit()`` and ``audit_request()``.

Call ``audit`` inside the transaction of the change it records, as its last
statement if you can: the row then commits or rolls back with the change, and
the chain lock (held until commit) is held briefly::

    with transaction.atomic():
        person.save(update_fields=["shelter"])
        audit(actor=actor, action="person.update", target=person,
              fields=["current_location"], changes={"status": ("open", "closed")})

**Identity values never go in ``changes``.** Names, dates of birth, document
numbers, phone numbers, addresses and whereabouts are named in ``fields``
only; their old and new values stay out of the trail (it is read by more
people, and kept longer, than the data itself). The caller knows what is an
identity value; as a guard, apps register theirs with
``register_identity_fields`` and ``audit`` refuses them in ``changes``.

Appends are serialised so the chain never forks: PostgreSQL takes a
transaction-level advisory lock; SQLite's ``IMMEDIATE`` transactions already
hold the database's write lock. Either way the primary key on ``sequence``
and the unique ``previous_hash`` turn any race the lock missed into an
error instead of a fork.
"""

import contextvars
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from tirek.audit import canonical, keys
from tirek.audit.models import AuditCheckpoint, AuditEvent
from tirek.core.client_address import client_address

# "app_label.model.field" of every identity value (see module docstring).
IDENTITY_FIELDS: set[str] = set()

# Taken by every append on PostgreSQL ("tirekaud" in ASCII); held until commit.
CHAIN_LOCK_ID = 0x74697265_6B617564

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

# The client address of the request being served, set by AuditAddressMiddleware,
# for actions that are not handed the request (accounts, for example).
current_address: contextvars.ContextVar[str] = contextvars.ContextVar(
    "tirek_audit_address", default=""
)


def register_identity_fields(target_type: str, field_names: Iterable[str]) -> None:
    """Declare identity fields, e.g. ``("people.person", ["first_name", …])``."""
    IDENTITY_FIELDS.update(f"{target_type}.{name}" for name in field_names)


def audit(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    fields: Iterable[str] = (),
    changes: Mapping[str, tuple[Any, Any] | list[Any]] | None = None,
    reason: str = "",
    address: str = "",
) -> AuditEvent:
    """Append one event to the trail and return it.

    ``actor`` is a user, an anonymous user or ``None`` (the system).
    ``target`` (a model instance) or ``target_type`` ("people.person") with
    ``target_id`` name the record. ``changes`` maps a field to ``(old, new)``;
    every changed field is also listed in ``fields``. ``address`` defaults
    to the address of the request being served.

    1. Validate and normalise everything (``ValueError`` on anything that
       has no canonical form or is an identity value in ``changes``).
    2. Take the chain lock and read the head.
    3. Hash the new entry over its content and the head's hash; insert it.
    4. Every ``TIREK_AUDIT_CHECKPOINT_EVERY`` entries, sign a checkpoint.
    """
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"audit action {action!r} must look like 'person.update'")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    changes = dict(changes or {})
    leaked = sorted(name for name in changes if f"{target_type}.{name}" in IDENTITY_FIELDS)
    if leaked:
        raise ValueError(
            f"identity fields may be named in fields but never valued in changes: {leaked}"
        )
    normalised_changes = canonical.normalise(
        {name: _old_new(name, pair) for name, pair in changes.items()}, where="changes"
    )
    fields = list(fields)
    if not all(isinstance(name, str) for name in [*fields, *changes]):
        raise ValueError("field names must be strings")
    touched = sorted({canonical.normalise(name, where="fields") for name in fields} | set(changes))
    values = {
        "actor_id": _actor_id(actor),
        "action": action,
        "target_type": str(target_type),
        "target_id": str(target_id),
        "fields": touched,
        "changes": normalised_changes,
        "reason": canonical.normalise(reason, where="reason"),
        "address": canonical.normalise(address or current_address.get(), where="address"),
    }
    with transaction.atomic(savepoint=False):
        _lock_chain()
        head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "entry_hash")
        last = head.first()
        sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, canonical.GENESIS_HASH)
        event = AuditEvent(
            sequence=sequence,
            created_at=timezone.now(),
            previous_hash=previous_hash,
            **values,
        )
        event.entry_hash = event.computed_hash()
        event.save()
        if sequence % settings.TIREK_AUDIT_CHECKPOINT_EVERY == 0:
            _sign(event.sequence, event.entry_hash)
    return event


def audit_request(request: HttpRequest, **kwargs: Any) -> AuditEvent:
    """``audit`` with the actor and address taken from ``request``."""
    kwargs.setdefault("actor", getattr(request, "user", None))
    kwargs.setdefault("address", client_address(request))
    return audit(**kwargs)


def checkpoint() -> AuditCheckpoint | None:
    """Sign the current head now; ``None`` if empty or already signed.

    Loads (and on first use creates) the signing key even when there is
    nothing to sign, so an operator can create it right after installing.
    """
    keys.signing_key()
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "entry_hash")
        head = last.first()
        if head is None or AuditCheckpoint.objects.filter(sequence=head[0]).exists():
            return None
        return _sign(*head)


def _sign(sequence: int, entry_hash: str) -> AuditCheckpoint:
    signer_id = keys.key_id(keys.signing_key().public_key())
    point = AuditCheckpoint(
        sequence=sequence, entry_hash=entry_hash, created_at=timezone.now(), key_id=signer_id
    )
    _, point.signature = keys.sign(canonical.canonical_bytes(point.document()))
    point.save()
    return point


def _lock_chain() -> None:
    # SQLite needs nothing: Tirek's transactions there are IMMEDIATE, so this
    # transaction already holds the only write lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])


def _actor_id(actor: Any) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return int(actor.pk)


def _old_new(name: str, pair: Any) -> list[Any]:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        raise ValueError(f"changes[{name!r}] must be an (old, new) pair")
    return [pair[0], pair[1]]


# --- Helpers for callers ----------------------------------------------------


def snapshot(instance: models.Model, field_names: Iterable[str]) -> dict[str, Any]:
    """The audited values of ``instance``: foreign keys as their ids."""
    values: dict[str, Any] = {}
    for name in field_names:
        field = instance._meta.get_field(name)
        values[name] = getattr(instance, field.attname)
    return values


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (old, new)}`` for every field whose value differs."""
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
