import pytest

from tirek.audit import keys


@pytest.fixture(autouse=True)
def audit_keys(settings, tmp_path):
    """A signing key of the test's own, created on first use in a fresh folder."""
    settings.TIREK_AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit_signing_key"
    settings.TIREK_AUDIT_PUBLIC_KEYS = tmp_path / "keys" / "audit_signing_key.pub"
    keys.forget_loaded_keys()
    yield settings.TIREK_AUDIT_SIGNING_KEY
    keys.forget_loaded_keys()
