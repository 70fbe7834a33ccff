"""``tirek law check``: everything that must hold for the content to be trusted.

Schema first; then what a schema cannot say: codes exist in the vocabulary,
every cited id exists, dates run forwards and fit their instrument, the
trafficking articles of successive codes do not overlap, every summary is
there in three languages, an unverified statement carries no figure, and
each sentence of reasons.yaml has the same placeholders in every language.
"""

import itertools
import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from tirek.law.content import CONTENT_DIR, ContentError, build, read_documents, schema_problems
from tirek.law.model import (
    CATEGORIES,
    LANGUAGES,
    Category,
    Elements,
    LawContent,
    Provision,
    Text,
    Trigger,
)


def check_content(directory: Path = CONTENT_DIR) -> list[str]:
    files, problems = read_documents(directory)
    problems += schema_problems(files)
    if problems:
        return problems
    try:
        law = build(files)
    except (KeyError, ValueError, ContentError) as error:
        return [f"content does not fit together: {error}"]
    return list(_problems(law))


def _problems(law: LawContent) -> Iterator[str]:
    yield from _codes(law)
    yield from _citations(law)
    yield from _dates(law)
    yield from _lineage(law)
    yield from _texts(law)
    yield from _figures(law)
    yield from _placeholders(law)


def _known_ids(law: LawContent) -> set[str]:
    return set(law.provisions) | set(law.instruments) | set(law.references)


def _codes(law: LawContent) -> Iterator[str]:
    known = {category: set(law.vocabulary.codes(category)) for category in CATEGORIES}
    everything = set().union(*known.values())

    def check_trigger(where: str, trigger: Trigger | None) -> Iterator[str]:
        if trigger is None:
            return
        for category in CATEGORIES:
            for code in sorted(getattr(trigger, category) - known[category]):
                yield f"{where}: unknown {category} code {code!r}"

    def check_elements(where: str, elements: Elements | None) -> Iterator[str]:
        if elements is None:
            return
        pairs: list[tuple[Category, frozenset[str]]] = [
            ("acts", elements.acts),
            ("means", elements.means),
            ("purposes", elements.purposes | elements.arguable_purposes),
        ]
        for category, codes in pairs:
            for code in sorted(codes - known[category]):
                yield f"{where}: unknown {category} code {code!r}"
        for code in sorted(elements.purposes & elements.arguable_purposes):
            yield f"{where}: purpose {code!r} is both listed and arguable"

    for p in law.provisions.values():
        yield from check_elements(p.id, p.elements)
        yield from check_trigger(p.id, p.consider_when)
        numbers = [item.number for item in p.items]
        if len(numbers) != len(set(numbers)):
            yield f"{p.id}: item numbers repeat"
        for item in p.items:
            for code in (item.circumstance, item.purpose):
                if code is not None and code not in everything:
                    yield f"{p.id} item {item.number}: unknown code {code!r}"
        if p.qualifies is not None and not any(
            law.provision(pid).part == p.qualifies for pid in law.provision(_article_id(p)).parts
        ):
            yield f"{p.id}: qualifies part {p.qualifies!r}, which the article does not have"
    for s in law.indicator_sets:
        yield from check_trigger(s.id, s.screen_when)
        for indicator in s.indicators:
            yield from check_trigger(indicator.id, indicator.points_to)
    for r in law.rights:
        yield from check_trigger(r.id, r.when)
    for e in law.evidence:
        for target in e.targets:
            if ":" in target and target.split(":", 1)[1] not in everything:
                yield f"{e.id}: unknown code in {target!r}"


def _article_id(part: Provision) -> str:
    return part.id.rsplit("/", 1)[0]


def _citations(law: LawContent) -> Iterator[str]:
    known = _known_ids(law)
    cited: list[tuple[str, tuple[str, ...]]] = [
        *((s.id, s.sources) for s in law.indicator_sets),
        *((e.id, e.sources) for e in law.evidence),
        *((r.id, r.sources) for r in law.rights),
        *((t.id, t.sources) for t in law.time_limits),
    ]
    settings = law.settings
    cited.append(
        (
            "analysis.yaml",
            (
                settings.international_definition,
                *settings.child_age_sources,
                *settings.consent_basis,
                *settings.time_basis,
                *settings.child_rule_basis,
                *settings.retroactivity_basis,
                *settings.qualification_basis,
            ),
        )
    )
    for where, ids in cited:
        for source_id in ids:
            if source_id not in known:
                yield f"{where}: cites {source_id!r}, which is not in the content"
    for p in law.provisions.values():
        if not p.source.citation.strip():
            yield f"{p.id}: no citation"
    for i in law.instruments.values():
        if i.source.url is None and i.source.edition is None:
            yield f"{i.id}: give the official location (url) or the edition read"
    for p in law.provisions.values():
        if p.verification.confirmed_by and p.verification.status != "verified":
            yield f"{p.id}: confirmed by a lawyer but not marked verified"


def _dates(law: LawContent) -> Iterator[str]:
    for i in law.instruments.values():
        yield from _ordered_dates(i.id, i.adopted, i.in_force_from, i.in_force_to)
        for pid in i.provisions:
            p = law.provision(pid)
            yield from _ordered_dates(p.id, p.adopted, p.in_force_from, p.in_force_to)
            if i.in_force_from and p.in_force_from and p.in_force_from < i.in_force_from:
                yield f"{p.id}: in force before its instrument"
            if i.in_force_to and (p.in_force_to is None or p.in_force_to > i.in_force_to):
                yield f"{p.id}: outlives its instrument ({i.in_force_to})"
            if p.verification.confirmed_on and p.verification.confirmed_on > date.today():
                yield f"{p.id}: confirmed on a future date"


def _ordered_dates(
    where: str, adopted: date | None, start: date | None, end: date | None
) -> Iterator[str]:
    known = [(name, day) for name, day in (("adopted", adopted), ("in_force_from", start)) if day]
    known += [("in_force_to", end)] if end else []
    for (name_a, a), (name_b, b) in itertools.pairwise(known):
        if a > b:
            yield f"{where}: {name_a} {a} is after {name_b} {b}"


def _lineage(law: LawContent) -> Iterator[str]:
    """One trafficking article per day: successive versions may not overlap."""
    articles = law.articles_with_role(law.settings.trafficking_role)
    for earlier, later in itertools.pairwise(articles):
        later_start = later.in_force_from or later.adopted
        if later_start is None:
            yield f"{later.id}: a later trafficking article needs a start date"
        elif earlier.in_force_to is None or earlier.in_force_to >= later_start:
            yield f"{earlier.id} and {later.id} are both in force on {later_start}"


def _texts(law: LawContent) -> Iterator[str]:
    def check(where: str, text: Text) -> Iterator[str]:
        values = [text.in_(lang).strip() for lang in LANGUAGES]
        if not all(values):
            yield f"{where}: a language is empty"
        elif text.ky == text.ru or text.ru == text.en or text.ky == text.en:
            yield f"{where}: two languages say the same words; translate"

    for p in law.provisions.values():
        yield from check(f"{p.id} summary", p.summary)
    for i in law.instruments.values():
        yield from check(f"{i.id} summary", i.summary)
    for e in law.evidence:
        yield from check(f"{e.id} text", e.text)
    for r in law.rights:
        yield from check(f"{r.id} summary", r.summary)
    for t in law.time_limits:
        yield from check(f"{t.id} summary", t.summary)


def _figures(law: LawContent) -> Iterator[str]:
    """DOMAIN.md: an unverified statement carries no invented number."""
    for p in law.provisions.values():
        if p.verification.status == "unverified" and p.penalty is not None:
            yield f"{p.id}: unverified, so it may not state a penalty"
    for t in law.time_limits:
        if t.verification.status == "unverified" and t.period is not None:
            yield f"{t.id}: unverified, so it may not state a period"


def _placeholders(law: LawContent) -> Iterator[str]:
    for group, texts in (("reasons", law.reasons), ("formats", law.formats)):
        for key, text in texts.items():
            fields = [_fields(text.in_(lang)) for lang in LANGUAGES]
            if any(f != fields[0] for f in fields):
                yield f"{group}.{key}: the languages use different placeholders {fields}"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
