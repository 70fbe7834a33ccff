"""``tirek law check``: everything that must hold for the content to be trusted.

Schema first; then what a schema cannot say: codes exist in the vocabulary,
every cited id exists, dates run forwards and fit their instrument, the
trafficking articles of successive codes do not overlap, every summary is
there in three languages, an unverified statement carries no figure, and
each sentence of reasons.yaml has the same placeholders in every language.
For the procedure: codes are unique, every stage, role, event kind, decision
and deadline rule named exists, the counting rules the engine implements are
all there, and the notes of counting.yaml have the same placeholders.
"""

import itertools
import string
from calendar import monthrange
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
    yield from _procedure(law)
    from tirek.law.interviews import content_problems  # it imports the loader

    yield from content_problems(law)


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
    cited += [(f"role {r.code}", r.sources) for r in law.roles]
    cited += [(f"stage {s.code}", s.sources) for s in law.stages]
    cited += [(f"decision {d.code}", d.sources) for d in law.decisions]
    cited += [
        (f"decision {d.code} challenge", c.sources) for d in law.decisions for c in d.challenges
    ]
    cited += [(f"counting {r.code}", r.sources) for r in law.counting.rules]
    cited += [(f"non-working day {w.weekday}", w.sources) for w in law.counting.weekdays]
    cited += [("holidays", law.counting.holiday_sources)]
    cited += [(f"step {s.code}", s.sources) for s in law.playbook.steps]
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
        yield from check(f"{t.id} title", t.title)
    for role in law.roles:
        yield from check(f"role {role.code} label", role.label)
        yield from check(f"role {role.code} summary", role.summary)
    for k in law.event_kinds:
        yield from check(f"event kind {k.code} label", k.label)
    for st in law.stages:
        yield from check(f"stage {st.code} label", st.label)
        yield from check(f"stage {st.code} summary", st.summary)
    for d in law.decisions:
        yield from check(f"decision {d.code} label", d.label)
        for c in d.challenges:
            yield from check(f"decision {d.code} route", c.route)
    for cr in law.counting.rules:
        yield from check(f"counting {cr.code} summary", cr.summary)
    for step in law.playbook.steps:
        yield from check(f"step {step.code} title", step.title)
        yield from check(f"step {step.code} explanation", step.explanation)


def _figures(law: LawContent) -> Iterator[str]:
    """DOMAIN.md: an unverified statement carries no invented number."""
    for p in law.provisions.values():
        if p.verification.status == "unverified" and p.penalty is not None:
            yield f"{p.id}: unverified, so it may not state a penalty"
    for t in law.time_limits:
        if t.verification.status == "unverified" and t.period is not None:
            yield f"{t.id}: unverified, so it may not state a period"


def _placeholders(law: LawContent) -> Iterator[str]:
    groups = (
        ("reasons", law.reasons),
        ("formats", law.formats),
        ("counting notes", law.counting.notes),
    )
    for group, texts in groups:
        for key, text in texts.items():
            fields = [_fields(text.in_(lang)) for lang in LANGUAGES]
            if any(f != fields[0] for f in fields):
                yield f"{group}.{key}: the languages use different placeholders {fields}"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# The counting rules procedure.py implements, and the notes it explains itself with.
COUNTING_RULES = (
    "day_is_full_day",
    "start_day_not_counted",
    "months_by_calendar",
    "non_working_end_moves",
    "posted_in_time",
    "hours_known_by_date",
)
COUNTING_NOTES = (
    "from_received",
    "from_made",
    "received_unknown",
    "hours",
    "days",
    "months",
    "years",
    "moved",
    "moved_unverified",
    "posted",
    "no_figure",
    "secondary_figure",
)


def _procedure(law: LawContent) -> Iterator[str]:
    """The procedure fits together: every code it names exists, once."""
    roles = _unique("role", [r.code for r in law.roles])
    kinds = _unique("event kind", [k.code for k in law.event_kinds])
    stages = _unique("stage", [s.code for s in law.stages])
    decisions = _unique("decision", [d.code for d in law.decisions])
    steps = _unique("playbook step", [s.code for s in law.playbook.steps])
    yield from (
        problem for found in (roles, kinds, stages, decisions, steps) for problem in found[1]
    )
    role_codes, kind_codes, stage_codes, decision_codes = (
        roles[0],
        kinds[0],
        stages[0],
        decisions[0],
    )
    rules = {t.id: t for t in law.time_limits if t.deadline is not None}
    if "registration" not in stage_codes or law.stages[0].code != "registration":
        yield "procedure: the first stage must be 'registration', where every case starts"
    for t in law.time_limits:
        if t.deadline is None:
            continue
        for code in sorted(t.deadline.roles - role_codes):
            yield f"{t.id}: unknown lawyer role {code!r}"
        for code in sorted(t.deadline.on_kinds - kind_codes):
            yield f"{t.id}: unknown event kind {code!r}"
        if (
            t.period is not None
            and t.period.unit != "hours"
            and t.period.value != int(t.period.value)
        ):
            yield f"{t.id}: a period in {t.period.unit} is a whole number"
    for d in law.decisions:
        for code in d.from_stages:
            if code not in stage_codes:
                yield f"decision {d.code}: unknown stage {code!r}"
        if d.moves_to is not None and d.moves_to not in stage_codes:
            yield f"decision {d.code}: moves to unknown stage {d.moves_to!r}"
        for rule in d.starts:
            if rule not in rules:
                yield f"decision {d.code}: starts {rule!r}, which is not a deadline rule"
        for c in d.challenges:
            for code in sorted(c.roles - role_codes):
                yield f"decision {d.code}: challenge by unknown role {code!r}"
    for step in law.playbook.steps:
        for code in sorted(step.roles - role_codes):
            yield f"step {step.code}: unknown lawyer role {code!r}"
        for code in sorted(step.stages - stage_codes):
            yield f"step {step.code}: unknown stage {code!r}"
        for code in sorted(step.when.last_decisions - decision_codes):
            yield f"step {step.code}: unknown decision {code!r}"
        if step.due_rule is not None:
            if step.due_rule not in rules:
                yield f"step {step.code}: due by {step.due_rule!r}, which is not a deadline rule"
            elif not step.when.last_decisions and not any(
                step.due_rule in d.starts for d in law.decisions
            ):
                yield f"step {step.code}: no decision starts {step.due_rule!r}"
            elif any(
                step.due_rule not in next(d for d in law.decisions if d.code == code).starts
                for code in step.when.last_decisions & decision_codes
            ):
                yield f"step {step.code}: its decisions do not all start {step.due_rule!r}"
    present = {r.code for r in law.counting.rules}
    for code in COUNTING_RULES:
        if code not in present:
            yield f"counting.yaml: the engine implements {code!r}; state it with its source"
    for key in COUNTING_NOTES:
        if key not in law.counting.notes:
            yield f"counting.yaml: notes.{key} is missing"
    for holiday in law.counting.holidays:
        if not 1 <= holiday.day <= monthrange(2024, holiday.month)[1]:
            yield f"counting.yaml: {holiday.month}-{holiday.day} is not a day of the year"


def _unique(what: str, codes: list[str]) -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    problems = []
    for code in codes:
        if code in seen:
            problems.append(f"procedure: {what} {code!r} appears twice")
        seen.add(code)
    return seen, problems
