"""Tampering as an attacker with the database owner's rights would do it.

Everything goes through raw SQL, past the ORM's refusals. The append-only
triggers are switched off first, as an owner could (PostgreSQL: ``ALTER
TABLE … DISABLE TRIGGER``; SQLite: ``DROP TRIGGER``); both are undone when
the test's transaction rolls back.
"""

import json

from django.db import connection

from tirek.audit import canonical
from tirek.audit.models import AuditEvent

EVENTS = "audit_auditevent"
CHECKPOINTS = "audit_auditcheckpoint"


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def disable_append_only() -> None:
    for table in (EVENTS, CHECKPOINTS):
        if connection.vendor == "postgresql":
            sql(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        else:
            sql(f"DROP TRIGGER IF EXISTS {table}_append_only")


def event_row(sequence: int) -> dict:
    return AuditEvent.objects.filter(sequence=sequence).values()[0]


def renumber(old: int, new: int) -> None:
    sql(f"UPDATE {EVENTS} SET sequence = %s WHERE sequence = %s", [new, old])


def insert_event(**values) -> None:
    """INSERT a row as-is (hash included), JSON columns written as JSON."""
    json_slot = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    columns = [
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
    ]
    slots = [json_slot if name in ("fields", "changes") else "%s" for name in columns]
    params = []
    for name in columns:
        value = values[name]
        if name in ("fields", "changes"):
            value = json.dumps(value)
        elif name == "created_at":
            value = connection.ops.adapt_datetimefield_value(value)
        params.append(value)
    sql(f"INSERT INTO {EVENTS} ({', '.join(columns)}) VALUES ({', '.join(slots)})", params)


def entry_hash(values: dict) -> str:
    document = canonical.entry_document(
        **{name: values[name] for name in values if name not in ("entry_hash",)}
    )
    return canonical.sha256_hex(document)
