"""What the engine concludes. Every conclusion carries a ``Reason``: which
sentence of ``content/reasons.yaml`` explains it, what fills it, and the
sources it rests on. Rendering into a language happens in ``render``.
"""

from dataclasses import dataclass, field
from datetime import date

from tirek.law.facts import Facts


@dataclass(frozen=True)
class Codes:
    """Fact codes, shown by their labels."""

    codes: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    """A provision, shown as "CC 2021 art. 166 part 1" in the reader's language."""

    provision_id: str


@dataclass(frozen=True)
class InstrumentName:
    instrument_id: str


@dataclass(frozen=True)
class Day:
    day: date | None


@dataclass(frozen=True)
class Formats:
    """Phrases from the ``formats`` of reasons.yaml, joined."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class PenaltyOf:
    provision_id: str


@dataclass(frozen=True)
class ItemLabels:
    provision_id: str
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Indicators:
    """Screening indicators (content/indicators.yaml), shown by their labels."""

    ids: tuple[str, ...]


Arg = str | int | Codes | Ref | InstrumentName | Day | Formats | PenaltyOf | ItemLabels | Indicators


@dataclass(frozen=True)
class Reason:
    template: str
    args: tuple[tuple[str, Arg], ...] = ()
    sources: tuple[str, ...] = ()


def reason(template: str, sources: tuple[str, ...] = (), **args: Arg) -> Reason:
    return Reason(template, tuple(args.items()), sources)


@dataclass(frozen=True)
class ElementResult:
    """One element (act, means or purpose) against one definition."""

    name: str
    satisfied: bool
    required: bool
    facts: tuple[str, ...]
    reason: Reason
    arguable: tuple[str, ...] = ()
    outside_list: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aggravation:
    provision_id: str
    item: int
    reason: Reason
    circumstance: str | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class NotRecognised:
    circumstance: str
    reason: Reason


@dataclass(frozen=True)
class Alternative:
    provision_id: str
    part_id: str
    reason: Reason


@dataclass(frozen=True)
class LaterLaw:
    provision_id: str
    comparison: str
    reason: Reason


@dataclass(frozen=True)
class Missing:
    item: str
    reason: Reason


@dataclass(frozen=True)
class Related:
    provision_id: str
    facts: tuple[str, ...]
    reason: Reason


@dataclass(frozen=True)
class Screening:
    set_id: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """An article with known elements applied to the facts: which part, made out or not."""

    provision_id: str
    made_out: bool | None
    elements: tuple[ElementResult, ElementResult, ElementResult] | None
    reason: Reason
    notes: tuple[Reason, ...] = ()
    aggravating: tuple[Aggravation, ...] = ()
    not_recognised: tuple[NotRecognised, ...] = ()
    missing: tuple[Missing, ...] = ()


@dataclass(frozen=True)
class National:
    article_id: str
    evaluation: Evaluation
    alternatives: tuple[Alternative, ...] = ()
    later_laws: tuple[LaterLaw, ...] = ()


@dataclass(frozen=True)
class Analysis:
    facts: Facts
    age_at_offence: int | None
    child_victim: bool | None
    child_reason: Reason
    act: ElementResult
    means: ElementResult
    purpose: ElementResult
    trafficking: bool
    trafficking_reason: Reason
    consent_relevant: bool
    consent_reason: Reason
    national: National | None
    law_reason: Reason
    divergence: Reason | None
    missing: tuple[Missing, ...]
    evidence: tuple[str, ...]
    related: tuple[Related, ...]
    rights: tuple[str, ...]
    time_limits: tuple[str, ...]
    screening: tuple[Screening, ...]
    warnings: tuple[Reason, ...] = field(default=())
