"""``tirek analyze`` and ``tirek law``, run the way a person runs them."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD = {
    "offence_date": "2023-04-10",
    "victim_age": 15,
    "acts": ["recruitment"],
    "means": [],
    "purposes": ["sexual_exploitation"],
    "circumstances": [],
    "victim_consented": None,
}


def tirek(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tirek", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_it_prints_one_json_object_with_the_keys_of_the_issue():
    done = tirek("analyze", "-", stdin=json.dumps(GOOD))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    for key in (
        "trafficking",
        "child_victim",
        "elements",
        "consent_relevant",
        "law",
        "aggravating",
        "missing",
        "evidence_suggestions",
        "sources",
    ):
        assert key in answer
    assert answer["elements"]["means"]["required"] is False
    assert answer["law"]["instrument"] == "kg-cc-2021"
    assert answer["law"]["verification"] == "verified"
    assert {"satisfied", "facts"} <= set(answer["elements"]["act"])


def test_it_reads_a_file_and_explains_in_the_language_asked(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(GOOD), encoding="utf-8")
    done = tirek("analyze", str(facts), "--lang", "ky")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["language"] == "ky"
    assert "бала" in answer["child_victim_reason"]["text"]


MALFORMED = [
    ("not json", "not valid JSON"),
    ("", "empty"),
    ("[1, 2]", "JSON object"),
    ('"facts"', "JSON object"),
    ("{", "not valid JSON"),
    ('{"victim_age": NaN}', "NaN"),
    ('{"acts": ["kidnap"]}', "allowed: recruitment, transportation"),
    ('{"means": ["bribery"]}', "allowed: threat, use_of_force"),
    ('{"purposes": ["adoption"]}', "allowed: sexual_exploitation"),
    ('{"circumstances": ["night"]}', "allowed: victim_child"),
    ('{"acts": "recruitment"}', "must be a list"),
    ('{"acts": [1]}', "must be a list"),
    ('{"offence_date": "2023-02-30"}', "YYYY-MM-DD"),
    ('{"offence_date": "10.04.2023"}', "YYYY-MM-DD"),
    ('{"offence_date": 20230410}', "YYYY-MM-DD"),
    ('{"victim_birth_date": "yesterday"}', "YYYY-MM-DD"),
    ('{"victim_age": "15"}', "whole number"),
    ('{"victim_age": 15.5}', "whole number"),
    ('{"victim_age": true}', "whole number"),
    ('{"victim_age": -1}', "between 0 and"),
    ('{"victim_age": 400}', "between 0 and"),
    ('{"victim_consented": "yes"}', "true, false or null"),
    ('{"victim": 15}', "allowed keys: offence_date"),
    ('{"offence_date": "2020-01-01", "victim_birth_date": "2021-01-01"}', "after offence_date"),
]


def tirek_in_process(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """The same entry point as ``tirek`` on the command line, without paying
    a Python start-up per case (the first test above runs the real process)."""
    from tirek.__main__ import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        main(list(args))
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_malformed_input_is_refused_the_same_in_a_real_process():
    given, named = MALFORMED[0]
    done = tirek("analyze", "-", stdin=given)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert named in line and "Traceback" not in done.stderr


@pytest.mark.django_db  # the command's system checks look at the database
@pytest.mark.parametrize(("given", "named"), MALFORMED)
def test_it_refuses_malformed_input_in_one_clear_line(given, named, monkeypatch, capsys):
    status, out, err = tirek_in_process(monkeypatch, capsys, "analyze", "-", stdin=given)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert named in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("analyze",),
        ("analyze", "-", "--lang", "de"),
        ("analyze", "/no/such/file.json"),
    ],
)
def test_it_refuses_bad_arguments_in_one_clear_line(args):
    done = tirek(*args)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_it_checks_the_law_content():
    done = tirek("law", "check")
    assert done.returncode == 0, done.stderr
    assert "law content is valid" in done.stdout


def test_it_shows_a_provision_as_in_force_on_a_date():
    done = tirek("law", "show", "kg-cc-2021", "166", "--on", "2023-01-01", "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert "ч. 4 ст. 166" in done.stdout
    assert "verified" in done.stdout


def test_it_says_which_article_was_not_in_force():
    done = tirek("law", "show", "kg-cc-2021", "166", "--on", "2020-01-01")
    assert done.returncode == 2
    assert "no article '166' in force on 2020-01-01" in done.stderr


def test_it_shows_a_secondary_provision_with_its_status():
    done = tirek("law", "show", "kg-cc-2017", "171", "--on", "2020-01-01")
    assert done.returncode == 0, done.stderr
    assert "secondary" in done.stdout
