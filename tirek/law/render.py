"""Analysis → JSON in one language. The CLI, the API and the page all show
exactly this, so the same facts give the same answer everywhere.

Every reason becomes ``{"text": ..., "sources": [...]}``; every source cited
anywhere is listed once under ``sources`` with its citation, URL and
verification status.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tirek.law.content import law_content
from tirek.law.facts import facts_to_json
from tirek.law.model import Lang, LawContent, Penalty, Provision, Verification
from tirek.law.result import (
    Analysis,
    Arg,
    Codes,
    Day,
    ElementResult,
    Evaluation,
    Formats,
    Indicators,
    InstrumentName,
    ItemLabels,
    National,
    PenaltyOf,
    Reason,
    Ref,
    reason,
)
from tirek.law.screening import Advice, indicator_links


def render(analysis: Analysis, lang: Lang, content: LawContent | None = None) -> dict[str, Any]:
    return Renderer(content or law_content(), lang).analysis(analysis)


def render_advice(advice: Advice, lang: Lang, content: LawContent | None = None) -> dict[str, Any]:
    """A screening's recommendation in one language (see tirek.law.screening)."""
    return Renderer(content or law_content(), lang).advice(advice)


def render_indicator_hints(lang: Lang, content: LawContent | None = None) -> dict[str, str]:
    """For each indicator that points to facts: "often points to: …", by indicator id."""
    law = content or law_content()
    renderer = Renderer(law, lang)
    return {
        indicator_id: renderer.reason(reason("screening.points_to", facts=Codes(link.codes)))[
            "text"
        ]
        for indicator_id, link in indicator_links(law).items()
    }


@dataclass
class Renderer:
    law: LawContent
    lang: Lang
    cited: dict[str, None] = field(default_factory=dict)  # insertion-ordered set

    def analysis(self, a: Analysis) -> dict[str, Any]:
        out: dict[str, Any] = {
            "language": self.lang,
            "facts": facts_to_json(a.facts, self.law.vocabulary),
            "victim_age_at_offence": a.age_at_offence,
            "trafficking": a.trafficking,
            "trafficking_reason": self.reason(a.trafficking_reason),
            "child_victim": a.child_victim,
            "child_victim_reason": self.reason(a.child_reason),
            "elements": {
                "act": self.element(a.act),
                "means": self.element(a.means),
                "purpose": self.element(a.purpose),
            },
            "consent_relevant": a.consent_relevant,
            "consent_reason": self.reason(a.consent_reason),
            "law": self.national(a.national),
            "law_reason": self.reason(a.law_reason),
            "divergence": None if a.divergence is None else self.reason(a.divergence),
        }
        evaluation = a.national.evaluation if a.national else None
        out["aggravating"] = [
            {
                "provision": agg.provision_id,
                "article": self.law.provision(agg.provision_id).article,
                "part": self.law.provision(agg.provision_id).part,
                "item": agg.item,
                "circumstance": agg.circumstance,
                "purpose": agg.purpose,
                "reason": self.reason(agg.reason),
            }
            for agg in (evaluation.aggravating if evaluation else ())
        ]
        out["not_recognised"] = [
            {"circumstance": nr.circumstance, "reason": self.reason(nr.reason)}
            for nr in (evaluation.not_recognised if evaluation else ())
        ]
        out["missing"] = [{"item": m.item, "reason": self.reason(m.reason)} for m in a.missing]
        out["evidence_suggestions"] = [self.evidence(eid) for eid in a.evidence]
        out["related_offences"] = [
            {
                **self.provision_summary(self.law.provision(r.provision_id)),
                "facts": list(r.facts),
                "reason": self.reason(r.reason),
            }
            for r in a.related
        ]
        out["victim_rights"] = [self.right(rid) for rid in a.rights]
        out["time_limits"] = [self.time_limit(tid) for tid in a.time_limits]
        out["screening"] = [self.screening(s.set_id, s.relevant) for s in a.screening]
        out["warnings"] = [self.reason(w) for w in a.warnings]
        out["sources"] = [self.source(sid) for sid in list(self.cited)]
        return out

    def advice(self, a: Advice) -> dict[str, Any]:
        out: dict[str, Any] = {
            "language": self.lang,
            "recommendation": a.code,
            "explanation": [self.reason(r) for r in a.explanation],
            "elements": list(a.elements),
            "indicators": [
                {"id": i.id, "label": i.label.in_(self.lang), "set": s.id}
                for s in self.law.indicator_sets
                for i in s.indicators
                if i.id in a.indicators
            ],
        }
        out["sources"] = [self.source(sid) for sid in list(self.cited)]
        return out

    # --- Pieces -------------------------------------------------------------------

    def element(self, e: ElementResult) -> dict[str, Any]:
        out: dict[str, Any] = {"satisfied": e.satisfied, "facts": list(e.facts)}
        if e.name == "means":
            out["required"] = e.required
            out["outside_list"] = list(e.outside_list)
        if e.name == "purpose":
            out["arguable"] = list(e.arguable)
        out["reason"] = self.reason(e.reason)
        return out

    def national(self, national: National | None) -> dict[str, Any] | None:
        if national is None:
            return None
        evaluation: Evaluation = national.evaluation
        provision = self.law.provision(evaluation.provision_id)
        article = self.law.provision(national.article_id)
        instrument = self.law.instrument_of(article)
        return {
            "instrument": instrument.id,
            "instrument_title": instrument.title.in_(self.lang),
            "article": article.article,
            "part": provision.part,
            "provision": provision.id,
            "reference": self.ref(provision.id),
            "title": article.title.in_(self.lang),
            "summary": provision.summary.in_(self.lang),
            "in_force_from": _iso(article.in_force_from or instrument.in_force_from),
            "in_force_to": _iso(article.in_force_to),
            "made_out": evaluation.made_out,
            "verification": provision.verification.status,
            "verification_note": provision.verification.note.in_(self.lang),
            "penalty": self.penalty(provision.penalty or article.penalty),
            "elements": (
                None
                if evaluation.elements is None
                else {e.name: self.element(e) for e in evaluation.elements}
            ),
            "reason": self.reason(evaluation.reason),
            "notes": [self.reason(note) for note in evaluation.notes],
            "alternatives": [
                {
                    **self.provision_summary(self.law.provision(alt.provision_id)),
                    "part": self.law.provision(alt.part_id).part,
                    "reference": self.ref(alt.part_id),
                    "reason": self.reason(alt.reason),
                }
                for alt in national.alternatives
            ],
            "later_laws": [
                {
                    **self.provision_summary(self.law.provision(later.provision_id)),
                    "comparison": later.comparison,
                    "reason": self.reason(later.reason),
                }
                for later in national.later_laws
            ],
        }

    def provision_summary(self, p: Provision) -> dict[str, Any]:
        return {
            "provision": p.id,
            "instrument": p.instrument_id,
            "article": p.article,
            "reference": self.ref(p.id),
            "title": p.title.in_(self.lang),
            "summary": p.summary.in_(self.lang),
            "penalty": self.penalty(p.penalty),
            "verification": p.verification.status,
            "verification_note": p.verification.note.in_(self.lang),
        }

    def evidence(self, evidence_id: str) -> dict[str, Any]:
        s = next(e for e in self.law.evidence if e.id == evidence_id)
        self.cite(s.sources)
        return {
            "id": s.id,
            "for": list(s.targets),
            "type": s.type,
            "text": s.text.in_(self.lang),
            "sources": list(s.sources),
            **self.status(s.verification),
        }

    def right(self, right_id: str) -> dict[str, Any]:
        r = next(x for x in self.law.rights if x.id == right_id)
        self.cite(r.sources)
        return {
            "id": r.id,
            "title": r.title.in_(self.lang),
            "summary": r.summary.in_(self.lang),
            "sources": list(r.sources),
            **self.status(r.verification),
        }

    def time_limit(self, limit_id: str) -> dict[str, Any]:
        t = next(x for x in self.law.time_limits if x.id == limit_id)
        self.cite(t.sources)
        period = None if t.period is None else {"value": t.period.value, "unit": t.period.unit}
        return {
            "id": t.id,
            "title": t.title.in_(self.lang),
            "period": period,
            "summary": t.summary.in_(self.lang),
            "sources": list(t.sources),
            **self.status(t.verification),
        }

    def screening(self, set_id: str, relevant: tuple[str, ...]) -> dict[str, Any]:
        s = next(x for x in self.law.indicator_sets if x.id == set_id)
        self.cite(s.sources)
        return {
            "id": s.id,
            "title": s.title.in_(self.lang),
            "summary": s.summary.in_(self.lang),
            "indicators": [
                {"id": i.id, "label": i.label.in_(self.lang), "points_to_facts": i.id in relevant}
                for i in s.indicators
            ],
            "sources": list(s.sources),
            **self.status(s.verification),
        }

    def source(self, source_id: str) -> dict[str, Any]:
        if source_id in self.law.provisions:
            p = self.law.provision(source_id)
            return {
                "id": p.id,
                "reference": self.ref(p.id),
                "title": p.title.in_(self.lang),
                "citation": p.source.citation,
                "url": p.source.url,
                **self.status(p.verification),
            }
        if source_id in self.law.instruments:
            i = self.law.instruments[source_id]
            return {
                "id": i.id,
                "reference": i.short_title.in_(self.lang),
                "title": i.title.in_(self.lang),
                "citation": i.source.citation,
                "url": i.source.url,
                **self.status(i.dates_verification or i.verification),
            }
        r = self.law.references[source_id]
        return {
            "id": r.id,
            "reference": r.title.in_(self.lang),
            "title": r.title.in_(self.lang),
            "citation": r.source.citation,
            "url": r.source.url,
            **self.status(r.verification),
        }

    def status(self, v: Verification) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verification": v.status,
            "verification_note": v.note.in_(self.lang),
        }
        if v.confirmed_by:
            out["confirmed"] = {
                "by": v.confirmed_by,
                "on": _iso(v.confirmed_on),
                "against": v.confirmed_against,
            }
        return out

    # --- Reasons and their arguments -----------------------------------------------

    def cite(self, ids: tuple[str, ...]) -> None:
        for source_id in ids:
            self.cited.setdefault(source_id, None)

    def reason(self, r: Reason) -> dict[str, Any]:
        self.cite(r.sources)
        values = {key: self.arg(value) for key, value in r.args}
        text = self.law.reasons[r.template].in_(self.lang).format(**values)
        return {"text": text, "sources": list(r.sources)}

    def arg(self, value: Arg) -> str:
        match value:
            case Codes(codes):
                return self.join([self.law.vocabulary.label(c, self.lang) for c in codes])
            case Ref(provision_id):
                return self.ref(provision_id)
            case InstrumentName(instrument_id):
                return self.law.instruments[instrument_id].short_title.in_(self.lang)
            case Day(day):
                return self.day(day)
            case Formats(keys):
                return self.join([self.fmt(key) for key in keys])
            case PenaltyOf(provision_id):
                return self.penalty(self.law.provision(provision_id).penalty) or self.fmt(
                    "penalty_unknown"
                )
            case ItemLabels(provision_id, numbers):
                items = self.law.provision(provision_id).items
                return self.join([i.label.in_(self.lang) for i in items if i.number in numbers])
            case Indicators(ids):
                return self.join(
                    [
                        i.label.in_(self.lang)
                        for s in self.law.indicator_sets
                        for i in s.indicators
                        if i.id in ids
                    ]
                )
            case _:
                return str(value)

    def ref(self, provision_id: str) -> str:
        p = self.law.provision(provision_id)
        if p.ref is not None:
            return p.ref.in_(self.lang)
        instrument = self.law.instrument_of(p)
        short = instrument.short_title.in_(self.lang)
        if p.part is None:
            return self.fmt("provision_article").format(short=short, article=p.article)
        if p.kind == "note":
            return self.fmt("provision_note").format(short=short, article=p.article)
        key = "provision_paragraph" if instrument.type == "treaty" else "provision_part"
        return self.fmt(key).format(short=short, article=p.article, part=p.part)

    def penalty(self, penalty: Penalty | None) -> str | None:
        if penalty is None:
            return None
        if penalty.max_years is None:
            return self.fmt("penalty_other") if penalty.other_sanctions else None
        if penalty.min_years is None:
            return self.fmt("penalty_up_to").format(max=self.number(penalty.max_years))
        return self.fmt("penalty_range").format(
            min=self.number(penalty.min_years), max=self.number(penalty.max_years)
        )

    def number(self, value: float) -> str:
        text = str(int(value)) if float(value).is_integer() else str(value)
        return text if self.lang == "en" else text.replace(".", ",")

    def day(self, day: date | None) -> str:
        if day is None:
            return self.fmt("open_end")
        return self.fmt("date").format(d=f"{day.day:02}", m=f"{day.month:02}", y=day.year)

    def fmt(self, key: str) -> str:
        return self.law.formats[key].in_(self.lang)

    def join(self, parts: list[str]) -> str:
        return ", ".join(parts) if parts else self.fmt("none")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
