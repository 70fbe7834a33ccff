"""The canonical form of audit entries and checkpoints, and their hashes.

An entry's hash must come out the same on every machine, every Python and
both databases, years later, or ``tirek audit verify`` would cry wolf. So
the bytes that are hashed are fixed here and nowhere else:

- JSON with keys sorted, no whitespace (``","`` and ``":"`` separators),
  non-ASCII characters written as themselves and the whole encoded as UTF-8;
- only ``null``, ``true``/``false``, integers within ±(2**53 - 1), strings,
  lists and objects with string keys. Floats are refused: their text form
  differs between JSON libraries and PostgreSQL's ``jsonb`` rewrites them
  (``1e300`` comes back as a 301-digit integer). Pass a string instead;
- dates, aware datetimes, decimals, UUIDs and enumerations are turned into
  strings (dates ISO-8601; datetimes in UTC as ``2026-05-01T10:00:00.000000Z``,
  always with microseconds) before anything is stored, so what is stored is
  exactly what was hashed;
- strings may not contain NUL (PostgreSQL cannot store it) or lone
  surrogates (not encodable as UTF-8).

For these types the output is the same as RFC 8785 (JSON Canonicalization
Scheme) except that object keys are sorted by code point rather than by UTF-16
unit — they differ only for keys outside the Basic Multilingual Plane, which
field names never are.

This module imports nothing from Django: the writer and the verifier share it,
and an auditor can re-implement it from this description alone.
"""

import datetime
import decimal
import enum
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

# The previous hash of the first entry.
GENESIS_HASH = "0" * 64
# Bumped if the canonical form ever changes; part of every hashed document.
FORMAT_VERSION = 1
MAX_SAFE_INTEGER = 2**53 - 1

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


def utc_timestamp(moment: datetime.datetime) -> str:
    """``2026-05-01T10:00:00.123456Z``: UTC, always with microseconds."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normalise(value: Any, *, where: str = "value") -> JsonValue:
    """The JSON value stored and hashed for ``value``; ``ValueError`` if none."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return normalise(value.value, where=where)
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"{where}: integer {value} is too large; pass it as a string")
        return int(value)
    if isinstance(value, str):
        return _checked_string(value, where=where)
    if isinstance(value, float):
        raise ValueError(f"{where}: floats have no canonical form; pass a string")
    if isinstance(value, datetime.datetime):
        return utc_timestamp(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: {value} has no JSON form")
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        result: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where}: object keys must be strings, not {type(key).__name__}")
            key = _checked_string(key, where=where)
            result[key] = normalise(item, where=f"{where}.{key}")
        return result
    if isinstance(value, list | tuple):
        return [normalise(item, where=f"{where}[{index}]") for index, item in enumerate(value)]
    raise ValueError(f"{where}: a {type(value).__name__} cannot be written to the audit trail")


def _checked_string(value: str, *, where: str) -> str:
    plain = str.__str__(value)  # a str subclass (TextChoices) becomes a plain str
    if "\x00" in plain:
        raise ValueError(f"{where}: text with a NUL character cannot be stored")
    try:
        plain.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{where}: text is not valid Unicode") from None
    return plain


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The exact bytes hashed or signed for ``document`` (already normalised)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def entry_document(
    *,
    sequence: int,
    created_at: datetime.datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    fields: list[str],
    changes: Mapping[str, Any],
    reason: str,
    address: str,
    previous_hash: str,
) -> dict[str, Any]:
    """What an entry's hash covers: all of its content and its predecessor's hash."""
    return {
        "kind": "tirek.audit.entry",
        "v": FORMAT_VERSION,
        "sequence": sequence,
        "created_at": utc_timestamp(created_at),
        "actor_id": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "fields": list(fields),
        "changes": dict(changes),
        "reason": reason,
        "address": address,
        "previous_hash": previous_hash,
    }


def checkpoint_document(
    *, sequence: int, entry_hash: str, created_at: datetime.datetime, key_id: str
) -> dict[str, Any]:
    """What a checkpoint's signature covers."""
    return {
        "kind": "tirek.audit.checkpoint",
        "v": FORMAT_VERSION,
        "sequence": sequence,
        "entry_hash": entry_hash,
        "created_at": utc_timestamp(created_at),
        "key_id": key_id,
    }
