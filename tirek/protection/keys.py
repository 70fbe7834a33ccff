"""The key ring in use, from the environment or a key file — never the database.

``TIREK_KEYRING`` (the key ring's JSON itself, e.g. injected by a secret
manager) wins over ``TIREK_KEY_FILE`` (a path; default ``data/keyring.json``,
created on first use in development). Production requires one of them to be
set explicitly (settings refuse to start otherwise).
"""

from functools import cache
from pathlib import Path

from django.conf import settings

from tirek.lib.crypto import Keyring, load_or_create_keyring, write_keyring


@cache
def keyring() -> Keyring:
    if settings.TIREK_KEYRING:
        return Keyring.from_json(settings.TIREK_KEYRING)
    return load_or_create_keyring(Path(settings.TIREK_KEY_FILE))


def replace_keyring(new: Keyring) -> None:
    """Write a changed key ring (rotation, retirement) and use it from now on."""
    if settings.TIREK_KEYRING:
        raise RuntimeError("the key ring comes from TIREK_KEYRING; change it where it is kept")
    write_keyring(Path(settings.TIREK_KEY_FILE), new)
    keyring.cache_clear()
