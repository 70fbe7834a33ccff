"""The legal analysis: do these facts make out trafficking, under which law,
and what is missing.

``analyse(facts)`` is a pure function of the facts and the content. It
1. works out the victim's age at the offence and whether the victim is a child;
2. tests the three elements of the international definition (Protocol art. 3);
3. decides whether consent can matter;
4. picks the national trafficking article in force on the offence date (the
   law of the time of the act governs) and tests its own elements, part by
   part; flags any later law for the lawyer, never applying it silently;
5. compares the international and national results;
6. lists what is missing, the evidence that typically proves it, related
   offences to consider, the victim's rights, time limits and screening
   indicators.
Every legal figure and article number comes from the content.
"""

from datetime import date

from tirek.law.content import law_content
from tirek.law.facts import Facts
from tirek.law.model import Category, Elements, LawContent, Penalty, Provision, Trigger
from tirek.law.result import (
    Aggravation,
    Alternative,
    Analysis,
    Codes,
    Day,
    ElementResult,
    Evaluation,
    Formats,
    InstrumentName,
    ItemLabels,
    LaterLaw,
    Missing,
    National,
    NotRecognised,
    PenaltyOf,
    Reason,
    Ref,
    Related,
    Screening,
    reason,
)


def analyse(facts: Facts, content: LawContent | None = None) -> Analysis:
    law = content or law_content()
    warnings: list[Reason] = []
    age = age_at_offence(facts, warnings)
    child, child_reason = victim_is_child(facts, age, law, warnings)
    act, means, purpose = international_elements(facts, child, law)
    trafficking, trafficking_reason = _international_verdict(act, means, purpose, child, law)
    consent_relevant, consent_reason = _consent(facts, child, means, law)
    national, law_reason = national_law(facts, child, age, law)
    missing = _missing(facts, child, age, act, means, purpose, consent_relevant, national, law)
    return Analysis(
        facts=facts,
        age_at_offence=age,
        child_victim=child,
        child_reason=child_reason,
        act=act,
        means=means,
        purpose=purpose,
        trafficking=trafficking,
        trafficking_reason=trafficking_reason,
        consent_relevant=consent_relevant,
        consent_reason=consent_reason,
        national=national,
        law_reason=law_reason,
        divergence=_divergence(trafficking, national, law),
        missing=missing,
        evidence=_evidence(child, act, means, purpose, national, law),
        related=_related(facts, child, law),
        rights=tuple(r.id for r in law.rights if r.when is None or _matches(r.when, facts, child)),
        time_limits=tuple(limit.id for limit in law.time_limits if limit.in_analysis),
        screening=_screening(facts, child, law),
        warnings=tuple(warnings),
    )


# --- 1. The victim -------------------------------------------------------------


def age_at_offence(facts: Facts, warnings: list[Reason]) -> int | None:
    """The age in whole years on the offence date; the birth date wins over a stated age."""
    if facts.victim_birth_date is None:
        return facts.victim_age
    if facts.offence_date is None:
        warnings.append(reason("warning.birth_without_date"))
        return facts.victim_age
    born, day = facts.victim_birth_date, facts.offence_date
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if facts.victim_age is not None and facts.victim_age != years:
        warnings.append(reason("warning.age_conflict", age=facts.victim_age, birth_age=years))
    return years


def victim_is_child(
    facts: Facts, age: int | None, law: LawContent, warnings: list[Reason]
) -> tuple[bool | None, Reason]:
    under = law.settings.child_under
    sources = law.settings.child_age_sources
    flagged = "victim_child" in facts.circumstances
    if age is None:
        if flagged:
            return True, reason("child.by_circumstance", sources)
        return None, reason("child.unknown", sources, under=under)
    if flagged and age >= under:
        warnings.append(reason("warning.child_flag_conflict", age=age))
    if age < under:
        return True, reason("child.by_age", sources, age=age, under=under)
    return False, reason("adult.by_age", sources, age=age, under=under)


# --- 2. The international definition ------------------------------------------------


def international_elements(
    facts: Facts, child: bool | None, law: LawContent
) -> tuple[ElementResult, ElementResult, ElementResult]:
    definition = law.provision(law.settings.international_definition)
    base = law.part(definition, "base")
    assert base is not None and base.elements is not None, "the definition needs its elements"
    elements = base.elements
    cited = (base.id,)
    child_rule = law.settings.child_rule_basis
    act = _act(facts, elements, cited, "act.made_out", "act.none")
    present = _ordered(facts.means & elements.means, law, "means")
    required = child is not True
    if present:
        template = "means.made_out_child" if child else "means.made_out"
        means_reason = reason(template, cited + (child_rule if child else ()), facts=Codes(present))
    elif child:
        means_reason = reason("means.not_required_child", cited + child_rule)
    elif child is None:
        means_reason = reason("means.none_age_unknown", cited + child_rule, under=_under(law))
    else:
        means_reason = reason(
            "means.none_adult", cited, allowed=_allowed(elements.means, law, "means")
        )
    means = ElementResult("means", bool(present), required, present, means_reason)
    return act, means, _purpose(facts, elements, cited, law, "purpose")


def _act(
    facts: Facts, elements: Elements, cited: tuple[str, ...], found: str, none: str, **args: Ref
) -> ElementResult:
    present = tuple(sorted(facts.acts & elements.acts))
    if present:
        return ElementResult(
            "act", True, True, present, reason(found, cited, facts=Codes(present), **args)
        )
    allowed = Codes(tuple(sorted(elements.acts)))
    return ElementResult("act", False, True, (), reason(none, cited, allowed=allowed, **args))


def _purpose(
    facts: Facts,
    elements: Elements,
    cited: tuple[str, ...],
    law: LawContent,
    prefix: str,
    **args: Ref,
) -> ElementResult:
    listed = _ordered(facts.purposes & elements.purposes, law, "purposes")
    arguable = _ordered(facts.purposes & elements.arguable_purposes, law, "purposes")
    if listed:
        why = reason(f"{prefix}.made_out", cited, facts=Codes(listed), **args)
    elif arguable:
        why = reason(f"{prefix}.arguable", cited, facts=Codes(arguable), **args)
    else:
        why = reason(f"{prefix}.none", cited, **args)
    return ElementResult("purpose", bool(listed), True, listed, why, arguable=arguable)


def _international_verdict(
    act: ElementResult,
    means: ElementResult,
    purpose: ElementResult,
    child: bool | None,
    law: LawContent,
) -> tuple[bool, Reason]:
    cited = (law.settings.international_definition,)
    made_out = act.satisfied and purpose.satisfied and (means.satisfied or not means.required)
    if made_out and means.satisfied:
        return True, reason("trafficking.yes_means", cited)
    if made_out:
        return True, reason("trafficking.yes_child", cited + law.settings.child_rule_basis)
    lacking = _lacking(act, means, purpose)
    if lacking == ("element_purpose",) and purpose.arguable:
        return False, reason("trafficking.no_arguable", cited, facts=Codes(purpose.arguable))
    return False, reason("trafficking.no", cited, missing=Formats(lacking))


def _lacking(act: ElementResult, means: ElementResult, purpose: ElementResult) -> tuple[str, ...]:
    lacking = []
    if not act.satisfied:
        lacking.append("element_act")
    if means.required and not means.satisfied:
        lacking.append("element_means")
    if not purpose.satisfied:
        lacking.append("element_purpose")
    return tuple(lacking)


# --- 3. Consent -------------------------------------------------------------------------


def _consent(
    facts: Facts, child: bool | None, means: ElementResult, law: LawContent
) -> tuple[bool, Reason]:
    basis = law.settings.consent_basis
    if means.satisfied:
        template = (
            "consent.irrelevant_means_consented"
            if facts.victim_consented
            else "consent.irrelevant_means"
        )
        return False, reason(template, basis)
    if child:
        return False, reason("consent.irrelevant_child", basis + law.settings.child_rule_basis)
    if facts.victim_consented:
        return True, reason("consent.relevant_consented", basis)
    return True, reason("consent.relevant", basis)


# --- 4. The national article in force on the offence date -----------------------------------


def national_law(
    facts: Facts, child: bool | None, age: int | None, law: LawContent
) -> tuple[National | None, Reason]:
    day = facts.offence_date
    if day is None:
        return None, reason("law.no_date", law.settings.time_basis)
    articles = law.articles_with_role(law.settings.trafficking_role)
    article = next((a for a in articles if a.in_force_on(day)), None)
    if article is None:
        return None, reason("law.not_covered", law.settings.time_basis, date=Day(day))
    instrument = law.instrument_of(article)
    selected = reason(
        "law.selected",
        (article.id, *law.settings.time_basis),
        date=Day(day),
        instrument=InstrumentName(instrument.id),
        provision=Ref(article.id),
        **{"from": Day(article.in_force_from or article.adopted), "to": Day(article.in_force_to)},
    )
    evaluation = evaluate(article, facts, child, age, law)
    notes = [selected]
    if article.in_force_from is None and instrument.in_force_from is None:
        notes.append(
            reason("law.start_assumed", (instrument.id,), instrument=InstrumentName(instrument.id))
        )
    national = National(
        article_id=article.id,
        evaluation=_with_notes(evaluation, tuple(notes)),
        alternatives=_alternatives(article, facts, child, age, law),
        later_laws=_later_laws(article, evaluation, facts, child, age, articles, law),
    )
    return national, selected


def _with_notes(evaluation: Evaluation, notes: tuple[Reason, ...]) -> Evaluation:
    return Evaluation(
        provision_id=evaluation.provision_id,
        made_out=evaluation.made_out,
        elements=evaluation.elements,
        reason=evaluation.reason,
        notes=notes + evaluation.notes,
        aggravating=evaluation.aggravating,
        not_recognised=evaluation.not_recognised,
        missing=evaluation.missing,
    )


def evaluate(
    article: Provision, facts: Facts, child: bool | None, age: int | None, law: LawContent
) -> Evaluation:
    """Apply one trafficking article to the facts."""
    if article.elements is None:
        return _unknown_elements(article, facts, child, law)
    base = law.part(article, "base")
    child_part = law.part(article, "child_without_means")
    assert base is not None, f"{article.id} has elements but no base part"
    listed_means = _ordered(facts.means & article.elements.means, law, "means")
    if not listed_means and child and child_part is not None and child_part.elements is not None:
        return _child_part(article, child_part, child_part.elements, facts, law)
    return _base_part(article, base, child_part, article.elements, facts, child, age, law)


def _unknown_elements(
    article: Provision, facts: Facts, child: bool | None, law: LawContent
) -> Evaluation:
    status = Formats((f"status_{article.verification.status}",))
    notes: list[Reason] = []
    if article.child_means_required is not None and child is not False:
        template = (
            "law.child_means_required"
            if article.child_means_required
            else "law.child_means_not_required"
        )
        notes.append(reason(template, (article.id,), provision=Ref(article.id)))
    circumstances = _ordered(facts.circumstances - {"victim_child"}, law, "circumstances")
    if circumstances:
        notes.append(
            reason(
                "aggravating.unknown_parts",
                (article.id,),
                provision=Ref(article.id),
                facts=Codes(circumstances),
            )
        )
    why = reason("law.elements_unknown", (article.id,), provision=Ref(article.id), status=status)
    return Evaluation(article.id, None, None, why, notes=tuple(notes))


def _child_part(
    article: Provision, part: Provision, elements: Elements, facts: Facts, law: LawContent
) -> Evaluation:
    """A child and none of the article's means: the part that needs no means."""
    cited = _cited(part, article, law)
    act = _act(
        facts, elements, cited, "national.act.made_out", "national.act.none", provision=Ref(part.id)
    )
    means = ElementResult(
        "means",
        False,
        False,
        (),
        reason("national.means.child_part", cited, provision=Ref(part.id)),
        outside_list=_ordered(facts.means, law, "means"),
    )
    purpose = _purpose(facts, elements, cited, law, "national.purpose", provision=Ref(part.id))
    made_out = act.satisfied and purpose.satisfied
    why = _verdict(part, made_out, act, means, purpose)
    notes = (reason("national.child_part", cited, provision=Ref(part.id)),)
    base = law.part(article, "base")
    circumstances = _ordered(facts.circumstances - {"victim_child"}, law, "circumstances")
    not_recognised: tuple[NotRecognised, ...] = ()
    if circumstances and base is not None:
        shared = reason(
            "aggravating.not_for_child_part",
            (part.id, base.id),
            facts=Codes(circumstances),
            child_part=Ref(part.id),
            base=Ref(base.id),
        )
        not_recognised = tuple(NotRecognised(code, shared) for code in circumstances)
    return Evaluation(
        part.id, made_out, (act, means, purpose), why, notes=notes, not_recognised=not_recognised
    )


def _base_part(
    article: Provision,
    base: Provision,
    child_part: Provision | None,
    elements: Elements,
    facts: Facts,
    child: bool | None,
    age: int | None,
    law: LawContent,
) -> Evaluation:
    cited = _cited(base, article, law)
    ref = Ref(base.id)
    act = _act(facts, elements, cited, "national.act.made_out", "national.act.none", provision=ref)
    means = _national_means(facts, elements, cited, ref, law)
    purpose = _purpose(facts, elements, cited, law, "national.purpose", provision=ref)
    made_out = act.satisfied and means.satisfied and purpose.satisfied
    aggravating, missing = _qualified(article, base, facts, child, age, law)
    applicable = base.id
    if made_out and aggravating:
        applicable = max(
            (a.provision_id for a in aggravating), key=lambda pid: _part_order(article, pid)
        )
    notes: list[Reason] = []
    if child_part is not None and child and means.satisfied:
        notes.append(
            reason("national.child_with_means", cited, provision=ref, child_part=Ref(child_part.id))
        )
    if child_part is not None and child is None and not means.satisfied:
        notes.append(
            reason(
                "national.age_unknown_no_means",
                (base.id, child_part.id),
                provision=ref,
                child_part=Ref(child_part.id),
            )
        )
    return Evaluation(
        applicable,
        made_out,
        (act, means, purpose),
        _verdict(law.provision(applicable) if made_out else base, made_out, act, means, purpose),
        notes=tuple(notes),
        aggravating=aggravating,
        not_recognised=_not_recognised(article, aggravating, facts, law),
        missing=missing,
    )


def _national_means(
    facts: Facts, elements: Elements, cited: tuple[str, ...], ref: Ref, law: LawContent
) -> ElementResult:
    listed = _ordered(facts.means & elements.means, law, "means")
    outside = _ordered(facts.means - elements.means, law, "means")
    allowed = _allowed(elements.means, law, "means")
    if listed:
        why = reason("national.means.made_out", cited, facts=Codes(listed), provision=ref)
    elif outside:
        why = reason(
            "national.means.outside_list",
            cited,
            facts=Codes(outside),
            provision=ref,
            allowed=allowed,
        )
    else:
        why = reason("national.means.none", cited, provision=ref, allowed=allowed)
    return ElementResult("means", bool(listed), True, listed, why, outside_list=outside)


def _verdict(
    provision: Provision,
    made_out: bool,
    act: ElementResult,
    means: ElementResult,
    purpose: ElementResult,
) -> Reason:
    if made_out:
        return reason("national.made_out", (provision.id,), provision=Ref(provision.id))
    return reason(
        "national.not_made_out",
        (provision.id,),
        provision=Ref(provision.id),
        missing=Formats(_lacking(act, means, purpose)),
    )


def _qualified(
    article: Provision,
    base: Provision,
    facts: Facts,
    child: bool | None,
    age: int | None,
    law: LawContent,
) -> tuple[tuple[Aggravation, ...], tuple[Missing, ...]]:
    """The items of the qualified parts that the facts show, and those they cannot show."""
    found: list[Aggravation] = []
    missing: list[Missing] = []
    for part in _qualified_parts(article, base, law):
        unrecorded = tuple(item.number for item in part.items if not item.recorded_by_facts)
        if unrecorded:
            missing.append(
                Missing(
                    "qualifying_circumstances",
                    reason(
                        "missing.unrecorded_items",
                        (part.id,),
                        provision=Ref(part.id),
                        items=ItemLabels(part.id, unrecorded),
                    ),
                )
            )
        for item in part.items:
            aggravation = _item_shown(part, item.number, facts, child, age, law)
            if aggravation is not None:
                found.append(aggravation)
            elif item.victim_under_age is not None and child and age is None:
                missing.append(
                    Missing(
                        "victim_age",
                        reason(
                            "missing.age_for_item",
                            (part.id,),
                            provision=Ref(part.id),
                            item=item.number,
                            under=item.victim_under_age,
                        ),
                    )
                )
    return tuple(found), tuple(missing)


def _qualified_parts(article: Provision, base: Provision, law: LawContent) -> tuple[Provision, ...]:
    return tuple(
        p for p in law.parts_of(article) if p.kind == "qualified" and p.qualifies == base.part
    )


def _item_shown(
    part: Provision, number: int, facts: Facts, child: bool | None, age: int | None, law: LawContent
) -> Aggravation | None:
    item = next(i for i in part.items if i.number == number)
    cited = (part.id,)
    ref = Ref(part.id)
    if item.circumstance is not None and item.circumstance in facts.circumstances:
        why = reason(
            "aggravating.recognised",
            cited,
            facts=Codes((item.circumstance,)),
            provision=ref,
            item=number,
        )
        return Aggravation(part.id, number, why, circumstance=item.circumstance)
    if item.purpose is not None and item.purpose in facts.purposes:
        why = reason(
            "aggravating.recognised",
            cited,
            facts=Codes((item.purpose,)),
            provision=ref,
            item=number,
        )
        return Aggravation(part.id, number, why, purpose=item.purpose)
    if item.victim_under_age is not None and age is not None and age < item.victim_under_age:
        why = reason(
            "aggravating.age", cited, provision=ref, item=number, under=item.victim_under_age
        )
        return Aggravation(part.id, number, why)
    return None


def _not_recognised(
    article: Provision, aggravating: tuple[Aggravation, ...], facts: Facts, law: LawContent
) -> tuple[NotRecognised, ...]:
    shown = {a.circumstance for a in aggravating}
    # A child victim is dealt with by the child rule, not as an aggravating item.
    ignored = {"victim_child"} if law.part(article, "child_without_means") else set()
    left = _ordered(facts.circumstances - shown - ignored, law, "circumstances")
    return tuple(
        NotRecognised(
            code,
            reason(
                "aggravating.not_in_article",
                (article.id,),
                facts=Codes((code,)),
                provision=Ref(article.id),
            ),
        )
        for code in left
        if not _circumstance_in_article(article, code, law)
    )


def _circumstance_in_article(article: Provision, code: str, law: LawContent) -> bool:
    return any(item.circumstance == code for part in law.parts_of(article) for item in part.items)


def _part_order(article: Provision, part_id: str) -> int:
    return article.parts.index(part_id)


def _cited(part: Provision, article: Provision, law: LawContent) -> tuple[str, ...]:
    note = law.part(article, "note")
    return (part.id,) if note is None else (part.id, note.id)


# --- Child-trafficking article and later laws ------------------------------------------


def _alternatives(
    article: Provision, facts: Facts, child: bool | None, age: int | None, law: LawContent
) -> tuple[Alternative, ...]:
    day = facts.offence_date
    if not child or day is None:
        return ()
    found = []
    for other in law.articles_with_role(law.settings.child_trafficking_role):
        if other.instrument_id != article.instrument_id or not other.in_force_on(day):
            continue
        base = law.part(other, "base")
        if base is None:
            continue
        shown = [
            a
            for part in _qualified_parts(other, base, law)
            for a in (_item_shown(part, item.number, facts, child, age, law) for item in part.items)
            if a is not None
        ]
        part_id = max(
            (a.provision_id for a in shown),
            key=lambda pid: _part_order(other, pid),
            default=base.id,
        )
        why = reason(
            "alternative.child_trafficking",
            (other.id, part_id, *law.settings.qualification_basis),
            provision=Ref(other.id),
            part=Ref(part_id),
        )
        found.append(Alternative(other.id, part_id, why))
    return tuple(found)


def _later_laws(
    article: Provision,
    evaluation: Evaluation,
    facts: Facts,
    child: bool | None,
    age: int | None,
    lineage: tuple[Provision, ...],
    law: LawContent,
) -> tuple[LaterLaw, ...]:
    """Every later version of the trafficking article, compared for the lawyer (CC art. 12)."""
    day = facts.offence_date
    assert day is not None
    basis = law.settings.retroactivity_basis
    found = []
    for later in lineage:
        start = later.in_force_from or later.adopted
        if later is article or start is None or start <= day:
            continue
        later_eval = evaluate(later, facts, child, age, law)
        earlier_id = _penalty_holder(evaluation.provision_id, article, law)
        later_id = _penalty_holder(later_eval.provision_id, later, law)
        if later_eval.made_out is False:
            comparison = "not_made_out"
            why = reason(
                "later.not_made_out",
                (later_eval.provision_id, *basis),
                later=Ref(later_eval.provision_id),
            )
        else:
            comparison = "cannot_compare"
            if _like_for_like(evaluation, later_eval, law):
                comparison = compare_penalties(
                    law.provision(earlier_id).penalty, law.provision(later_id).penalty
                )
            why = reason(
                f"later.{comparison}",
                (later_id, earlier_id, *basis),
                later=Ref(later_id),
                earlier=Ref(earlier_id),
                later_penalty=PenaltyOf(later_id),
                earlier_penalty=PenaltyOf(earlier_id),
            )
        found.append(LaterLaw(later_eval.provision_id, comparison, why))
    return tuple(found)


def _like_for_like(earlier: Evaluation, later: Evaluation, law: LawContent) -> bool:
    """Penalties compare only part for part: an article whose parts are unknown
    stands for its basic offence, so it compares only with a basic part."""
    if earlier.elements is None:
        return law.provision(later.provision_id).kind == "base"
    if later.elements is None:
        return law.provision(earlier.provision_id).kind == "base"
    return True


def _penalty_holder(provision_id: str, article: Provision, law: LawContent) -> str:
    """The provision whose penalty applies: the part if it has one, else the article."""
    if law.provision(provision_id).penalty is not None:
        return provision_id
    return article.id


def compare_penalties(earlier: Penalty | None, later: Penalty | None) -> str:
    """more_lenient, harsher, mixed, same, or cannot_compare — on imprisonment bounds."""
    bounds_e, bounds_l = _bounds(earlier), _bounds(later)
    if bounds_e is None or bounds_l is None:
        return "cannot_compare"
    (min_e, max_e), (min_l, max_l) = bounds_e, bounds_l
    softer = max_l < max_e or min_l < min_e
    harsher = max_l > max_e or min_l > min_e
    if softer and harsher:
        return "mixed"
    if softer:
        return "more_lenient"
    if harsher:
        return "harsher"
    return "same"


def _bounds(penalty: Penalty | None) -> tuple[float, float] | None:
    if penalty is None:
        return None
    if penalty.max_years is None:
        # No imprisonment at all, if the law names other penalties; otherwise unknown.
        return (0.0, 0.0) if penalty.other_sanctions and penalty.min_years is None else None
    return (penalty.min_years or 0.0, penalty.max_years)


# --- 5. International against national ----------------------------------------------------


def _divergence(trafficking: bool, national: National | None, law: LawContent) -> Reason | None:
    if national is None:
        return None
    evaluation = national.evaluation
    cited = (law.settings.international_definition, evaluation.provision_id)
    ref = Ref(evaluation.provision_id)
    if evaluation.made_out is None:
        return reason("divergence.national_unknown", cited, provision=ref)
    if trafficking and not evaluation.made_out:
        return reason("divergence.international_only", cited, provision=ref)
    if evaluation.made_out and not trafficking:
        return reason("divergence.national_only", cited, provision=ref)
    return reason("divergence.agree", cited, provision=ref)


# --- 6. Missing, evidence, related offences, screening ----------------------------------------


def _missing(
    facts: Facts,
    child: bool | None,
    age: int | None,
    act: ElementResult,
    means: ElementResult,
    purpose: ElementResult,
    consent_relevant: bool,
    national: National | None,
    law: LawContent,
) -> tuple[Missing, ...]:
    definition = law.settings.international_definition
    found: list[Missing] = []
    if not act.satisfied:
        found.append(Missing("act", reason("missing.act", (definition,))))
    if means.required and not means.satisfied:
        allowed = _allowed(_international_means(law), law, "means")
        found.append(Missing("means", reason("missing.means", (definition,), allowed=allowed)))
    if not purpose.satisfied and purpose.arguable:
        found.append(
            Missing(
                "purpose",
                reason("missing.purpose_arguable", (definition,), facts=Codes(purpose.arguable)),
            )
        )
    elif not purpose.satisfied:
        found.append(Missing("purpose", reason("missing.purpose", (definition,))))
    if child is None:
        found.append(
            Missing(
                "victim_age",
                reason("missing.age", law.settings.child_age_sources, under=_under(law)),
            )
        )
    if facts.offence_date is None:
        found.append(
            Missing("offence_date", reason("missing.offence_date", law.settings.time_basis))
        )
    if consent_relevant and facts.victim_consented is None:
        found.append(Missing("consent", reason("missing.consent", law.settings.consent_basis)))
    if national is not None:
        found.extend(_national_missing(national, means, law))
        if child and age is None:
            found.extend(_alternative_age_items(national, law))
    return tuple(found)


def _alternative_age_items(national: National, law: LawContent) -> list[Missing]:
    """A child of unknown exact age: items of the child article that turn on the age."""
    found = []
    for alternative in national.alternatives:
        for part in law.parts_of(law.provision(alternative.provision_id)):
            for item in part.items:
                if item.victim_under_age is not None:
                    why = reason(
                        "missing.age_for_item",
                        (part.id,),
                        provision=Ref(part.id),
                        item=item.number,
                        under=item.victim_under_age,
                    )
                    found.append(Missing("victim_age", why))
    return found


def _national_missing(national: National, means: ElementResult, law: LawContent) -> list[Missing]:
    evaluation = national.evaluation
    found: list[Missing] = []
    if evaluation.elements is not None:
        national_means = evaluation.elements[1]
        if national_means.required and not national_means.satisfied and means.satisfied:
            provision = law.provision(evaluation.provision_id)
            article = law.provision(national.article_id)
            elements = article.elements or provision.elements
            assert elements is not None
            found.append(
                Missing(
                    "national_means",
                    reason(
                        "missing.means_national",
                        (provision.id,),
                        provision=Ref(provision.id),
                        allowed=_allowed(elements.means, law, "means"),
                    ),
                )
            )
    found.extend(evaluation.missing)
    return found


def _international_means(law: LawContent) -> frozenset[str]:
    base = law.part(law.provision(law.settings.international_definition), "base")
    assert base is not None and base.elements is not None
    return base.elements.means


def _evidence(
    child: bool | None,
    act: ElementResult,
    means: ElementResult,
    purpose: ElementResult,
    national: National | None,
    law: LawContent,
) -> tuple[str, ...]:
    """Suggestions for every element that is missing or weak, in content order."""
    wanted: set[str] = set()
    if not act.satisfied:
        wanted.add("act")
    if means.required and not means.satisfied:
        wanted.add("means")
    if not purpose.satisfied:
        wanted.add("purpose")
    wanted.update(f"purpose:{code}" for code in purpose.arguable)
    if child is None:
        wanted.add("age")
    if national is not None and national.evaluation.elements is not None:
        _national_act, national_means, national_purpose = national.evaluation.elements
        if national_means.required and not national_means.satisfied:
            wanted.add("means")
        wanted.update(f"purpose:{code}" for code in national_purpose.arguable)
    return tuple(s.id for s in law.evidence if wanted.intersection(s.targets))


def _related(facts: Facts, child: bool | None, law: LawContent) -> tuple[Related, ...]:
    # Related offences are prompts, so without an offence date the current code is used.
    day = facts.offence_date or date.today()
    found = []
    for provision in law.articles_with_role("related"):
        trigger = provision.consider_when
        if trigger is None or not provision.in_force_on(day) or not _matches(trigger, facts, child):
            continue
        codes = _matched_codes(trigger, facts)
        why = reason(
            "related.consider", (provision.id,), provision=Ref(provision.id), facts=Codes(codes)
        )
        found.append(Related(provision.id, codes, why))
    return tuple(found)


def _screening(facts: Facts, child: bool | None, law: LawContent) -> tuple[Screening, ...]:
    found = []
    for indicator_set in law.indicator_sets:
        if not _matches(indicator_set.screen_when, facts, child):
            continue
        relevant = tuple(
            i.id
            for i in indicator_set.indicators
            if i.points_to and _matches(i.points_to, facts, child)
        )
        found.append(Screening(indicator_set.id, relevant))
    return tuple(found)


def _matches(trigger: Trigger, facts: Facts, child: bool | None) -> bool:
    if trigger.always:
        return True
    if trigger.child and not child:
        return False
    if not trigger.codes():
        return bool(trigger.child)
    return bool(_matched_codes(trigger, facts))


def _matched_codes(trigger: Trigger, facts: Facts) -> tuple[str, ...]:
    matched = (
        (trigger.acts & facts.acts)
        | (trigger.means & facts.means)
        | (trigger.purposes & facts.purposes)
        | (trigger.circumstances & facts.circumstances)
    )
    return tuple(sorted(matched))


# --- Helpers -----------------------------------------------------------------------------------


def _ordered(codes: frozenset[str], law: LawContent, category: Category) -> tuple[str, ...]:
    """Codes in vocabulary order, so that output is stable and reads naturally."""
    order = law.vocabulary.codes(category)
    return tuple(code for code in order if code in codes)


def _allowed(codes: frozenset[str], law: LawContent, category: Category) -> Codes:
    return Codes(_ordered(codes, law, category))


def _under(law: LawContent) -> int:
    return law.settings.child_under
