"""The content is valid, and ``law check`` catches what would make it untrustworthy."""

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tirek.law.check import check_content
from tirek.law.content import CONTENT_DIR, ContentError, law_content, load_content

OFFICIAL_TEXTS = Path(__file__).resolve().parents[4] / "shared" / "data" / "law-kg"


def test_it_passes_its_own_check() -> None:
    assert check_content() == []


def test_it_loads_once_and_is_frozen() -> None:
    assert law_content() is law_content()
    with pytest.raises(AttributeError):
        law_content().settings.child_under = 21  # type: ignore[misc]


def test_it_encodes_article_166_with_four_parts_and_a_note() -> None:
    law = law_content()
    article = law.provision("kg-cc-2021/166")
    parts = [law.provision(pid).part for pid in article.parts]
    assert parts == ["1", "2", "3", "4", "note"]
    assert article.verification.status == "verified"
    assert law.provision("kg-cc-2021/167").parts == (
        "kg-cc-2021/167/1",
        "kg-cc-2021/167/2",
        "kg-cc-2021/167/3",
    )


def test_it_keeps_the_older_codes_secondary_without_invented_elements() -> None:
    law = law_content()
    for article_id in ("kg-cc-1997/124", "kg-cc-2017/171"):
        article = law.provision(article_id)
        assert article.verification.status == "secondary"
        assert article.elements is None and article.parts == ()


def test_it_gives_unverified_time_limits_no_figure() -> None:
    unverified = [t for t in law_content().time_limits if t.verification.status == "unverified"]
    assert unverified and all(t.period is None for t in unverified)


def mutated(tmp_path: Path, name: str, change: Callable[[str], str]) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    target = next(copy.rglob(name))
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def problems_after(tmp_path: Path, name: str, change: Callable[[str], str]) -> list[str]:
    # The checker reads the schema next to the shipped content; only the YAML is mutated.
    return check_content(mutated(tmp_path, name, change))


def test_it_reports_a_missing_language(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "kg-cc-2021.yaml",
        lambda t: t.replace(
            "  en: The criminal code in force since",
            "  xx: The criminal code in force since",
            1,
        ),
    )
    assert any("'en' is a required property" in p for p in problems)


def test_it_reports_an_unknown_code(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "kg-cc-2021.yaml",
        lambda t: t.replace("circumstance: victim_pregnant", "circumstance: victim_tall", 1),
    )
    assert any("victim_tall" in p for p in problems)


def test_it_reports_overlapping_codes(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "kg-cc-2017.yaml",
        lambda t: t.replace('in_force_to: "2021-11-30"', 'in_force_to: "2021-12-31"'),
    )
    assert any("both in force" in p for p in problems)


def test_it_reports_a_figure_on_an_unverified_limit(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "time_limits.yaml",
        lambda t: t.replace(
            "    title: {ky: Кассациялык даттануунун мөөнөтү",
            "    title: {ky: Кассациялык даттануунун мөөнөтү",
            1,
        ).replace(
            '    period: null\n    summary:\n      ky: "Мөөнөт Tirek',
            '    period: {value: 30, unit: days}\n    summary:\n      ky: "Мөөнөт Tirek',
            1,
        ),
    )
    assert any("may not state a period" in p for p in problems)


def test_it_reports_dates_running_backwards(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "kg-cc-2021.yaml",
        lambda t: t.replace('adopted: "2021-10-28"', 'adopted: "2022-10-28"', 1),
    )
    assert any("is after" in p for p in problems)


def test_it_reports_a_citation_to_nothing(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "rights.yaml",
        lambda t: t.replace("sources: [kg-cpc-2021/40]", "sources: [kg-cpc-2021/999]", 1),
    )
    assert any("kg-cpc-2021/999" in p for p in problems)


def test_it_reports_placeholders_that_differ_between_languages(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "reasons.yaml",
        lambda t: t.replace(
            'en: "An act is present: {facts}."', 'en: "An act is present: {fact}."', 1
        ),
    )
    assert any("act.made_out" in p for p in problems)


def test_it_refuses_to_load_broken_content(tmp_path: Path) -> None:
    broken = mutated(
        tmp_path,
        "vocabulary.yaml",
        lambda t: t.replace("kind: vocabulary", "kind: vocabulary\nextra: 1"),
    )
    with pytest.raises(ContentError):
        load_content(broken)


def test_it_uses_every_reason_the_engine_names() -> None:
    source = (Path(__file__).resolve().parents[1] / "engine.py").read_text(encoding="utf-8")
    named = set(re.findall(r'"((?:[a-z_]+\.)+[a-z_]+)"', source))
    # "national.purpose" is a prefix the engine completes with made_out/arguable/none.
    named = {n for n in named if n != "national.purpose"}
    assert named <= set(law_content().reasons), named - set(law_content().reasons)


@pytest.mark.skipif(
    not OFFICIAL_TEXTS.exists(), reason="shared/data/law-kg is not beside the repository"
)
def test_it_summarises_and_does_not_copy_the_official_texts() -> None:
    # A run of twelve words shared with an official text is a copy, not a summary.
    # (Shorter runs occur legitimately: titles of acts and the glossary's lists of terms.)
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 12]) for i in range(len(words) - 11)}

    official: set[tuple[str, ...]] = set()
    for path in OFFICIAL_TEXTS.glob("*/*.txt"):
        official |= shingles(path.read_text(encoding="utf-8"))
    copied = []
    for path in CONTENT_DIR.rglob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if shingles(line) & official:
                copied.append(f"{path.name}: {line.strip()[:80]}")
    assert not copied, copied
