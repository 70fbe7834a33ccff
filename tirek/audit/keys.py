"""The Ed25519 key that signs checkpoints, and the public keys that check them.

The private key is a PEM (PKCS #8) file named by ``TIREK_AUDIT_SIGNING_KEY``,
outside the database: whoever can rewrite the database must not also be able
to sign a rewritten trail. It is created on first use (mode 0600, folder 0700)
in every mode, like the development secret key; a production operator creates
it deliberately with ``tirek audit checkpoint`` right after installing.

The public keys are a text file (``TIREK_AUDIT_PUBLIC_KEYS``, by default the
key's path plus ``.pub``), one base64-encoded raw 32-byte key per line, ``#``
starting a comment. It is a list so that keys can be rotated: a retired key's
line stays, so checkpoints it signed still verify. A key's id is the first 16
hex digits of the SHA-256 of its raw bytes, computed, never read from a file.
Verification needs only this file.

The same files, under other names, hold other signing keys: the evidence
bundles' key (tirek/evidence/bundle.py) passes its own paths to
``signing_key`` and ``public_keys``; the defaults are the audit key's.
"""

import base64
import hashlib
import logging
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

log = logging.getLogger("tirek.audit")

_lock = threading.Lock()
_loaded: dict[Path, Ed25519PrivateKey] = {}


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_line(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def signing_key_path() -> Path:
    return Path(settings.TIREK_AUDIT_SIGNING_KEY)


def public_keys_path() -> Path:
    return Path(settings.TIREK_AUDIT_PUBLIC_KEYS)


def signing_key(
    path: Path | None = None, *, public_keys_file: Path | None = None
) -> Ed25519PrivateKey:
    """The private key at ``path`` (the audit key unless given), read once per
    process; created if absent, its public half added to ``public_keys_file``."""
    path = path or signing_key_path()
    with _lock:
        if path not in _loaded:
            key = _read_or_create(path)
            _trust(key.public_key(), public_keys_file or public_keys_path())
            _loaded[path] = key
        return _loaded[path]


def forget_loaded_keys() -> None:
    """For tests and rotation: read the key file again on next use."""
    with _lock:
        _loaded.clear()


def _read_or_create(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # O_EXCL: of two processes starting at once, one writes, both read it.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as file:
                file.write(pem)
            log.warning(
                "created a new signing key; copy its public keys file off this server",
                extra={"key_id": key_id(key.public_key()), "path": str(path)},
            )
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def _trust(public_key: Ed25519PublicKey, path: Path) -> None:
    """Make sure the signing key's public half is in the public keys file."""
    if key_id(public_key) in public_keys(path):
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("a", encoding="ascii") as file:
        file.write(f"{public_line(public_key)}  # key {key_id(public_key)}\n")


def public_keys(path: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """Every trusted public key by id (empty if the file does not exist)."""
    path = path or public_keys_path()
    if not path.exists():
        return {}
    keys: dict[str, Ed25519PublicKey] = {}
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
        except ValueError:
            raise ValueError(f"{path}, line {number}: not a base64 Ed25519 public key") from None
        keys[key_id(key)] = key
    return keys


def sign(message: bytes) -> tuple[str, str]:
    """(key id, base64 signature) of ``message`` with the signing key."""
    key = signing_key()
    return key_id(key.public_key()), base64.b64encode(key.sign(message)).decode("ascii")


def signature_is_valid(public_key: Ed25519PublicKey, *, message: bytes, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
