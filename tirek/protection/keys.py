"""The key ring in use, from the environment or a key file — never the database.

``TIREK_KEYRING`` (the key ring's JSON itself, e.g. injected by a secret
manager) wins over ``TIREK_KEY_FILE`` (a path; default ``data/keyring.json``,
created on first use in development). Production requires one of them to be
set explicitly (settings refuse to start otherwise).

Rotation happens in another process (``tirek keys rotate``) while the web
workers keep serving, so a worker must notice a changed key file: it looks
at the file's modification time at most every few seconds, and at once when
a value names a key it does not have.
"""

import threading
import time
from pathlib import Path

from django.conf import settings

from tirek.lib.crypto import Keyring, load_or_create_keyring, write_keyring

RECHECK_SECONDS = 5

_lock = threading.Lock()
_state: dict[str, object] = {}


def keyring(*, fresh: bool = False) -> Keyring:
    if settings.TIREK_KEYRING:
        return Keyring.from_json(settings.TIREK_KEYRING)
    path = Path(settings.TIREK_KEY_FILE)
    now = time.monotonic()
    with _lock:
        ring = _state.get("ring")
        if (
            ring is None
            or fresh
            or _state.get("path") != path
            or now - float(_state.get("checked", 0.0)) > RECHECK_SECONDS
        ):
            mtime = path.stat().st_mtime_ns if path.exists() else None
            if ring is None or fresh or mtime != _state.get("mtime") or _state.get("path") != path:
                ring = load_or_create_keyring(path)
                _state.update(ring=ring, mtime=path.stat().st_mtime_ns, path=path)
            _state["checked"] = now
        return ring  # type: ignore[return-value]


def _cache_clear() -> None:
    with _lock:
        _state.clear()


keyring.cache_clear = _cache_clear  # type: ignore[attr-defined]


def replace_keyring(new: Keyring) -> None:
    """Write a changed key ring (rotation, retirement) and use it from now on."""
    if settings.TIREK_KEYRING:
        raise RuntimeError("the key ring comes from TIREK_KEYRING; change it where it is kept")
    write_keyring(Path(settings.TIREK_KEY_FILE), new)
    keyring.cache_clear()
