"""The element matrix: every element and aggravating circumstance of the
provision charged, against the evidence that supports it.

``element_matrix`` reads the content only. For each charged provision it
1. finds the provision (the version of the article in force on the offence
   date); with nothing charged, or nothing the content knows, the base part of
   the trafficking article in force on that date (the law of the time of the
   act governs, as in ``tirek.cases.actions.criminal_code_on``);
2. takes the elements that apply to it: the part's own (a child part), else
   the article's (a qualified part aggravates the base offence, so it needs
   the base's elements too); a trafficking article whose elements the content
   has not read falls back to the Protocol's definition, and says so;
3. adds the victim's age where it is an element, or where the victim may be a
   child and the content gives a child rule that drops the means;
4. adds each numbered item of a qualified part charged: the aggravating
   circumstances the prosecution must also prove;
5. attaches to each row the evidence suggestions of ``evidence.yaml`` whose
   ``for`` names it, to show when the row is a gap.

``mark`` then holds each row against the links a lawyer made (item number,
strength, independent or the victim's own account). It is the one place that
decides what a gap is, so the page, the print and any export agree.

Keys of rows are what ``ElementLink.element`` stores: ``act``, ``means``,
``purpose``, ``age``, ``circumstance:<code>``, ``purpose:<code>`` (an item
that is a purpose, e.g. organ removal) and ``item:<provision id>:<number>``
for an item the vocabulary has no code for (e.g. "by a group of persons").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from tirek.law.content import law_content
from tirek.law.model import Elements, Item, Lang, LawContent, Provision, Status
from tirek.law.render import Renderer
from tirek.law.result import Codes, Formats, Reason, Ref, reason

RowKind = Literal["element", "circumstance"]
Mark = Literal["gap", "testimony_only", "weak", "supported", "not_required"]
# From the gravest to the best: the summary is the gravest mark of a required row.
SEVERITY: tuple[Mark, ...] = ("gap", "testimony_only", "weak", "supported")
# Marks whose rows show the kinds of evidence that typically prove them.
WANTS_EVIDENCE: frozenset[Mark] = frozenset({"gap", "testimony_only"})
WEAK = "weak"


@dataclass(frozen=True)
class Charge:
    instrument: str
    article: str
    part: str | None = None


@dataclass(frozen=True)
class Note:
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    id: str
    type: str
    text: str
    verification: Status
    verification_note: str


@dataclass(frozen=True)
class Row:
    """One element or aggravating circumstance, in one language."""

    element: str
    kind: RowKind
    label: str
    provision_id: str
    reference: str
    verification: Status
    detail: str = ""
    item: int | None = None
    required: bool = True
    notes: tuple[Note, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class Section:
    """The rows of one provision charged (or assumed, when nothing is)."""

    provision_id: str
    reference: str
    title: str
    verification: Status
    verification_note: str
    penalty: str | None
    charged: bool
    rows: tuple[Row, ...]
    notes: tuple[Note, ...] = ()
    elements_known: bool = True


@dataclass(frozen=True)
class Matrix:
    sections: tuple[Section, ...]
    # Charges the content does not know (a wrong article, another code).
    not_in_content: tuple[Charge, ...] = ()

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    def elements(self) -> tuple[str, ...]:
        """The keys a lawyer may link an item to, each once, in page order."""
        return tuple(dict.fromkeys(row.element for row in self.rows))


# --- 1. The provisions ---------------------------------------------------------------


def element_matrix(
    charges: Sequence[Charge],
    *,
    offence_date: date | None,
    today: date,
    child: bool | None,
    lang: Lang,
    content: LawContent | None = None,
) -> Matrix:
    """The rows for the charges; ``child``: was the victim a child at the offence."""
    law = content or law_content()
    day = offence_date or today
    renderer = Renderer(law, lang)
    found: dict[str, Provision] = {}
    unknown: list[Charge] = []
    for charge in charges:
        provision = charged_provision(charge, day, law)
        if provision is None:
            unknown.append(charge)
        else:
            found.setdefault(provision.id, provision)
    sections = [_section(p, True, child, law, renderer) for p in found.values()]
    if not sections:
        article = trafficking_article_on(day, law)
        assumed = law.part(article, "base") or article
        sections.append(_section(assumed, False, child, law, renderer))
    return Matrix(tuple(sections), tuple(unknown))


def charged_provision(charge: Charge, day: date, law: LawContent) -> Provision | None:
    """The article (its version in force on ``day``), or its part, or None."""
    versions = [
        p
        for p in law.provisions.values()
        if p.instrument_id == charge.instrument and p.article == charge.article and p.part is None
    ]
    if not versions:
        return None
    article = next((a for a in versions if a.in_force_on(day)), versions[-1])
    if not charge.part:
        return article
    return next((p for p in law.parts_of(article) if p.part == charge.part), None)


def trafficking_article_on(day: date, law: LawContent) -> Provision:
    """The trafficking article in force on ``day``; the latest if none is."""
    articles = law.articles_with_role(law.settings.trafficking_role)
    return next((a for a in reversed(articles) if a.in_force_on(day)), articles[-1])


def child_on(birth: date | None, offence: date | None, today: date, law: LawContent) -> bool | None:
    """Was the victim a child on the offence date? None when it cannot be known."""
    if birth is None:
        return None
    day = offence or today
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    if years < law.settings.child_under:
        return True
    # Without an offence date an adult today may have been a child then.
    return False if offence is not None else None


def _article_of(provision: Provision, law: LawContent) -> Provision:
    if provision.part is None:
        return provision
    return next(p for p in law.provisions.values() if provision.id in p.parts)


# --- 2. Elements --------------------------------------------------------------------


@dataclass(frozen=True)
class _Applicable:
    provision: Provision  # whose elements these are
    elements: Elements
    from_protocol: bool


def _applicable(provision: Provision, article: Provision, law: LawContent) -> _Applicable | None:
    if provision.elements is not None:
        return _Applicable(provision, provision.elements, False)
    if article.elements is not None and provision.kind in ("article", "base", "qualified"):
        return _Applicable(law.part(article, "base") or article, article.elements, False)
    roles = (law.settings.trafficking_role, law.settings.child_trafficking_role)
    if article.elements is None and article.role in roles:
        definition = law.provision(law.settings.international_definition)
        kind = "child_without_means" if article.role == roles[1] else "base"
        part = law.part(definition, kind)
        if part is not None and part.elements is not None:
            return _Applicable(part, part.elements, True)
    return None


def _section(
    provision: Provision, charged: bool, child: bool | None, law: LawContent, r: Renderer
) -> Section:
    article = _article_of(provision, law)
    applicable = _applicable(provision, article, law)
    notes: list[Note] = []
    rows: list[Row] = []
    if applicable is not None:
        if applicable.from_protocol:
            status = f"status_{article.verification.status}"
            notes.append(
                _note(
                    r,
                    reason(
                        "law.elements_unknown",
                        (article.id,),
                        provision=Ref(article.id),
                        status=Formats((status,)),
                    ),
                )
            )
        if applicable.elements.mapping_note is not None:
            notes.append(Note(applicable.elements.mapping_note.in_(r.lang)))
        rows += _element_rows(applicable, article, child, law, r)
    if provision.kind == "qualified":
        rows += [_item_row(provision, item, law, r) for item in provision.items]
    return Section(
        provision_id=provision.id,
        reference=r.ref(provision.id),
        title=article.title.in_(r.lang),
        verification=provision.verification.status,
        verification_note=provision.verification.note.in_(r.lang),
        penalty=r.penalty(provision.penalty or article.penalty),
        charged=charged,
        rows=tuple(rows),
        notes=tuple(notes),
        elements_known=applicable is not None and not applicable.from_protocol,
    )


def _element_rows(
    applicable: _Applicable, article: Provision, child: bool | None, law: LawContent, r: Renderer
) -> list[Row]:
    source, elements = applicable.provision, applicable.elements

    def row(
        key: str,
        codes: Iterable[str],
        detail: str = "",
        required: bool = True,
        notes: tuple[Note, ...] = (),
    ) -> Row:
        wanted = {key} | {f"{key}:{code}" for code in codes}
        return Row(
            element=key,
            kind="element",
            label=r.fmt(f"element_{key}"),
            provision_id=source.id,
            reference=r.ref(source.id),
            verification=source.verification.status,
            detail=detail,
            required=required,
            notes=notes,
            suggestions=_suggestions(wanted, law, r),
        )

    acts = _ordered(elements.acts, law.vocabulary.codes("acts"))
    means = _ordered(elements.means, law.vocabulary.codes("means"))
    purposes = _ordered(elements.purposes, law.vocabulary.codes("purposes"))
    arguable = _ordered(elements.arguable_purposes, law.vocabulary.codes("purposes"))
    rows = [row("act", acts, detail=r.arg(Codes(acts)))]
    may_be_child = child is not False
    means_notes = _child_means_notes(source, article, law, r) if may_be_child else ()
    if elements.means_required:
        rows.append(row("means", means, detail=r.arg(Codes(means)), notes=means_notes))
    else:
        rows.append(row("means", (), required=False, notes=(_child_part_note(source, r),)))
    rows.append(row("purpose", purposes + arguable, detail=r.arg(Codes(purposes))))
    age_is_element = elements.victim == "child" or article.role == _child_role(law)
    if age_is_element:
        rows.append(row("age", ()))
    elif may_be_child and elements.means_required and means_notes:
        under = law.settings.child_under
        why = reason("missing.age", law.settings.child_age_sources, under=under)
        rows.append(row("age", (), required=False, notes=(_note(r, why),)))
    return rows


def _child_means_notes(
    source: Provision, article: Provision, law: LawContent, r: Renderer
) -> tuple[Note, ...]:
    """What the content says about means where the victim is a child: the
    article's own child part, else its child rule, else (elements taken from
    the Protocol) the Protocol's child part."""
    child_part = law.part(article, "child_without_means")
    if child_part is not None and child_part.id != source.id:
        return (_child_part_note(child_part, r),)
    if article.child_means_required is not None:
        template = (
            "law.child_means_required"
            if article.child_means_required
            else "law.child_means_not_required"
        )
        return (_note(r, reason(template, (article.id,), provision=Ref(article.id))),)
    if source.instrument_id != article.instrument_id:
        protocol_part = law.part(_article_of(source, law), "child_without_means")
        if protocol_part is not None and protocol_part.id != source.id:
            return (_child_part_note(protocol_part, r),)
    return ()


def _child_part_note(part: Provision, r: Renderer) -> Note:
    return _note(r, reason("national.means.child_part", (part.id,), provision=Ref(part.id)))


def _child_role(law: LawContent) -> str:
    return law.settings.child_trafficking_role


# --- 3. Aggravating circumstances ------------------------------------------------


def item_key(part: Provision, item: Item) -> str:
    if item.circumstance is not None:
        return f"circumstance:{item.circumstance}"
    if item.purpose is not None:
        return f"purpose:{item.purpose}"
    if item.victim_under_age is not None:
        # The same documents prove the age for every rule that turns on it.
        return "age"
    return f"item:{part.id}:{item.number}"


def _item_row(part: Provision, item: Item, law: LawContent, r: Renderer) -> Row:
    key = item_key(part, item)
    notes = () if item.mapping_note is None else (Note(item.mapping_note.in_(r.lang)),)
    return Row(
        element=key,
        kind="circumstance",
        label=item.label.in_(r.lang),
        provision_id=part.id,
        reference=r.ref(part.id),
        verification=part.verification.status,
        item=item.number,
        notes=notes,
        suggestions=_suggestions({key}, law, r),
    )


# --- 4. Evidence suggestions -----------------------------------------------------------


def _suggestions(wanted: set[str], law: LawContent, r: Renderer) -> tuple[Suggestion, ...]:
    return tuple(
        Suggestion(
            id=s.id,
            type=s.type,
            text=s.text.in_(r.lang),
            verification=s.verification.status,
            verification_note=s.verification.note.in_(r.lang),
        )
        for s in law.evidence
        if wanted.intersection(s.targets)
    )


# --- 5. Rows against the evidence --------------------------------------------------


@dataclass(frozen=True)
class Link:
    """An item linked to an element, as the lawyer assessed it."""

    item: int
    strength: str
    independent: bool


@dataclass(frozen=True)
class MarkedRow:
    row: Row
    links: tuple[Link, ...]
    mark: Mark

    @property
    def wants_evidence(self) -> bool:
        return self.mark in WANTS_EVIDENCE


@dataclass(frozen=True)
class Summary:
    mark: Mark  # the gravest mark of a required row; "supported" if none is worse
    counts: Mapping[Mark, int]
    required: int
    # Links to elements no row shows (the charge changed since they were made).
    elsewhere: tuple[str, ...] = ()


def row_mark(row: Row, links: Sequence[Link]) -> Mark:
    """1. no link: a gap (or simply not required, for a row that is not);
    2. only the victim's own account: testimony only — the row falls if the
       victim withdraws, however strong the lawyer thinks the statement is;
    3. every independent link weak: weak;
    4. otherwise supported."""
    if not links:
        return "gap" if row.required else "not_required"
    independent = [link for link in links if link.independent]
    if not independent:
        return "testimony_only"
    if all(link.strength == WEAK for link in independent):
        return "weak"
    return "supported"


def mark(rows: Iterable[Row], links: Mapping[str, Sequence[Link]]) -> tuple[MarkedRow, ...]:
    return tuple(
        MarkedRow(row, tuple(links.get(row.element, ())), row_mark(row, links.get(row.element, ())))
        for row in rows
    )


def summarise(marked: Sequence[MarkedRow], links: Mapping[str, Sequence[Link]]) -> Summary:
    counts: dict[Mark, int] = {m: 0 for m in (*SEVERITY, "not_required")}
    for row in marked:
        counts[row.mark] += 1
    required = [row.mark for row in marked if row.row.required]
    worst: Mark = min(required, key=SEVERITY.index) if required else "supported"
    shown = {row.row.element for row in marked}
    elsewhere = tuple(sorted(key for key, found in links.items() if found and key not in shown))
    return Summary(worst, counts, len(required), elsewhere)


# --- Helpers --------------------------------------------------------------------------


def _ordered(codes: frozenset[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for code in order if code in codes)


def _note(r: Renderer, why: Reason) -> Note:
    rendered = r.reason(why)
    return Note(rendered["text"], tuple(rendered["sources"]))
