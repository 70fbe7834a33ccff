"""What a screening suggests: a recommendation for a person to weigh, never a decision.

A caseworker records what they observed (indicators of content/indicators.yaml)
and the facts as act / means / purpose codes; ``recommend`` reads the engine's
analysis of those facts together with the indicators. The rule, first match wins:

1. Unknown indicator ids are refused (``ValueError`` naming them): a screening
   must mean the same thing whenever it is read again.
2. **presumed_victim** — the analysis finds the international definition met
   (``analysis.trafficking``: act, means and purpose; for a child, act and
   purpose — the engine applies the child rule, not this module).
3. **refer_for_identification** — some element is present (an act, a means,
   a purpose, or a purpose the lawyer may find to be exploitation), or any
   indicator was observed. The explanation names the elements and the
   indicators, because an indicator alone proves nothing but calls for inquiry
   (UNODC; ILO: sometimes one indicator is enough, sometimes several are needed).
4. **no_indication** — otherwise.

Whatever the outcome, the explanation ends by saying that this is a
recommendation and that the decision on victim status belongs to the
authorised body: Tirek records that decision, it never makes it.

``indicator_links`` lists which fact codes each indicator often points to
(``points_to`` in the content), so a page can *suggest* facts to consider;
nothing is ever ticked from an indicator.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from tirek.law.content import law_content
from tirek.law.model import CATEGORIES, Indicator, IndicatorSet, LawContent
from tirek.law.result import Analysis, Codes, Formats, Indicators, Reason, reason

AdviceCode = Literal["presumed_victim", "refer_for_identification", "no_indication"]

# The circumstance code a ``points_to: {child: true}`` suggests ticking (the
# same code the engine reads as "the victim is a child").
CHILD_CODE = "victim_child"


@dataclass(frozen=True)
class Advice:
    """The recommendation and the sentences that explain it, in order.

    ``elements``: the elements of the definition present ("act", "means",
    "purpose"); ``indicators``: the ids observed, in content order.
    """

    code: AdviceCode
    explanation: tuple[Reason, ...]
    elements: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorLink:
    """The fact codes an indicator often points to, in vocabulary order."""

    indicator_id: str
    set_id: str
    codes: tuple[str, ...]


def recommend(
    analysis: Analysis, indicators: frozenset[str], content: LawContent | None = None
) -> Advice:
    law = content or law_content()
    observed = observed_indicators(indicators, law)
    elements, facts = _present(analysis)
    explanation: list[Reason] = []
    code: AdviceCode
    if analysis.trafficking:
        code = "presumed_victim"
        explanation.append(reason("screening.presumed_victim", analysis.trafficking_reason.sources))
    elif elements:
        code = "refer_for_identification"
        explanation.append(
            reason(
                "screening.refer_elements",
                (law.settings.international_definition,),
                elements=Formats(tuple(f"element_{name}" for name in elements)),
                facts=Codes(facts),
            )
        )
    elif observed:
        code = "refer_for_identification"
        explanation.append(reason("screening.refer_indicators"))
    else:
        code = "no_indication"
        explanation.append(
            reason("screening.no_indication", (law.settings.international_definition,))
        )
    if _age_would_decide(analysis):
        explanation.append(
            reason(
                "screening.age_decides",
                law.settings.child_rule_basis,
                under=law.settings.child_under,
            )
        )
    if observed:
        explanation.append(
            reason(
                "screening.indicators", _sources_of(observed, law), indicators=Indicators(observed)
            )
        )
    explanation.append(reason("screening.not_a_decision"))
    return Advice(code, tuple(explanation), elements, observed)


def observed_indicators(
    indicators: Iterable[str], content: LawContent | None = None
) -> tuple[str, ...]:
    """The ids in content order; ``ValueError`` naming any id the content does not have."""
    law = content or law_content()
    wanted = set(indicators)
    known = [i.id for s in law.indicator_sets for i in s.indicators]
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ValueError(
            f"unknown indicator id(s): {', '.join(repr(i) for i in unknown)}; "
            f"the ids of content/indicators.yaml are: {', '.join(known)}"
        )
    return tuple(i for i in known if i in wanted)


def indicator_links(content: LawContent | None = None) -> Mapping[str, IndicatorLink]:
    """Every indicator that points to some fact code, by id. A suggestion only."""
    law = content or law_content()
    links: dict[str, IndicatorLink] = {}
    for indicator_set in law.indicator_sets:
        for indicator in indicator_set.indicators:
            codes = _codes_pointed_to(indicator, law)
            if codes:
                links[indicator.id] = IndicatorLink(indicator.id, indicator_set.id, codes)
    return MappingProxyType(links)


def suggested_codes(
    indicators: Iterable[str], content: LawContent | None = None
) -> tuple[str, ...]:
    """The fact codes the observed indicators point to, together, in vocabulary order."""
    law = content or law_content()
    links = indicator_links(law)
    pointed = {
        code for i in observed_indicators(indicators, law) if i in links for code in links[i].codes
    }
    return tuple(code for code in _vocabulary_order(law) if code in pointed)


def indicator_set_of(indicator_id: str, content: LawContent | None = None) -> IndicatorSet:
    law = content or law_content()
    for indicator_set in law.indicator_sets:
        if any(i.id == indicator_id for i in indicator_set.indicators):
            return indicator_set
    raise ValueError(f"unknown indicator id {indicator_id!r}")


# --- Helpers ---------------------------------------------------------------------------


def _present(analysis: Analysis) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The elements with something recorded for them, and those codes."""
    elements: list[str] = []
    facts: list[str] = []
    for element in (analysis.act, analysis.means, analysis.purpose):
        codes = element.facts + element.arguable
        if codes:
            elements.append(element.name)
            facts.extend(codes)
    return tuple(elements), tuple(facts)


def _age_would_decide(analysis: Analysis) -> bool:
    """Not made out only for want of a means, and the age is unknown: a child needs none."""
    return (
        not analysis.trafficking
        and analysis.child_victim is None
        and analysis.act.satisfied
        and analysis.purpose.satisfied
        and not analysis.means.satisfied
    )


def _sources_of(observed: tuple[str, ...], law: LawContent) -> tuple[str, ...]:
    sources: dict[str, None] = {}
    for indicator_id in observed:
        for source in indicator_set_of(indicator_id, law).sources:
            sources.setdefault(source, None)
    return tuple(sources)


def _codes_pointed_to(indicator: Indicator, law: LawContent) -> tuple[str, ...]:
    trigger = indicator.points_to
    if trigger is None:
        return ()
    pointed = set(trigger.codes())
    if trigger.child:
        pointed.add(CHILD_CODE)
    return tuple(code for code in _vocabulary_order(law) if code in pointed)


def _vocabulary_order(law: LawContent) -> tuple[str, ...]:
    return tuple(code for category in CATEGORIES for code in law.vocabulary.codes(category))
