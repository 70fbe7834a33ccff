"""The key that signs evidence bundles, and the public keys that check them.

Held exactly like the audit trail's checkpoint key (tirek/audit/keys.py): a
PEM file off the database (``TIREK_EVIDENCE_SIGNING_KEY``, created on first
use, mode 0600) and a public keys file beside it
(``TIREK_EVIDENCE_PUBLIC_KEYS``, one base64 key a line; a rotated key's line
stays, so old bundles still verify). Why a key of its own: tirek/evidence/bundle.py.
"""

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from tirek.audit import keys


def signing_key() -> Ed25519PrivateKey:
    return keys.signing_key(
        Path(settings.TIREK_EVIDENCE_SIGNING_KEY),
        public_keys_file=Path(settings.TIREK_EVIDENCE_PUBLIC_KEYS),
    )


def configured_public_keys_path() -> Path:
    return Path(settings.TIREK_EVIDENCE_PUBLIC_KEYS)


def trusted_keys() -> list[Ed25519PublicKey]:
    """The configured public keys (every key this installation ever signed with);
    empty where none is configured, as on an investigator's machine."""
    try:
        return list(keys.public_keys(configured_public_keys_path()).values())
    except OSError:
        return []


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte key, in hex: all 256 bits, to compare out of band."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def readable_fingerprint(value: str) -> str:
    """``ab12 cd34 …``: groups of four, to read aloud or compare by eye."""
    return " ".join(value[start : start + 4] for start in range(0, len(value), 4))


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_keys(path: Path) -> list[Ed25519PublicKey]:
    """A PEM public key (as in a bundle) or a public keys file (one base64 key a line).

    ``ValueError`` with a readable message if it is neither.
    """
    data = path.read_bytes()
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError:
            raise ValueError(f"{path} is not a readable PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{path} does not hold an Ed25519 public key")
        return [key]
    found = list(keys.public_keys(path).values())
    if not found:
        raise ValueError(f"{path} holds no public key")
    return found
