"""The assignment order: issuing it (numbered, registered), finding it, and
rendering it as DOCX and PDF in Kyrgyz, Russian or English.

Who sees what: the register of orders (``orders_visible_to``) and the
documents downloaded by coordinators carry no identity — the person is named
by the request number only. The lawyer who accepted the assignment downloads
the order with the person's name and date of birth (``order_for``).

The documents are filled from one tested context builder (``order_content``)
that both renderers read, so the DOCX and the PDF always say the same.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.roles import Role
from tirek.assignment.models import (
    Assignment,
    AssignmentOrder,
    AssignmentState,
    Basis,
    LegalAidRequest,
)
from tirek.audit.log import audit
from tirek.documents import docx as docx_doc
from tirek.law import law_content
from tirek.people.models import SpokenLanguage
from tirek.protection.access import legal_aid_requests_visible_to, persons_visible_to

# The languages an order is written in, with their names for the download links.
ORDER_LANGUAGES = {
    "ky": gettext_lazy("Kyrgyz"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
}
ORDER_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The provision of the legal aid law cited when the basis is that law (law content).
LEGAL_AID_LAW_PROVISION = "kg-law-legal-aid-2022/victims-category"
# Attempts at a free number when concurrent issues collide (see ``issue_order``).
NUMBER_ATTEMPTS = 5


# --- Issuing -------------------------------------------------------------------------


def order_number(year: int, sequence: int) -> str:
    """ASCII only, so it travels in file names, e-mail subjects and URLs."""
    return f"LA-{year}-{sequence:06d}"


def _next_sequence(year: int) -> int:
    last = AssignmentOrder.objects.filter(year=year).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


@transaction.atomic
def issue_order(*, assignment: Assignment, issued_by) -> AssignmentOrder:
    """Number and register the order for an accepted assignment.

    1. Refuse an assignment that is not accepted; an assignment that already
       has its order gets that order back (one order per assignment).
    2. Take the next number of the year and insert, in a savepoint: if a
       concurrent issue took the number first, the unique (year, sequence)
       constraint refuses ours, the savepoint rolls back alone, and we read
       the year's last number again. No counter row to lock, and no number
       is ever given twice.
    3. Record "order.issue" in the audit trail, in the same transaction.
    """
    if assignment.state != AssignmentState.ACCEPTED:
        raise ValidationError(_("An order is issued only for an accepted assignment."))
    existing = AssignmentOrder.objects.filter(assignment=assignment).first()
    if existing is not None:
        return existing
    issued_on = timezone.localdate()
    year = issued_on.year
    for _attempt in range(NUMBER_ATTEMPTS):
        sequence = _next_sequence(year)
        try:
            with transaction.atomic():
                order = AssignmentOrder.objects.create(
                    assignment=assignment,
                    year=year,
                    sequence=sequence,
                    number=order_number(year, sequence),
                    issued_on=issued_on,
                    issued_by=issued_by,
                    legal_aid_office_id=assignment.request.legal_aid_office_id,
                )
        except IntegrityError:
            existing = AssignmentOrder.objects.filter(assignment=assignment).first()
            if existing is not None:  # issued meanwhile by a concurrent call
                return existing
            continue
        break
    else:
        raise IntegrityError(f"no free order number for {year} after {NUMBER_ATTEMPTS} tries")
    audit(
        actor=issued_by,
        action="order.issue",
        target=order.assignment.request,
        changes={"number": [None, order.number]},
    )
    return order


# --- Finding (the register, and one order for a download) ----------------------------

_REGISTER_RELATIONS = (
    "assignment__request__case",
    "assignment__lawyer__organisation",
    "assignment__lawyer__register_entry",
    "issued_by",
    "legal_aid_office",
)


def _coordinators_requests(user) -> QuerySet:
    """The requests a coordinator may see: their region's, or all for the
    national office. Not those a user sees as a caseworker of the sender."""
    if not (user.is_authenticated and user.is_active and Role.COORDINATOR in user.roles):
        return LegalAidRequest.objects.none()
    requests = legal_aid_requests_visible_to(user)
    region = user.organisation.region if user.organisation_id else ""
    return requests.filter(region=region) if region else requests


def orders_visible_to(user) -> QuerySet:
    """The register of orders as a coordinator sees it, newest first; one
    query for a page, whatever its length (the relations it shows are joined)."""
    requests = _coordinators_requests(user)
    return (
        AssignmentOrder.objects.filter(assignment__request__in=requests.values("pk"))
        .select_related(*_REGISTER_RELATIONS)
        .defer("assignment__request__summary")
        .order_by("-year", "-sequence")
    )


def order_for(user, pk: int) -> tuple[AssignmentOrder, bool]:
    """The order and whether its documents may name the person, or 404.

    - the lawyer who accepted the assignment, while the person is their
      client (``persons_visible_to``): with identity;
    - a coordinator who can see the request: without identity;
    - anyone else: 404, the same answer as for an order that does not exist.
    """
    orders = AssignmentOrder.objects.select_related(*_REGISTER_RELATIONS)
    if Role.LAWYER in getattr(user, "roles", ()):
        order = orders.filter(
            pk=pk,
            assignment__lawyer=user,
            assignment__state=AssignmentState.ACCEPTED,
            assignment__request__person__in=persons_visible_to(user).values("pk"),
        ).first()
        if order is not None:
            return order, True
    order = orders.filter(
        pk=pk, assignment__request__in=_coordinators_requests(user).values("pk")
    ).first()
    if order is None:
        raise Http404
    return order, False


# --- What the order says (one context for both formats) -----------------------------


@dataclass(frozen=True)
class OrderContent:
    """The order's text, already in its language; both renderers read this."""

    language: str
    number: str
    office: str
    title: str
    number_line: str
    date_line: str
    operative: str
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    issued_by_label: str
    issued_by: str
    signature_label: str


def order_content(order: AssignmentOrder, language: str, *, include_identity: bool) -> OrderContent:
    """Everything the order says, translated into ``language``.

    The person's identity is read only when ``include_identity`` (the
    lawyer's copy); otherwise the document points to the request instead.
    """
    if language not in ORDER_LANGUAGES:
        raise ValueError(f"orders are written in {sorted(ORDER_LANGUAGES)}, not {language!r}")
    assignment = order.assignment
    request = assignment.request
    lawyer = assignment.lawyer
    with translation.override(language):
        role = request.get_lawyer_role_display()
        sections = (
            (
                _("The request"),
                _request_rows(request, language, include_identity=include_identity),
            ),
            (_("The person receiving legal aid"), _person_rows(request, include_identity)),
            (
                _("The lawyer assigned"),
                (
                    (_("Full name"), _name(lawyer)),
                    (_("Licence number"), _licence_number(lawyer)),
                    (_("Law office"), str(lawyer.organisation or _("not recorded"))),
                    (_("Acts as"), role),
                ),
            ),
            (_("The case"), _case_rows(request)),
        )
        return OrderContent(
            language=language,
            number=order.number,
            office=order.legal_aid_office.name,
            title=_("Order on assigning a lawyer to provide state-guaranteed legal aid"),
            number_line=_("No. %(number)s") % {"number": order.number},
            date_line=_date(order.issued_on),
            operative=_(
                "On the request named below, the Legal Aid Service assigns the lawyer named "
                "below to provide state-guaranteed legal aid to the person named below, "
                "acting as: %(role)s. Date on which the lawyer accepted the assignment: "
                "%(accepted)s"
            )
            % {
                "role": role,
                "accepted": _date(timezone.localtime(assignment.answered_at).date())
                if assignment.answered_at
                else _("not recorded"),
            },
            sections=sections,
            issued_by_label=_("Issued by"),
            issued_by=_name(order.issued_by),
            signature_label=_("Signature"),
        )


def _request_rows(
    request: LegalAidRequest, language: str, *, include_identity: bool
) -> tuple[tuple[str, str], ...]:
    languages = ", ".join(str(_spoken(code)) for code in request.languages) or _("not recorded")
    return (
        (_("Request number"), request.number),
        (_("Received"), _date(timezone.localtime(request.received_at).date())),
        (_("Referred by"), request.from_organisation.name),
        (_("Basis of entitlement"), _basis(request, language, include_identity=include_identity)),
        (_("Region"), request.get_region_display()),
        (_("Languages the person speaks"), languages),
        (
            _("Interpreter"),
            _("An interpreter is needed")
            if request.interpreter_needed
            else _("No interpreter is needed"),
        ),
    )


def _basis(request: LegalAidRequest, language: str, *, include_identity: bool) -> str:
    lines = [request.get_basis_display()]
    if request.basis == Basis.LEGAL_AID_LAW:
        provision = law_content().provision(LEGAL_AID_LAW_PROVISION)
        reference = provision.ref.in_(language) if provision.ref else provision.id
        lines.append(f"{reference}: {provision.title.in_(language)}")
        lines.append(f"{_verification(provision.verification.status)}.")
        lines.append(provision.verification.note.in_(language))
    elif request.basis == Basis.VICTIM_STATUS:
        decision = request.status_decision
        if decision is not None:
            lines.append(
                _("Decision of %(authority)s No. %(number)s of %(date)s")
                % {
                    "authority": decision.authority,
                    "number": decision.document_number,
                    "date": _date(decision.decided_on),
                }
            )
        else:
            lines.append(_("The decision on victim status is not recorded in Tirek."))
    # Free text a caseworker typed may name the person: the lawyer's copy only.
    if include_identity and request.basis_reference and request.basis != Basis.VICTIM_STATUS:
        lines.append(_("Reference: %(reference)s") % {"reference": request.basis_reference})
    return "\n".join(lines)


def _verification(status: str) -> str:
    if status == "verified":
        return _("Verified against the official text")
    if status == "secondary":
        return _("Secondary source — check the official text")
    return _("Unverified — check the official text")


def _person_rows(request: LegalAidRequest, include_identity: bool) -> tuple[tuple[str, str], ...]:
    if not include_identity:
        return (
            (
                _("Identity"),
                _("Held by the assigned lawyer and the referring organisation"),
            ),
            (_("Refer to request"), request.number),
        )
    person = request.person
    return (
        (_("Full name"), person.full_name),
        (_("Date of birth"), _date(person.birth_date) if person.birth_date else _("not recorded")),
    )


def _case_rows(request: LegalAidRequest) -> tuple[tuple[str, str], ...]:
    case = request.case
    criminal = request.criminal_case_number
    if not criminal and case is not None and case.criminal_case_id:
        criminal = case.criminal_case.register_number
    return (
        (_("Legal aid case number"), case.number if case else _("not opened yet")),
        (_("Criminal case number"), criminal or _("not known")),
    )


def _licence_number(lawyer) -> str:
    try:
        return lawyer.register_entry.licence_number
    except ObjectDoesNotExist:
        return _("not in the register of lawyers")


def _spoken(code: str) -> str:
    try:
        return SpokenLanguage(code).label
    except ValueError:
        return code


def _name(user) -> str:
    return user.get_full_name() or user.username


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- Rendering ------------------------------------------------------------------------


def order_filename(order: AssignmentOrder, language: str, file_format: str) -> str:
    return f"{order.number}-{language}.{file_format}"


def render_order_docx(order: AssignmentOrder, language: str, *, include_identity: bool) -> bytes:
    content = order_content(order, language, include_identity=include_identity)
    document = docx_doc.docx_document(language=language, title=content.title)
    docx_doc.add_paragraph(document, content.office, bold=True, centred=True)
    docx_doc.add_paragraph(document, content.title, bold=True, size=14, centred=True)
    docx_doc.add_paragraph(document, content.number_line, bold=True, centred=True)
    docx_doc.add_paragraph(document, content.date_line, right=True, space_after=12)
    docx_doc.add_paragraph(document, content.operative, space_after=12)
    for heading, rows in content.sections:
        docx_doc.add_paragraph(document, heading, bold=True)
        docx_doc.add_facts(document, rows)
    docx_doc.add_signature(
        document,
        label=content.issued_by_label,
        name=content.issued_by,
        line_label=content.signature_label,
    )
    return docx_doc.docx_bytes(document)


def render_order_pdf(order: AssignmentOrder, language: str, *, include_identity: bool) -> bytes:
    content = order_content(order, language, include_identity=include_identity)
    with translation.override(language):
        html = render_to_string("assignment/order_pdf.html", {"order": content})
    # Imported here: WeasyPrint takes a second to load, and every command
    # (which loads the URLs for its checks) would pay it.
    from tirek.documents.pdf import pdf_from_html

    return pdf_from_html(html)
