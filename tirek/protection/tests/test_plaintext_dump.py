"""A stolen database holds no name, date of birth, number, phone or address.

The demo people's identity values are searched for in the raw bytes of the
SQLite file (with its WAL) and in a pg_dump of the PostgreSQL database.
"""

import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection

from tirek.core.demo import demo_load
from tirek.people.demo import PEOPLE


def canaries() -> list[bytes]:
    values: list[str] = []
    for _, name, born, document, phone, address, whereabouts, _ in PEOPLE:
        values += [name, born.isoformat(), document, address, whereabouts]
        values += [phone] if phone else []
        values += name.split()  # each part of the name on its own
    # The demo person waiting for a lawyer (tirek/nrm/demo.py): screened with
    # a date of birth, referred with a message.
    values += ["Dinara Demo-Kadyrova", "Dinara", "Demo-Kadyrova", "1999-06-15", "ID0000004"]
    values += ["+996 700 000 004", "bakery abroad"]
    found = []
    for value in values:
        found += [value.encode("utf-8"), value.encode("utf-16-le")]
    return found


def leaks_in(blob: bytes) -> list[str]:
    return sorted({c.decode("utf-8", "replace") for c in canaries() if c in blob})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file")
def test_the_sqlite_file_holds_no_identity_value(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIREK_")}
    env.pop("DATABASE_URL", None)
    env["TIREK_DATA_DIR"] = str(tmp_path)
    for command in (["migrate", "--no-input"], ["demo", "load"]):
        result = subprocess.run(
            [sys.executable, "-m", "tirek", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    files = [p for p in tmp_path.iterdir() if p.name.startswith("tirek.sqlite3")]
    blob = b"".join(p.read_bytes() for p in files)
    leaks = leaks_in(blob)
    print(
        f"\nplaintext dump (sqlite): bytes={len(blob)} canaries={len(canaries())} found={len(leaks)}"
    )
    assert not leaks


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL dump")
def test_a_postgresql_dump_holds_no_identity_value():
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed: apt-get install postgresql-client")
    demo_load()
    database = connection.settings_dict
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            database["HOST"] or "127.0.0.1",
            "-p",
            str(database["PORT"] or 5432),
            "-U",
            database["USER"] or "postgres",
            database["NAME"],
        ],
        capture_output=True,
        timeout=300,
        env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""},
    )
    assert result.returncode == 0, result.stderr
    assert b"people_person" in result.stdout  # the dump did include the people
    leaks = leaks_in(result.stdout)
    print(f"\nplaintext dump (postgresql): bytes={len(result.stdout)} found={len(leaks)}")
    assert not leaks
