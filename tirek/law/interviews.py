"""Interview plans held against the law and good practice; the question bank.

Pure functions over ``content/interviews.yaml``; no Django. The Django part
builds a ``PlanFacts`` from a plan and its person's earlier questionings,
calls ``check_plan`` and refuses to finalise while ``refusals`` is not empty.

    from tirek.law import interviews
    check = interviews.check_plan(interviews.PlanFacts(audience="child", age=9, ...))
    check.can_finalise                        # False: CPC 2021 art. 203 part 1
    interviews.render_plan_check(check, "ky") # sentences and sources, in Kyrgyz
    interviews.questions_for("child", {"travel"})

``check_plan``:

1. decides whether the child rules apply: a plan for a child, or a recorded
   age under the content's age of childhood (either is enough; a conflict is
   warned about, since a wrong entry must not drop a child's protection);
2. holds the plan against every safeguard in force on the planned day that
   concerns the person: the people and arrangements it requires, and the
   durations it allows. A breach refuses the plan only when the rule says
   ``refuse`` *and* is verified; otherwise it warns;
3. warns about a need of the person (e.g. an interpreter) the plan leaves out;
4. warns before a face-to-face confrontation with the accused;
5. counts the earlier questionings, warns from the content's threshold, and
   for each planned topic already covered points to the recorded statement
   (or, without one, asks that only what is new be asked).

Every finding carries a message code (the sentence in ``reasons.yaml``) and the
ids of the provisions and publications it rests on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from tirek.law.content import law_content
from tirek.law.model import (
    PHASES,
    Audience,
    ChecklistItem,
    ChecklistMoment,
    Interviews,
    Lang,
    LawContent,
    Question,
    Safeguard,
)
from tirek.law.render import Renderer
from tirek.law.result import Day

__all__ = [
    "PLAN_AUDIENCES",
    "Finding",
    "InterviewError",
    "Labels",
    "PlanAudience",
    "PlanCheck",
    "PlanFacts",
    "Questioning",
    "TopicHistory",
    "check_plan",
    "checklist_for",
    "content_problems",
    "questions_for",
    "render_plan_check",
]

PlanAudience = Literal["adult", "child", "witness", "witness_child"]
"""Whom the plan is for: an adult victim, a child victim, an adult or a child witness."""
PLAN_AUDIENCES: tuple[PlanAudience, ...] = get_args(PlanAudience)
_CHILD_AUDIENCES: frozenset[str] = frozenset({"child", "witness_child"})
_BANK_AUDIENCE: Mapping[PlanAudience, Audience] = {
    "adult": "adult",
    "child": "child",
    "witness": "witness",
    "witness_child": "child",  # the child versions are neutral enough for a child witness
}


class InterviewError(ValueError):
    """The plan's facts do not make sense (unknown code, negative minutes)."""


@dataclass(frozen=True)
class Questioning:
    """An earlier questioning or interview of the same person.

    ``statement`` is the caller's own pointer to the recorded statement (an
    evidence or document id); Tirek hands it back in the warning.
    """

    held_on: date
    topics: frozenset[str]
    recorded: bool
    statement: str | None = None


@dataclass(frozen=True)
class PlanFacts:
    """What a plan says. ``present``: the accommodations planned (people and
    arrangements, codes of interviews.yaml); ``needs``: what the person needs or
    asked for (an interpreter, an interviewer of a given gender, ...)."""

    audience: PlanAudience
    age: int | None
    planned_on: date
    continuous_minutes: int
    day_minutes: int
    present: frozenset[str] = frozenset()
    recording: bool = False
    confrontation: bool = False
    topics: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    history: tuple[Questioning, ...] = ()

    @property
    def planned(self) -> frozenset[str]:
        return self.present | ({"recording"} if self.recording else frozenset())


@dataclass(frozen=True)
class Labels:
    """Codes of interviews.yaml (accommodations, topics), shown by their labels."""

    codes: tuple[str, ...]
    either: bool = False  # "a or b" rather than "a, b"


Value = str | int | Day | Labels


@dataclass(frozen=True)
class Finding:
    """One refusal or warning: ``code`` names its sentence in reasons.yaml."""

    code: str
    args: tuple[tuple[str, Value], ...]
    sources: tuple[str, ...]
    rule: str | None = None
    statement: str | None = None


@dataclass(frozen=True)
class TopicHistory:
    topic: str
    dates: tuple[date, ...]
    recorded_statements: tuple[str, ...]


@dataclass(frozen=True)
class PlanCheck:
    child: bool
    refusals: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    previous_questionings: int
    topics_covered: tuple[TopicHistory, ...] = field(default=())

    @property
    def can_finalise(self) -> bool:
        return not self.refusals


# --- The plan ---------------------------------------------------------------------


def check_plan(plan: PlanFacts, content: LawContent | None = None) -> PlanCheck:
    law = content or law_content()
    bank = law.interviews
    _validate(plan, bank)
    child, notes = _child(plan, bank)
    refusals: list[Finding] = []
    warnings: list[Finding] = list(notes)
    covered_by_rules: set[str] = set()
    for rule in bank.safeguards:
        if not _concerns(rule, plan, child):
            continue
        if rule.when_needed is not None:
            covered_by_rules.add(rule.when_needed)
        for finding, refuse in _breaches(rule, plan, law):
            (refusals if refuse else warnings).append(finding)
    for need in sorted(plan.needs - plan.planned - covered_by_rules):
        warnings.append(Finding("interview.need_unmet", (("missing", Labels((need,))),), ()))
    if plan.confrontation:
        warnings.append(_confrontation(child, bank, law))
    warnings += _history(plan, child, bank, law)
    return PlanCheck(
        child=child,
        refusals=tuple(refusals),
        warnings=tuple(warnings),
        previous_questionings=len(plan.history),
        topics_covered=_covered(plan.history),
    )


def _validate(plan: PlanFacts, bank: Interviews) -> None:
    accommodations = {a.code for a in bank.accommodations}
    topics = {t.code for t in bank.topics}
    problems = [f"unknown accommodation {c!r}" for c in sorted(plan.planned - accommodations)]
    problems += [f"unknown need {c!r}" for c in sorted(plan.needs - accommodations)]
    asked = plan.topics.union(*(q.topics for q in plan.history))
    problems += [f"unknown topic {c!r}" for c in sorted(asked - topics)]
    if plan.audience not in PLAN_AUDIENCES:
        problems.append(f"unknown audience {plan.audience!r}")
    if plan.age is not None and plan.age < 0:
        problems.append("age is negative")
    if plan.continuous_minutes < 0 or plan.day_minutes < 0:
        problems.append("minutes are negative")
    if plan.day_minutes < plan.continuous_minutes:
        problems.append("the day's total is shorter than one stretch")
    if problems:
        raise InterviewError("; ".join(problems))


def _child(plan: PlanFacts, bank: Interviews) -> tuple[bool, list[Finding]]:
    by_plan = plan.audience in _CHILD_AUDIENCES
    by_age = plan.age is not None and plan.age < bank.child_under
    sources = bank.child_age_sources
    if by_age and not by_plan:
        args: tuple[tuple[str, Value], ...] = (
            ("age", plan.age or 0),
            ("under", bank.child_under),
            ("basis", _basis(sources)),
        )
        return True, [Finding("interview.child_by_age", args, sources)]
    if by_plan and plan.age is not None and not by_age:
        args = (("age", plan.age), ("basis", _basis(sources)))
        return True, [Finding("interview.child_by_plan", args, sources)]
    return by_plan or by_age, []


def _concerns(rule: Safeguard, plan: PlanFacts, child: bool) -> bool:
    if not rule.in_force_on(plan.planned_on):
        return False
    if rule.children and not child:
        return False
    if rule.when_needed is not None and rule.when_needed not in plan.needs:
        return False
    if rule.when_present is not None and rule.when_present not in plan.planned:
        return False
    # An age threshold with no age recorded is assumed to apply (see _missing).
    return rule.age_under is None or plan.age is None or plan.age < rule.age_under


def _refuses(rule: Safeguard) -> bool:
    """Only a verified rule may block a plan, whatever the content says."""
    return rule.enforcement == "refuse" and rule.verification.status == "verified"


def _breaches(rule: Safeguard, plan: PlanFacts, law: LawContent) -> Iterable[tuple[Finding, bool]]:
    refuse = _refuses(rule)
    verified = rule.verification.status == "verified"
    common: tuple[tuple[str, Value], ...] = (
        ("rule", _rule_title(rule)),
        ("basis", _basis(_law_first(rule, law))),
    )
    for group in rule.requires_any:
        if set(group) & plan.planned:
            continue
        missing: tuple[tuple[str, Value], ...] = (("missing", Labels(group, either=True)),)
        if not verified:
            code = "interview.missing_unverified"
        elif rule.age_under is not None and plan.age is None:
            code = "interview.missing_age_unknown"
            missing += (("age", rule.age_under),)
        else:
            code = "interview.missing"
        yield Finding(code, common + missing, rule.sources, rule.id), refuse
    limits = (
        ("continuous", plan.continuous_minutes, rule.max_continuous_minutes),
        ("day", plan.day_minutes, rule.max_day_minutes),
    )
    for name, minutes, limit in limits:
        if limit is None or minutes <= limit:
            continue
        code = f"interview.over_{name}" + ("" if verified else "_unverified")
        args = (*common, ("minutes", minutes), ("limit", limit))
        yield Finding(code, args, rule.sources, rule.id), refuse


def _rule_title(rule: Safeguard) -> Labels:
    return Labels((f"safeguard:{rule.id}",))


def _law_first(rule: Safeguard, law: LawContent) -> tuple[str, ...]:
    """The provisions a rule rests on (its borrowed figure first); else its publications."""
    ids = ((rule.figure_from,) if rule.figure_from else ()) + rule.sources
    provisions = tuple(dict.fromkeys(i for i in ids if i in law.provisions))
    return provisions or rule.sources


def _basis(ids: tuple[str, ...]) -> Labels:
    return Labels(tuple(f"source:{i}" for i in ids))


def _confrontation(child: bool, bank: Interviews, law: LawContent) -> Finding:
    sources = bank.confrontation_child_sources if child else bank.confrontation_sources
    code = "interview.confrontation_child" if child else "interview.confrontation"
    provisions = tuple(s for s in sources if s in law.provisions) or sources
    return Finding(code, (("basis", _basis(provisions)),), sources)


def _history(plan: PlanFacts, child: bool, bank: Interviews, law: LawContent) -> list[Finding]:
    policy = bank.repeat
    basis = _basis(tuple(s for s in policy.sources if s in law.provisions) or policy.sources)
    found: list[Finding] = []
    threshold = policy.warn_from_child if child else policy.warn_from_adult
    if len(plan.history) >= threshold:
        args: tuple[tuple[str, Value], ...] = (
            ("count", len(plan.history)),
            ("threshold", threshold),
            ("basis", basis),
        )
        found.append(Finding("interview.many_questionings", args, policy.sources))
    for topic in sorted(plan.topics):
        earlier = [q for q in plan.history if topic in q.topics]
        if not earlier:
            continue
        recorded = [q for q in earlier if q.recorded]
        latest = max(recorded or earlier, key=lambda q: q.held_on)
        code = "interview.repeat_recorded" if recorded else "interview.repeat_unrecorded"
        args = (("topic", Labels((topic,))), ("day", Day(latest.held_on)), ("basis", basis))
        found.append(Finding(code, args, policy.sources, statement=latest.statement))
    return found


def _covered(history: tuple[Questioning, ...]) -> tuple[TopicHistory, ...]:
    topics = sorted(set().union(*(q.topics for q in history))) if history else []
    out = []
    for topic in topics:
        held = sorted((q for q in history if topic in q.topics), key=lambda q: q.held_on)
        out.append(
            TopicHistory(
                topic=topic,
                dates=tuple(q.held_on for q in held),
                recorded_statements=tuple(q.statement for q in held if q.recorded and q.statement),
            )
        )
    return tuple(out)


# --- The question bank and the checklists -------------------------------------------


def questions_for(
    audience: PlanAudience | Audience,
    topics: Iterable[str] = (),
    content: LawContent | None = None,
) -> tuple[Question, ...]:
    """The bank's questions for an audience, in the NICHD order of phases.

    Questions without a topic (introduction, rapport, free recall, closing and
    general focused ones) always come; focused questions on a topic come when
    the topic is asked for. Within a phase, the bank's own order is kept.
    """
    bank = (content or law_content()).interviews
    wanted = frozenset(topics)
    unknown = wanted - {t.code for t in bank.topics}
    if unknown:
        raise InterviewError(f"unknown topic(s) {sorted(unknown)}")
    target = _BANK_AUDIENCE[audience]
    chosen = [
        q
        for q in bank.questions
        if target in q.audiences and (q.topic is None or q.topic in wanted)
    ]
    return tuple(sorted(chosen, key=lambda q: PHASES.index(q.phase)))


def checklist_for(
    moment: ChecklistMoment, child: bool, content: LawContent | None = None
) -> tuple[ChecklistItem, ...]:
    bank = (content or law_content()).interviews
    return tuple(
        item
        for item in bank.checklist
        if item.moment == moment and (child or not item.children_only)
    )


# --- Rendering ---------------------------------------------------------------------


def render_plan_check(
    check: PlanCheck, lang: Lang, content: LawContent | None = None
) -> dict[str, Any]:
    """A plan check in one language: each finding as text with its sources."""
    renderer = Renderer(content or law_content(), lang)
    out: dict[str, Any] = {
        "language": lang,
        "child": check.child,
        "can_finalise": check.can_finalise,
        "refusals": [_finding(f, renderer) for f in check.refusals],
        "warnings": [_finding(f, renderer) for f in check.warnings],
        "previous_questionings": check.previous_questionings,
        "topics_covered": [
            {
                "topic": t.topic,
                "label": _label(t.topic, renderer),
                "dates": [d.isoformat() for d in t.dates],
                "recorded_statements": list(t.recorded_statements),
            }
            for t in check.topics_covered
        ],
    }
    out["sources"] = [renderer.source(sid) for sid in list(renderer.cited)]
    return out


def _finding(f: Finding, renderer: Renderer) -> dict[str, Any]:
    renderer.cite(f.sources)
    values = {key: _value(value, renderer) for key, value in f.args}
    text = renderer.law.reasons[f.code].in_(renderer.lang).format(**values)
    return {
        "code": f.code,
        "rule": f.rule,
        "text": text,
        "sources": list(f.sources),
        "statement": f.statement,
    }


def _value(value: Value, renderer: Renderer) -> str:
    match value:
        case Labels(codes, either):
            labels = [_label(code, renderer) for code in codes]
            if either and len(labels) > 1:
                return renderer.fmt("either").join(labels)
            return renderer.join(labels)
        case Day():
            return renderer.arg(value)
        case _:
            return str(value)


def _label(code: str, renderer: Renderer) -> str:
    bank, lang = renderer.law.interviews, renderer.lang
    kind, _, key = code.partition(":")
    if kind == "safeguard":
        return next(r.title.in_(lang) for r in bank.safeguards if r.id == key)
    if kind == "source":
        if key in renderer.law.provisions:
            return renderer.ref(key)
        if key in renderer.law.instruments:
            return renderer.law.instruments[key].short_title.in_(lang)
        return renderer.law.references[key].title.in_(lang)
    for accommodation in bank.accommodations:
        if accommodation.code == code:
            return accommodation.label.in_(lang)
    return bank.topic(code).label.in_(lang)


# --- What ``tirek law check`` cannot see in interviews.yaml ---------------------------


def content_problems(content: LawContent | None = None) -> list[str]:
    """Cross-references and rules of interviews.yaml; [] when all hold."""
    law = content or law_content()
    bank = law.interviews
    known = set(law.provisions) | set(law.instruments) | set(law.references)
    accommodations = {a.code for a in bank.accommodations}
    topics = {t.code for t in bank.topics}
    problems: list[str] = []

    def cites(where: str, ids: Iterable[str]) -> None:
        problems.extend(
            f"{where}: cites {i!r}, which is not in the content" for i in ids if i not in known
        )

    cites("child_age", bank.child_age_sources)
    cites("repeat", bank.repeat.sources)
    cites("confrontation", bank.confrontation_sources + bank.confrontation_child_sources)
    if {code for code, _ in bank.phases} != set(PHASES):
        problems.append("phases: every NICHD phase needs a label")
    if len(accommodations | topics) != len(bank.accommodations) + len(bank.topics):
        problems.append("accommodation and topic codes must be unique across both lists")
    for a in bank.accommodations:
        cites(f"accommodation {a.code}", a.sources)
    for rule in bank.safeguards:
        where = f"safeguard {rule.id}"
        cites(where, rule.sources + ((rule.figure_from,) if rule.figure_from else ()))
        status = rule.verification.status
        if rule.enforcement == "refuse" and status != "verified":
            problems.append(f"{where}: only a verified rule may refuse a plan")
        for code in [c for group in rule.requires_any for c in group] + [
            c for c in (rule.when_needed, rule.when_present) if c
        ]:
            if code not in accommodations:
                problems.append(f"{where}: unknown accommodation {code!r}")
        has_figure = rule.max_continuous_minutes or rule.max_day_minutes
        if has_figure and status != "verified":
            source = law.provisions.get(rule.figure_from or "")
            if source is None or source.verification.status != "verified":
                problems.append(
                    f"{where}: unverified, so its figure must come from a verified provision"
                )
        if not rule.requires_any and not has_figure:
            problems.append(f"{where}: requires nothing")
    seen: set[str] = set()
    for q in bank.questions:
        if q.id in seen:
            problems.append(f"question {q.id}: appears twice")
        seen.add(q.id)
        cites(f"question {q.id}", q.sources)
        if q.topic is not None and q.topic not in topics:
            problems.append(f"question {q.id}: unknown topic {q.topic!r}")
        if not q.open:
            problems.append(f"question {q.id}: the bank holds open questions only")
        if len({q.text.ky, q.text.ru, q.text.en}) < 3:
            problems.append(f"question {q.id}: two languages say the same words; translate")
    for item in bank.checklist:
        cites(f"checklist {item.id}", item.sources)
        if len({item.text.ky, item.text.ru, item.text.en}) < 3:
            problems.append(f"checklist {item.id}: two languages say the same words; translate")
    return problems
