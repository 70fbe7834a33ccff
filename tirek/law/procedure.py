"""The criminal proceedings as a lawyer works them: stages, the decisions that
move a case between them, the deadlines a decision starts, and the playbook of
next actions. Pure functions over the content (``procedure.yaml``,
``time_limits.yaml``, ``counting.yaml``, ``playbook.yaml``); no Django.

    from tirek.law import procedure
    event = procedure.ProceduralEvent(decision="termination", kind="decision",
        occurred_on=date(2024, 2, 27), received_on=date(2024, 3, 1),
        lawyer_role="victim_representative")
    procedure.deadlines_for(event)   # the complaint is due on 2024-03-11

Time limits are counted as CPC 2021 art. 137 says (see ``counting.yaml``):

1. a period in days (сутки) does not count the day it starts from and ends at
   24:00 of its last day (part 2 items 1 and 2);
2. a period in months or years ends on the same date of the last month or
   year, or on the last day of a month that has no such date (item 3);
3. an end that falls on a non-working day moves to the next working day,
   except for detention and custody (item 4).

A due date is computed only from a ``verified`` figure. A date moved over a
day whose non-working status is not verified (Saturday, the holiday list) is
marked with the weaker status, and the note gives the safe earlier day.
"""

import math
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from tirek.law.content import law_content
from tirek.law.model import (
    STATUSES,
    DeadlineSpec,
    Decision,
    EventKind,
    Lang,
    LawContent,
    Period,
    Playbook,
    Role,
    Source,
    Stage,
    Status,
    Step,
    Text,
    TimeLimit,
)

Text3 = Text
"""Three-language text: the same type as the rest of the law content."""

__all__ = [
    "CaseFacts",
    "ComputedDeadline",
    "Decision",
    "PlaybookAction",
    "ProceduralEvent",
    "ProcedureError",
    "Role",
    "Stage",
    "Text3",
    "add_period",
    "compute",
    "deadline_rule",
    "deadline_rules",
    "deadlines_for",
    "decision",
    "decisions",
    "event_kinds",
    "next_actions",
    "next_working_day",
    "playbook",
    "role",
    "roles",
    "stage",
    "stages",
]


class ProcedureError(ValueError):
    """An unknown code was passed in; the message names the allowed ones."""


@dataclass(frozen=True)
class ProceduralEvent:
    """A dated event of the timeline; a decision, if any, is a code of ``decisions()``."""

    decision: str | None
    kind: str
    occurred_on: date
    received_on: date | None
    lawyer_role: str


@dataclass(frozen=True)
class ComputedDeadline:
    """A deadline with its legal basis; ``due_on`` is None without a verified figure."""

    rule: str
    label: Text
    due_on: date | None
    counted_from: date | None
    basis: Source
    verification: str
    note: Text


@dataclass(frozen=True)
class CaseFacts:
    """What the playbook needs to know about a case.

    ``opened_on`` is the day the legal aid case was opened. A step's due date
    runs from the last decision: from ``last_decision_received_on`` for a time
    limit counted from receipt, from ``last_decision_made_on`` for one counted
    from the day the decision was made (an appeal against a verdict) — without
    that day such a step has no date, rather than a late one.
    """

    stage: str
    lawyer_role: str
    client_is_child: bool | None
    client_threatened: bool
    interpreter_needed: bool
    civil_claim_filed: bool
    last_decision: str | None
    last_decision_received_on: date | None
    opened_on: date
    today: date
    done_steps: frozenset[str]
    last_decision_made_on: date | None = None


@dataclass(frozen=True)
class PlaybookAction:
    step: str
    title: Text
    explanation: Text
    basis: tuple[Source, ...]
    verification: str
    due_on: date | None


# --- The vocabulary ------------------------------------------------------------------


def roles(content: LawContent | None = None) -> tuple[Role, ...]:
    return (content or law_content()).roles


def role(code: str, content: LawContent | None = None) -> Role:
    return _one("lawyer role", code, roles(content))


def event_kinds(content: LawContent | None = None) -> tuple[EventKind, ...]:
    return (content or law_content()).event_kinds


def stages(content: LawContent | None = None) -> tuple[Stage, ...]:
    """In the order a case goes through them; the first is where every case starts."""
    return (content or law_content()).stages


def stage(code: str, content: LawContent | None = None) -> Stage:
    return _one("stage", code, stages(content))


def decisions(content: LawContent | None = None) -> tuple[Decision, ...]:
    return (content or law_content()).decisions


def decision(code: str, content: LawContent | None = None) -> Decision:
    return _one("decision", code, decisions(content))


def deadline_rules(content: LawContent | None = None) -> tuple[TimeLimit, ...]:
    """The time limits the engine computes: those with a ``deadline`` block."""
    return tuple(t for t in (content or law_content()).time_limits if t.deadline is not None)


def deadline_rule(code: str, content: LawContent | None = None) -> TimeLimit:
    for rule in deadline_rules(content):
        if rule.id == code:
            return rule
    raise ProcedureError(
        f"unknown deadline rule {code!r}; known: {', '.join(r.id for r in deadline_rules(content))}"
    )


def playbook(content: LawContent | None = None) -> Playbook:
    return (content or law_content()).playbook


def _one[T: (Role, Stage, Decision)](what: str, code: str, entries: tuple[T, ...]) -> T:
    for entry in entries:
        if entry.code == code:
            return entry
    raise ProcedureError(f"unknown {what} {code!r}; known: {', '.join(e.code for e in entries)}")


# --- Deadlines -----------------------------------------------------------------------


def deadlines_for(
    event: ProceduralEvent, content: LawContent | None = None
) -> tuple[ComputedDeadline, ...]:
    """The deadlines an event starts for a lawyer in ``event.lawyer_role``, soonest first.

    1. the rules the decision starts, then those the event's kind starts;
    2. only the rules that concern the lawyer's role;
    3. each counted from the day received or the day made, as the rule says.
    """
    law = content or law_content()
    role(event.lawyer_role, law)
    if event.kind not in {k.code for k in law.event_kinds}:
        raise ProcedureError(
            f"unknown event kind {event.kind!r}; known: "
            f"{', '.join(k.code for k in law.event_kinds)}"
        )
    codes: list[str] = []
    if event.decision is not None:
        made = decision(event.decision, law)
        codes += [
            code
            for code in made.starts
            if _concerns(deadline_rule(code, law), made, event.lawyer_role)
        ]
    codes += [r.id for r in deadline_rules(law) if event.kind in _spec(r).on_kinds]
    found = [
        compute(rule, event.occurred_on, event.received_on, law)
        for rule in (deadline_rule(code, law) for code in dict.fromkeys(codes))
        if event.lawyer_role in _spec(rule).roles
    ]
    ordered = sorted(
        enumerate(found),
        key=lambda pair: (pair[1].due_on is None, pair[1].due_on or date.max, pair[0]),
    )
    return tuple(item for _, item in ordered)


def _concerns(rule: TimeLimit, made: Decision, lawyer_role: str) -> bool:
    """A lawyer's own time limit matters only to a role that may challenge the
    decision (the defence does not appeal an acquittal); the authority's apply to all."""
    spec = _spec(rule)
    if lawyer_role not in spec.roles:
        return False
    return (
        spec.party == "authority"
        or not made.challenges
        or made.challenge_for(lawyer_role) is not None
    )


def compute(
    rule: TimeLimit, made_on: date, received_on: date | None, content: LawContent | None = None
) -> ComputedDeadline:
    """One rule counted from an event (CPC 2021 art. 137); see the module's docstring."""
    law = content or law_content()
    spec = _spec(rule)
    parts: list[tuple[str, dict[str, str | Text]]] = []
    if spec.counted_from == "received" and received_on is not None:
        start = received_on
        parts.append(("from_received", {"start": start.isoformat()}))
    elif spec.counted_from == "received":
        start = made_on
        parts.append(("received_unknown", {"start": start.isoformat()}))
    else:
        start = made_on
        parts.append(("from_made", {"start": start.isoformat()}))
    basis = law.provision(rule.sources[0]).source
    status: Status = rule.verification.status
    if rule.period is None or status != "verified":
        parts.append(("secondary_figure" if status == "secondary" else "no_figure", {}))
        return ComputedDeadline(
            rule=rule.id,
            label=rule.title,
            due_on=None,
            counted_from=start,
            basis=basis,
            verification=status,
            note=_note(law, parts),
        )
    last = add_period(start, rule.period)
    parts.append((rule.period.unit, {"value": _number(rule.period.value), "end": last.isoformat()}))
    due = last
    if not spec.custody:
        due, moved_over, why = next_working_day(last, law)
        safe, _, _ = next_working_day(last, law, verified_only=True)
        if due != last:
            what: str | Text = why if why is not None else ""
            parts.append(("moved", {"raw": last.isoformat(), "what": what, "due": due.isoformat()}))
            status = _weaker(status, moved_over)
        if safe != due:
            parts.append(("moved_unverified", {"safe": safe.isoformat()}))
    if spec.party == "lawyer":
        parts.append(("posted", {}))
    return ComputedDeadline(
        rule=rule.id,
        label=rule.title,
        due_on=due,
        counted_from=start,
        basis=basis,
        verification=status,
        note=_note(law, parts),
    )


def add_period(start: date, period: Period) -> date:
    """The last day of a period beginning on ``start`` (CPC 2021 art. 137 part 2).

    Days: the starting day is not counted (item 2). Months and years: by the
    calendar, ending on the same date, or on the last day of a shorter month
    (item 3). Hours: the event's hour is not known, so the latest day they
    can end on.
    """
    value = period.value
    if period.unit == "days":
        return start + timedelta(days=int(value))
    if period.unit == "hours":
        return start + timedelta(days=math.ceil(value / 24))
    months = int(value) * (12 if period.unit == "years" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, monthrange(year, month + 1)[1]))


def next_working_day(
    day: date, content: LawContent | None = None, *, verified_only: bool = False
) -> tuple[date, Status, Text | None]:
    """The day itself if it is a working day, else the first working day after it
    (CPC 2021 art. 137 part 2 item 4); with the weakest status of the non-working
    days moved over, and what made ``day`` non-working."""
    law = content or law_content()
    weakest: Status = "verified"
    why: Text | None = None
    while reasons := _non_working(day, law, verified_only):
        why = why or reasons[0][0]
        for _, status in reasons:
            weakest = _weaker(weakest, status)
        day += timedelta(days=1)
    return day, weakest, why


def _non_working(day: date, law: LawContent, verified_only: bool) -> list[tuple[Text, Status]]:
    counting = law.counting
    reasons = [
        (w.label, w.verification.status) for w in counting.weekdays if w.weekday == day.weekday()
    ]
    reasons += [
        (h.label, counting.holiday_verification.status)
        for h in counting.holidays
        if (h.month, h.day) == (day.month, day.day)
    ]
    reasons.sort(key=lambda reason: STATUSES.index(reason[1]))
    return [r for r in reasons if r[1] == "verified"] if verified_only else reasons


def _weaker(a: Status, b: Status) -> Status:
    return a if STATUSES.index(a) >= STATUSES.index(b) else b


def _spec(rule: TimeLimit) -> DeadlineSpec:
    if rule.deadline is None:
        raise ProcedureError(f"{rule.id} is a time limit without a deadline block")
    return rule.deadline


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _note(law: LawContent, parts: list[tuple[str, dict[str, str | Text]]]) -> Text:
    notes = law.counting.notes

    def say(lang: Lang) -> str:
        sentences = []
        for key, args in parts:
            values = {k: v.in_(lang) if isinstance(v, Text) else v for k, v in args.items()}
            sentences.append(notes[key].in_(lang).format(**values))
        return " ".join(sentences)

    return Text(ky=say("ky"), ru=say("ru"), en=say("en"))


# --- The playbook ----------------------------------------------------------------------


def next_actions(case: CaseFacts, content: LawContent | None = None) -> tuple[PlaybookAction, ...]:
    """The playbook's steps for this case that are not done or set aside, most urgent first.

    1. a step applies to the lawyer's role and the case's stage, and its
       conditions hold (a child client, a threat, an interpreter, no
       compensation claim yet, the last decision);
    2. a step tied to a deadline rule is due when the last decision's
       deadline falls (counted as ``deadlines_for`` counts);
    3. ordered by due date, then in playbook order; steps without a date last.
    """
    law = content or law_content()
    role(case.lawyer_role, law)
    stage(case.stage, law)
    if case.last_decision is not None:
        decision(case.last_decision, law)
    found: list[tuple[int, PlaybookAction]] = []
    for index, step in enumerate(law.playbook.steps):
        if step.code in case.done_steps or not _applies(step, case):
            continue
        due_on, status = _step_due(step, case, law)
        found.append(
            (
                index,
                PlaybookAction(
                    step=step.code,
                    title=step.title,
                    explanation=step.explanation,
                    basis=step.basis,
                    verification=_weaker(step.verification.status, status),
                    due_on=due_on,
                ),
            )
        )
    found.sort(key=lambda pair: (pair[1].due_on is None, pair[1].due_on or date.max, pair[0]))
    return tuple(action for _, action in found)


def _applies(step: Step, case: CaseFacts) -> bool:
    when = step.when
    checks = (
        case.lawyer_role in step.roles,
        case.stage in step.stages,
        when.child is None or case.client_is_child is when.child,
        not when.child_unknown or case.client_is_child is None,
        when.threatened is None or case.client_threatened is when.threatened,
        when.interpreter is None or case.interpreter_needed is when.interpreter,
        when.civil_claim_filed is None or case.civil_claim_filed is when.civil_claim_filed,
        not when.last_decisions or case.last_decision in when.last_decisions,
    )
    return all(checks)


def _step_due(step: Step, case: CaseFacts, law: LawContent) -> tuple[date | None, Status]:
    if step.due_rule is None or case.last_decision is None:
        return None, "verified"
    last = decision(case.last_decision, law)
    rule = deadline_rule(step.due_rule, law)
    if step.due_rule not in last.starts or not _concerns(rule, last, case.lawyer_role):
        return None, "verified"
    received = case.last_decision_received_on
    made = case.last_decision_made_on
    # Counting a "made" rule from the day received could only give a later, unsafe
    # date: without the day the decision was made there is no date at all.
    if _spec(rule).counted_from == "made" and made is None:
        return None, "verified"
    start = made or received
    if start is None:
        return None, "verified"
    computed = compute(rule, start, received, law)
    status: Status = computed.verification  # type: ignore[assignment]
    return computed.due_on, status
