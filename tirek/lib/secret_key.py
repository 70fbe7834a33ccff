"""A development secret key that survives restarts without being committed."""

import secrets
from pathlib import Path


def load_or_create_secret_key(data_dir: Path) -> str:
    """Read ``data_dir/secret_key``, creating it (mode 0600) on first use."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(64)
    # O_EXCL: if two processes start at once, one writes and both read it.
    try:
        fd = path.open("x", encoding="ascii")
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with fd:
        path.chmod(0o600)
        fd.write(key)
    return key
