"""Kyrgyz and Russian catalogues are complete, correct and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = ["ky", "ru"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+(?::[^}]*)?\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, (
        f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    )
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_its_placeholders(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != expected and not (
                entry.msgid_plural
                and sorted(set(PLACEHOLDER.findall(form))) == sorted(set(expected))
            ):
                wrong.append(entry.msgid)
    assert not wrong, f"{language}: placeholders differ in {wrong}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_left_in_english(language):
    # A msgstr identical to a multi-word English msgid is a forgotten translation.
    same = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        if entry.msgstr == entry.msgid and " " in entry.msgid
    ]
    assert not same, f"{language}: still English: {same}"


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{language}: run `make messages` ({entry.msgid!r} not compiled)"
        assert compiled[key] == (entry.msgstr or entry.msgstr_plural), (
            f"{language}: run `make messages` ({entry.msgid!r} changed)"
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_catalogues_hold_every_message_in_the_code(tmp_path):
    """A new message must be extracted (`make messages`) before it can be translated."""
    shutil.copytree(
        Path(__file__).resolve().parents[2],
        tmp_path / "tirek",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "ru",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=tmp_path / "tirek",
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "tirek.settings",
            "PYTHONPATH": str(tmp_path),
            "TIREK_DATA_DIR": str(tmp_path / "data"),
            "PATH": "/usr/bin:/bin",
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "tirek/locale/ru/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in catalogue("ru")}
    assert not fresh - committed, f"not extracted yet: {sorted(fresh - committed)[:5]}"
