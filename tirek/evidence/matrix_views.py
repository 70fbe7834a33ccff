"""The element matrix: the page a lawyer prints before meeting the investigator.

Every element and aggravating circumstance of the provision charged (the law
engine's ``tirek.law.matrix``) against the items linked to it, with the
lawyer's assessment of strength; gaps and rows resting on the victim's own
account alone are marked, with the kinds of evidence that typically prove
them. Three queries for the evidence, however many items: the case, the
items, their links.
"""

import datetime
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tirek.accounts.roles import Role
from tirek.analysis.services import current_language
from tirek.cases.actions import criminal_code_on
from tirek.cases.models import LegalAidCase
from tirek.evidence.models import ElementLink, EvidenceItem, Strength
from tirek.law import law_content
from tirek.law.matrix import (
    Charge,
    Link,
    MarkedRow,
    Matrix,
    Row,
    child_on,
    element_matrix,
    mark,
    summarise,
)
from tirek.law.model import Lang
from tirek.protection.access import evidence_case_for
from tirek.protection.policy import roles, route_access

MARK_LABELS = {
    "gap": _("Gap: no evidence"),
    "testimony_only": _("Victim's testimony only: falls if the victim withdraws"),
    "weak": _("Weak: only weak independent evidence"),
    "supported": _("Supported"),
    "not_required": _("Not required for this provision"),
}


def case_matrix(case: LegalAidCase, *, lang: Lang, today: datetime.date | None = None) -> Matrix:
    """The adapter from a case to the matrix; ``case`` comes with its client and
    criminal case (``case_for`` selects them). The link view may validate an
    element against ``case_matrix(...).elements()``."""
    today = today or timezone.localdate()
    criminal = case.criminal_case
    offence = criminal.offence_date if criminal else None
    charges = [_charge(raw, offence) for raw in (criminal.charges if criminal else [])]
    child = child_on(case.client.birth_date, offence, today, law_content())
    return element_matrix(charges, offence_date=offence, today=today, child=child, lang=lang)


def _charge(raw: dict, offence: datetime.date | None) -> Charge:
    # A charge recorded without its code belongs to the code in force on the offence date.
    part = raw.get("part")
    return Charge(
        instrument=str(raw.get("instrument") or criminal_code_on(offence)),
        article=str(raw.get("article", "")),
        part=None if part in (None, "") else str(part),
    )


@dataclass
class ShownLink:
    item: EvidenceItem
    link: ElementLink

    @property
    def independent(self) -> bool:
        return self.item.independent


@dataclass
class ShownRow:
    row: Row
    mark: str
    mark_label: str
    wants_evidence: bool
    links: list[ShownLink] = field(default_factory=list)


@route_access(roles(Role.LAWYER))
@require_GET
def matrix(request: HttpRequest, number: str) -> HttpResponse:
    case = evidence_case_for(request.user, number)
    table = case_matrix(case, lang=current_language())
    items = list(
        EvidenceItem.objects.filter(case=case).order_by("number").prefetch_related("links")
    )
    shown: dict[str, list[ShownLink]] = {}
    for item in items:
        for link in item.links.all():
            shown.setdefault(link.element, []).append(ShownLink(item, link))
    links = {
        element: [Link(s.item.number, s.link.strength, s.independent) for s in found]
        for element, found in shown.items()
    }
    sections = [
        (section, [_shown(marked, shown) for marked in mark(section.rows, links)])
        for section in table.sections
    ]
    summary = summarise(mark(table.rows, links), links)
    return render(
        request,
        "evidence/matrix.html",
        {
            "case": case,
            "criminal": case.criminal_case,
            "matrix": table,
            "sections": sections,
            "charged": [section for section in table.sections if section.charged],
            "assumed": next((s for s in table.sections if not s.charged), None),
            "summary": summary,
            "summary_label": MARK_LABELS[summary.mark],
            "items": items,
            "element_choices": _element_choices(table),
            "strengths": Strength.choices,
            "printed_at": timezone.localtime(),
        },
    )


def _shown(marked: MarkedRow, shown: dict[str, list[ShownLink]]) -> ShownRow:
    return ShownRow(
        row=marked.row,
        mark=marked.mark,
        mark_label=MARK_LABELS[marked.mark],
        wants_evidence=marked.wants_evidence,
        links=shown.get(marked.row.element, []),
    )


def _element_choices(table: Matrix) -> list[tuple[str, str]]:
    """Each key once, named by its first row: "CC 2021 art. 166 part 2, item 4: …"."""
    choices: dict[str, str] = {}
    for row in table.rows:
        if row.element not in choices:
            where = row.reference
            if row.item is not None:
                where = _("%(provision)s, item %(item)s") % {"provision": where, "item": row.item}
            choices[row.element] = f"{where}: {row.label}"
    return list(choices.items())
