"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("TIREK_TEST_ARTIFACTS", "test-artifacts"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("TIREK_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is missing: sudo apt-get install chromium (see README)")
    return path


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pass_second_factor(page, username: str) -> None:
    """The second step of signing in: the demo user's current code."""
    from tirek.accounts.demo import demo_totp_code

    page.wait_for_url("**/accounts/second-factor/**")
    page.locator("#id_code").fill(demo_totp_code(username)[0])
    page.locator("form:not(.language-switcher):not(.sign-out) button[type=submit]").click()
