"""Application-level encryption of identity data, and keyed blind indexes.

Plain Python, no Django: the key ring is given, never looked up here.

Sealed value format (text, so it fits any text column)::

    v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>

AES-256-GCM with a fresh 96-bit random nonce per value. The associated data
(AAD) binds a value to where it belongs: the column and the row's random
record key. A value copied into another column or another person's row fails
authentication instead of decrypting to the wrong person's data.

A blind index is HMAC-SHA256 of a normalised value under a key separate from
the encryption keys, derived per *domain* ("person-name", "document-number"),
so equal names match each other but a name never matches a document number.
It allows exact lookups without storing the value; it cannot be reversed
without the key, and it does not allow partial matches (by design).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12


class KeyringError(Exception):
    """The key ring is missing, malformed, or lacks a key a value needs."""


class DecryptionError(Exception):
    """A sealed value was altered, moved, or sealed with an unknown key."""


@dataclass(frozen=True)
class Keyring:
    primary: str
    keys: dict[str, bytes]
    blind_index_key: bytes

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise KeyringError(f"the primary key {self.primary!r} is not in the key ring")
        for key_id, key in self.keys.items():
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} must be {KEY_BYTES} bytes")
            if ":" in key_id or not key_id:
                raise KeyringError(f"key id {key_id!r} must be non-empty and contain no ':'")
        if len(self.blind_index_key) != KEY_BYTES:
            raise KeyringError(f"the blind index key must be {KEY_BYTES} bytes")

    # --- serialisation -------------------------------------------------------

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data = json.loads(text)
            return cls(
                primary=data["primary"],
                keys={key_id: _b64decode(value) for key_id, value in data["keys"].items()},
                blind_index_key=_b64decode(data["blind_index_key"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise KeyringError(f"the key ring is malformed: {error}") from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "primary": self.primary,
                "keys": {key_id: _b64encode(key) for key_id, key in sorted(self.keys.items())},
                "blind_index_key": _b64encode(self.blind_index_key),
            },
            indent=2,
        )

    @classmethod
    def generate(cls) -> Keyring:
        return cls(
            primary="k1",
            keys={"k1": secrets.token_bytes(KEY_BYTES)},
            blind_index_key=secrets.token_bytes(KEY_BYTES),
        )

    # --- rotation --------------------------------------------------------------

    def with_new_primary(self) -> Keyring:
        number = 1 + max(
            (int(key_id[1:]) for key_id in self.keys if key_id[1:].isdigit()), default=0
        )
        new_id = f"k{number}"
        return Keyring(
            primary=new_id,
            keys={**self.keys, new_id: secrets.token_bytes(KEY_BYTES)},
            blind_index_key=self.blind_index_key,
        )

    def without(self, key_id: str) -> Keyring:
        if key_id == self.primary:
            raise KeyringError("the primary key cannot be retired; rotate first")
        if key_id not in self.keys:
            raise KeyringError(f"there is no key {key_id!r}")
        return Keyring(
            primary=self.primary,
            keys={k: v for k, v in self.keys.items() if k != key_id},
            blind_index_key=self.blind_index_key,
        )


def seal(keyring: Keyring, plaintext: str, *, aad: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(keyring.keys[keyring.primary]).encrypt(
        nonce, plaintext.encode("utf-8"), aad.encode("utf-8")
    )
    return f"{FORMAT}:{keyring.primary}:{_b64encode(nonce + body)}"


def unseal(keyring: Keyring, sealed: str, *, aad: str) -> str:
    try:
        version, key_id, payload = sealed.split(":", 2)
    except ValueError:
        raise DecryptionError("not a sealed value") from None
    if version != FORMAT:
        raise DecryptionError(f"unknown format {version!r}")
    key = keyring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"sealed with key {key_id!r}, which is not in the key ring")
    try:
        raw = _b64decode(payload)
        plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode())
    except (InvalidTag, ValueError):
        raise DecryptionError("the value was altered or does not belong here") from None
    return plaintext.decode("utf-8")


def key_id_of(sealed: str) -> str:
    return sealed.split(":", 2)[1]


def normalise(value: str) -> str:
    """Case, accents' composition and spacing do not change who a person is."""
    text = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(text.replace("-", " ").split())


def normalise_document_number(value: str) -> str:
    """Passport and ID numbers: letters and digits only, case-insensitive."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())


def blind_index(keyring: Keyring, domain: str, normalised_value: str) -> str:
    domain_key = hmac.new(keyring.blind_index_key, domain.encode(), hashlib.sha256).digest()
    return hmac.new(domain_key, normalised_value.encode("utf-8"), hashlib.sha256).hexdigest()


def load_or_create_keyring(path: Path) -> Keyring:
    """Read the key ring file, creating it (mode 0600) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            with path.open("x", encoding="ascii") as handle:
                path.chmod(0o600)
                handle.write(Keyring.generate().to_json())
        except FileExistsError:
            pass
    return Keyring.from_json(path.read_text(encoding="ascii"))


def write_keyring(path: Path, keyring: Keyring) -> None:
    """Replace the key ring file atomically: a crash leaves the old or the new."""
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="ascii") as handle:
        temporary.chmod(0o600)
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
