"""The typed picture of the law content: what the YAML under content/ becomes.

Every type is frozen: the content is loaded once per process and shared by
every request, so nothing may change it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

Lang = Literal["ky", "ru", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
Status = Literal["verified", "secondary", "unverified"]
STATUSES: tuple[Status, ...] = get_args(Status)
Category = Literal["acts", "means", "purposes", "circumstances"]
CATEGORIES: tuple[Category, ...] = get_args(Category)


@dataclass(frozen=True)
class Text:
    """The same thing said in Kyrgyz, Russian and English."""

    ky: str
    ru: str
    en: str

    def in_(self, lang: Lang) -> str:
        text: str = getattr(self, lang)
        return text


@dataclass(frozen=True)
class Verification:
    """How firmly a statement is known, as in DOMAIN.md's [V]/[S]/[U].

    ``confirmed_*`` record a lawyer's check against the official text.
    """

    status: Status
    note: Text
    confirmed_by: str | None = None
    confirmed_on: date | None = None
    confirmed_against: str | None = None


@dataclass(frozen=True)
class Source:
    citation: str
    url: str | None = None
    edition: str | None = None


@dataclass(frozen=True)
class Penalty:
    """Imprisonment range in years; ``None`` where the law sets no bound."""

    min_years: float | None
    max_years: float | None
    other_sanctions: bool = False


@dataclass(frozen=True)
class Trigger:
    """When a piece of content concerns the facts: any listed code, and a child if asked."""

    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    circumstances: frozenset[str] = frozenset()
    child: bool | None = None
    always: bool = False

    def codes(self) -> frozenset[str]:
        return self.acts | self.means | self.purposes | self.circumstances


@dataclass(frozen=True)
class Elements:
    """The constituent elements of a trafficking provision, as fact codes."""

    acts: frozenset[str]
    means: frozenset[str]
    means_required: bool
    purposes: frozenset[str]
    arguable_purposes: frozenset[str]
    victim: Literal["any", "child"]
    mapping_note: Text | None = None


@dataclass(frozen=True)
class Item:
    """One numbered item of a qualified part: what makes the offence graver."""

    number: int
    label: Text
    circumstance: str | None = None
    purpose: str | None = None
    victim_under_age: int | None = None
    mapping_note: Text | None = None

    @property
    def recorded_by_facts(self) -> bool:
        """Whether some fact code or the age can show this item at all."""
        return any(x is not None for x in (self.circumstance, self.purpose, self.victim_under_age))


@dataclass(frozen=True)
class Provision:
    """An article, or a part, paragraph or note of one.

    Parts inherit from their article what they do not state themselves, so
    every provision carries its own source, dates and verification.
    """

    id: str
    instrument_id: str
    article: str
    part: str | None
    kind: str
    role: str | None
    title: Text
    ref: Text | None
    source: Source
    adopted: date | None
    in_force_from: date | None
    in_force_to: date | None
    verification: Verification
    summary: Text
    penalty: Penalty | None = None
    elements: Elements | None = None
    items: tuple[Item, ...] = ()
    qualifies: str | None = None
    parts: tuple[str, ...] = ()
    consider_when: Trigger | None = None
    child_means_required: bool | None = None
    child_means_verification: Verification | None = None

    def in_force_on(self, day: date) -> bool:
        start = self.in_force_from or self.adopted
        if start is not None and day < start:
            return False
        return self.in_force_to is None or day <= self.in_force_to


@dataclass(frozen=True)
class Instrument:
    id: str
    type: str
    title: Text
    short_title: Text
    source: Source
    adopted: date | None
    in_force_from: date | None
    in_force_to: date | None
    dates_verification: Verification | None
    verification: Verification
    summary: Text
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """A publication that is not legislation (reports, indicator lists)."""

    id: str
    title: Text
    source: Source
    verification: Verification


@dataclass(frozen=True)
class Term:
    code: str
    label: Text


@dataclass(frozen=True)
class Vocabulary:
    acts: tuple[Term, ...]
    means: tuple[Term, ...]
    purposes: tuple[Term, ...]
    circumstances: tuple[Term, ...]

    def terms(self, category: Category) -> tuple[Term, ...]:
        terms: tuple[Term, ...] = getattr(self, category)
        return terms

    def codes(self, category: Category) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms(category))

    def label(self, code: str, lang: Lang) -> str:
        for category in CATEGORIES:
            for term in self.terms(category):
                if term.code == code:
                    return term.label.in_(lang)
        return code


@dataclass(frozen=True)
class Indicator:
    id: str
    label: Text
    points_to: Trigger | None


@dataclass(frozen=True)
class IndicatorSet:
    id: str
    title: Text
    summary: Text
    sources: tuple[str, ...]
    verification: Verification
    screen_when: Trigger
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class EvidenceSuggestion:
    id: str
    targets: tuple[str, ...]
    type: str
    text: Text
    sources: tuple[str, ...]
    verification: Verification


@dataclass(frozen=True)
class Right:
    id: str
    title: Text
    summary: Text
    sources: tuple[str, ...]
    verification: Verification
    when: Trigger | None


Unit = Literal["hours", "days", "months", "years"]
CountedFrom = Literal["received", "made"]
Party = Literal["lawyer", "authority"]


@dataclass(frozen=True)
class Period:
    value: float
    unit: Unit


@dataclass(frozen=True)
class DeadlineSpec:
    """How the procedure engine turns a time limit into a due date.

    ``counted_from``: the day the decision was received (or its result learnt)
    or the day it was made; ``party``: who must act by then; ``roles``: the
    lawyer roles that see it; ``on_kinds``: timeline event kinds that start it
    without a decision; ``custody``: a period of detention or custody, whose end
    does not move past a non-working day (CPC 2021 art. 137 part 2 item 4).
    """

    counted_from: CountedFrom
    party: Party
    roles: frozenset[str]
    on_kinds: frozenset[str] = frozenset()
    custody: bool = False


@dataclass(frozen=True)
class TimeLimit:
    id: str
    title: Text
    period: Period | None
    summary: Text
    sources: tuple[str, ...]
    verification: Verification
    deadline: DeadlineSpec | None = None
    in_analysis: bool = True


# --- The procedure: roles, stages, decisions, counting, the playbook -------------


@dataclass(frozen=True)
class Role:
    """What the lawyer is in the case; the codes are stored with cases."""

    code: str
    label: Text
    summary: Text
    sources: tuple[str, ...]
    basis: tuple[Source, ...]
    verification: Verification


@dataclass(frozen=True)
class EventKind:
    code: str
    label: Text


@dataclass(frozen=True)
class Stage:
    code: str
    label: Text
    summary: Text
    sources: tuple[str, ...]
    basis: tuple[Source, ...]
    verification: Verification


@dataclass(frozen=True)
class Challenge:
    """Who may challenge a decision, before whom and how."""

    roles: frozenset[str]
    route: Text
    sources: tuple[str, ...]
    basis: tuple[Source, ...]


@dataclass(frozen=True)
class Decision:
    code: str
    label: Text
    made_by: Text
    from_stages: tuple[str, ...]
    moves_to: str | None
    challenges: tuple[Challenge, ...]
    starts: tuple[str, ...]
    sources: tuple[str, ...]
    basis: tuple[Source, ...]
    verification: Verification

    def challenge_for(self, role: str) -> Challenge | None:
        return next((c for c in self.challenges if role in c.roles), None)

    @property
    def victim_can_challenge(self) -> bool:
        return self.challenge_for("victim_representative") is not None


@dataclass(frozen=True)
class CountingRule:
    """One rule of computing time limits, as the CPC states it."""

    code: str
    summary: Text
    sources: tuple[str, ...]
    verification: Verification


@dataclass(frozen=True)
class NonWorkingWeekday:
    weekday: int  # Monday is 0, as in datetime.date.weekday()
    label: Text
    sources: tuple[str, ...]
    verification: Verification


@dataclass(frozen=True)
class Holiday:
    month: int
    day: int
    label: Text


@dataclass(frozen=True)
class Counting:
    rules: tuple[CountingRule, ...]
    weekdays: tuple[NonWorkingWeekday, ...]
    holidays: tuple[Holiday, ...]
    holiday_sources: tuple[str, ...]
    holiday_verification: Verification
    notes: Mapping[str, Text]

    def rule(self, code: str) -> CountingRule:
        return next(r for r in self.rules if r.code == code)


@dataclass(frozen=True)
class StepWhen:
    """Facts a playbook step needs; ``None`` means the fact does not matter."""

    child: bool | None = None
    child_unknown: bool = False
    threatened: bool | None = None
    interpreter: bool | None = None
    civil_claim_filed: bool | None = None
    last_decisions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Step:
    code: str
    title: Text
    explanation: Text
    roles: frozenset[str]
    stages: frozenset[str]
    when: StepWhen
    sources: tuple[str, ...]
    basis: tuple[Source, ...]
    verification: Verification
    due_rule: str | None = None


@dataclass(frozen=True)
class Playbook:
    version: int
    adopted: date
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Settings:
    """What the engine reasons with; see content/analysis.yaml."""

    international_definition: str
    child_under: int
    child_age_sources: tuple[str, ...]
    consent_basis: tuple[str, ...]
    time_basis: tuple[str, ...]
    child_rule_basis: tuple[str, ...]
    retroactivity_basis: tuple[str, ...]
    qualification_basis: tuple[str, ...]
    trafficking_role: str
    child_trafficking_role: str


# --- Interviews: safeguards, the question bank, checklists (interviews.yaml) -----

Phase = Literal["introduction", "rapport", "free_recall", "focused", "closing"]
PHASES: tuple[Phase, ...] = get_args(Phase)
"""The NICHD order of an interview; ``questions_for`` returns questions in it."""
Audience = Literal["adult", "child", "witness"]
AUDIENCES: tuple[Audience, ...] = get_args(Audience)
Enforcement = Literal["refuse", "warn"]
ChecklistMoment = Literal["before", "after"]


@dataclass(frozen=True)
class Accommodation:
    """A person present or an arrangement made for an interview (``code`` is stored)."""

    code: str
    label: Text
    summary: Text
    person: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class InterviewTopic:
    """A subject of questions, mapped to the elements it helps to prove."""

    code: str
    label: Text
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Safeguard:
    """One rule an interview plan is held against.

    It applies to children only when ``children`` (and only under ``age_under``
    when set), only when the person needs ``when_needed``, only when
    ``when_present`` is planned. It requires, for each group of
    ``requires_any``, one of its accommodations, and durations within the
    limits. ``figure_from`` names the verified provision a borrowed figure
    comes from when the rule itself is not verified.
    """

    id: str
    title: Text
    summary: Text
    children: bool
    age_under: int | None
    when_needed: str | None
    when_present: str | None
    requires_any: tuple[tuple[str, ...], ...]
    max_continuous_minutes: int | None
    max_day_minutes: int | None
    figure_from: str | None
    enforcement: Enforcement
    sources: tuple[str, ...]
    in_force_from: date | None
    in_force_to: date | None
    verification: Verification

    def in_force_on(self, day: date) -> bool:
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return self.in_force_to is None or day <= self.in_force_to


@dataclass(frozen=True)
class Question:
    id: str
    phase: Phase
    audiences: frozenset[Audience]
    topic: str | None
    open: bool
    text: Text
    note: Text | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    moment: ChecklistMoment
    children_only: bool
    text: Text
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RepeatPolicy:
    """When Tirek warns about how often a person has been questioned (practice, not law)."""

    warn_from_adult: int
    warn_from_child: int
    sources: tuple[str, ...]
    verification: Verification


@dataclass(frozen=True)
class Interviews:
    version: int
    child_under: int
    child_age_sources: tuple[str, ...]
    phases: tuple[tuple[Phase, Text], ...]
    audiences: tuple[tuple[Audience, Text], ...]
    accommodations: tuple[Accommodation, ...]
    topics: tuple[InterviewTopic, ...]
    safeguards: tuple[Safeguard, ...]
    repeat: RepeatPolicy
    confrontation_sources: tuple[str, ...]
    confrontation_child_sources: tuple[str, ...]
    questions: tuple[Question, ...]
    checklist: tuple[ChecklistItem, ...]

    def accommodation(self, code: str) -> Accommodation:
        return next(a for a in self.accommodations if a.code == code)

    def topic(self, code: str) -> InterviewTopic:
        return next(t for t in self.topics if t.code == code)


@dataclass(frozen=True)
class LawContent:
    instruments: Mapping[str, Instrument]
    provisions: Mapping[str, Provision]
    references: Mapping[str, Reference]
    vocabulary: Vocabulary
    indicator_sets: tuple[IndicatorSet, ...]
    evidence: tuple[EvidenceSuggestion, ...]
    rights: tuple[Right, ...]
    time_limits: tuple[TimeLimit, ...]
    roles: tuple[Role, ...]
    event_kinds: tuple[EventKind, ...]
    stages: tuple[Stage, ...]
    decisions: tuple[Decision, ...]
    counting: Counting
    playbook: Playbook
    formats: Mapping[str, Text]
    reasons: Mapping[str, Text]
    settings: Settings
    interviews: Interviews

    def provision(self, provision_id: str) -> Provision:
        return self.provisions[provision_id]

    def time_limit(self, limit_id: str) -> TimeLimit:
        return next(t for t in self.time_limits if t.id == limit_id)

    def instrument_of(self, provision: Provision) -> Instrument:
        return self.instruments[provision.instrument_id]

    def articles_with_role(self, role: str) -> tuple[Provision, ...]:
        """Articles (not parts) with a role, oldest first."""
        found = [p for p in self.provisions.values() if p.role == role and p.part is None]
        return tuple(sorted(found, key=_start_key))

    def parts_of(self, article: Provision) -> tuple[Provision, ...]:
        return tuple(self.provisions[part_id] for part_id in article.parts)

    def part(self, article: Provision, kind: str) -> Provision | None:
        return next((p for p in self.parts_of(article) if p.kind == kind), None)

    def find(self, instrument_id: str, article: str, on: date) -> Provision | None:
        """The version of an article of an instrument in force on a day."""
        for provision in self.provisions.values():
            if (
                provision.instrument_id == instrument_id
                and provision.article == article
                and provision.part is None
                and provision.in_force_on(on)
            ):
                return provision
        return None


def _start_key(provision: Provision) -> date:
    return provision.in_force_from or provision.adopted or date.min
