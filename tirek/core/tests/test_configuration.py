"""Settings come from the environment; production passes `check --deploy`."""

import os
import sqlite3
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "TIREK_ENV": "production",
    "TIREK_SECRET_KEY": "k" * 20 + "-not-a-real-secret-but-long-enough-" + "x" * 20,
    "TIREK_ALLOWED_HOSTS": "tirek.example.kg",
    "TIREK_HSTS_PRELOAD": "1",
    "TIREK_KEY_FILE": "/etc/tirek/keyring.json",
}


def tirek(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TIREK_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "tirek", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_it_passes_the_deployment_check_with_no_warnings(tmp_path):
    result = tirek(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | {"TIREK_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = PRODUCTION_ENV | {"TIREK_DATA_DIR": str(tmp_path), "TIREK_SECRET_KEY": ""}
    result = tirek("check", env=env)
    assert result.returncode != 0
    assert "TIREK_SECRET_KEY must be set" in result.stderr


def test_it_refuses_debug_in_production(tmp_path):
    env = PRODUCTION_ENV | {"TIREK_DATA_DIR": str(tmp_path), "TIREK_DEBUG": "1"}
    result = tirek("check", env=env)
    assert result.returncode != 0
    assert "TIREK_DEBUG must not be on" in result.stderr


def test_it_names_a_malformed_setting(tmp_path):
    result = tirek("check", env={"TIREK_DATA_DIR": str(tmp_path), "TIREK_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "TIREK_DEBUG must be one of" in result.stderr


def test_it_refuses_the_demo_in_production(tmp_path):
    result = tirek("demo", "load", env=PRODUCTION_ENV | {"TIREK_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "refused" in result.stderr


@pytest.mark.skipif("postgres" in os.environ.get("DATABASE_URL", ""), reason="SQLite only")
def test_it_keeps_the_embedded_database_private_and_in_wal_mode(tmp_path):
    result = tirek("migrate", "--no-input", env={"TIREK_DATA_DIR": str(tmp_path)}, timeout=300)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "tirek.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for private in ("secret_key", "tirek.sqlite3", "tirek.sqlite3-wal"):
        if (tmp_path / private).exists():
            assert (tmp_path / private).stat().st_mode & 0o077 == 0, private


def test_the_tirek_command_lists_django_and_tirek_commands(tmp_path):
    result = tirek("help", env={"TIREK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0
    assert "[core]" in result.stdout and "demo" in result.stdout
    assert "migrate" in result.stdout
