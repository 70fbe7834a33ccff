"""The list of evidence in a case, as DOCX and PDF, in Kyrgyz, Russian or English.

The lawyer attaches it to a motion to the investigator: what each item is,
where it came from, how and when it was obtained, who holds it, its
procedural status, whether it corroborates the victim independently of their
own account, and the SHA-256 of every file, so that what the investigator
receives (on paper, or as a bundle, tirek/evidence/bundle.py) can be checked
against what the lawyer listed.

Both formats are filled from one tested context builder (``list_content``),
so the DOCX and the PDF always say the same. The lawyer's admissibility notes
and element assessments are their work product and never appear here.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tirek.cases.models import LegalAidCase
from tirek.documents import docx as docx_doc
from tirek.evidence.files import ALLOWED_TYPES
from tirek.evidence.models import EvidenceFile, FileState
from tirek.evidence.signing import fingerprint, readable_fingerprint, signing_key

LIST_LANGUAGES = {
    "ky": gettext_lazy("Kyrgyz"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
}
LIST_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Hex digits of the SHA-256 in a file's name in a bundle: enough to tell files
# apart at a glance; the full hash is in the manifest and the list.
NAME_HASH_DIGITS = 12


# --- File names shared by the list and the bundle ------------------------------------


def file_extension(content_type: str) -> str:
    """From the type detected on upload, never from the name the uploader gave."""
    return ALLOWED_TYPES.get(content_type, "bin")


def file_name(item_number: int, position: int, evidence_file: EvidenceFile) -> str:
    """``<item>-<n>-<sha256 prefix>.<ext>``: the file's name in a bundle and on the list."""
    prefix = evidence_file.sha256[:NAME_HASH_DIGITS]
    return f"{item_number}-{position}-{prefix}.{file_extension(evidence_file.content_type)}"


def list_filename(case: LegalAidCase, language: str, file_format: str) -> str:
    return f"evidence-{case.number}-{language}.{file_format}"


# --- What the list says (one context for both formats) -------------------------------


@dataclass(frozen=True)
class ListedFile:
    item_number: int
    name: str
    content_type: str
    size: str
    sha256: str
    note: str  # empty, or why the stored file can no longer be relied on


@dataclass(frozen=True)
class ListedItem:
    number: int
    kind: str
    description: str
    source: str
    obtained: str
    holder: str
    status: str
    account: str
    files: tuple[ListedFile, ...]


@dataclass(frozen=True)
class EvidenceListContent:
    """The list's text, already in its language; both renderers read this."""

    language: str
    case_number: str
    title: str
    facts: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    items: tuple[ListedItem, ...]
    no_items: str
    summary: str
    files_heading: str
    file_columns: tuple[str, ...]
    files: tuple[ListedFile, ...]
    no_files: str
    hash_note: str
    key_note: str
    signature_label: str
    lawyer: str
    sign_here: str


def list_content(case: LegalAidCase, language: str) -> EvidenceListContent:
    """Everything the list says about ``case``, translated into ``language``.

    Two queries whatever the number of items: the items, then their files.
    """
    if language not in LIST_LANGUAGES:
        raise ValueError(f"lists are written in {sorted(LIST_LANGUAGES)}, not {language!r}")
    items = list(case.evidence.order_by("number").prefetch_related("files"))
    with translation.override(language):
        listed = tuple(_listed_item(item) for item in items)
        independent = sum(1 for item in items if item.independent)
        return EvidenceListContent(
            language=language,
            case_number=case.number,
            title=_("List of evidence in case %(number)s") % {"number": case.number},
            facts=(
                (_("Legal aid case number"), case.number),
                (_("Criminal case number"), _criminal_case_number(case)),
                (_("Lawyer"), _lawyer(case.lawyer)),
                (_("Date"), _date(timezone.localdate())),
            ),
            columns=(
                _("No."),
                _("Kind"),
                _("Description"),
                _("Source"),
                _("How and when obtained"),
                _("Who holds it"),
                _("Status, date and procedural act"),
                _("Independent or the victim's own account"),
            ),
            items=listed,
            no_items=_("No evidence has been recorded in this case."),
            summary=ngettext(
                "%(count)s item, of which %(independent)s corroborates the victim's account "
                "independently of it.",
                "%(count)s items, of which %(independent)s corroborate the victim's account "
                "independently of it.",
                len(items),
            )
            % {"count": len(items), "independent": independent},
            files_heading=_("Files and their SHA-256 hashes"),
            file_columns=(_("Item"), _("File"), _("Type"), _("Size"), _("SHA-256")),
            files=tuple(listed_file for item in listed for listed_file in item.files),
            no_files=_("No files are attached to the evidence."),
            hash_note=_(
                "Each SHA-256 hash was taken from the original file when it was received. "
                "A copy whose hash is the same is the same file, to the last byte."
            ),
            key_note=_(
                "Electronic copies are handed over as a Tirek evidence bundle, signed with the "
                "key whose SHA-256 fingerprint is %(fingerprint)s. A bundle whose key has "
                "another fingerprint was not made by the lawyer named here."
            )
            % {"fingerprint": readable_fingerprint(fingerprint(signing_key().public_key()))},
            signature_label=_("Lawyer"),
            lawyer=_lawyer(case.lawyer),
            sign_here=_("Signature"),
        )


def _listed_item(item) -> ListedItem:
    return ListedItem(
        number=item.number,
        kind=item.get_kind_display(),
        description=item.description,
        source=item.source or "—",
        obtained=_obtained(item),
        holder=item.holder or "—",
        status=_status(item),
        account=_("The victim's own account") if item.from_victim else _("Independent"),
        files=tuple(
            _listed_file(item.number, position, evidence_file)
            for position, evidence_file in enumerate(item.files.all(), start=1)
        ),
    )


def _listed_file(item_number: int, position: int, evidence_file: EvidenceFile) -> ListedFile:
    quarantined = evidence_file.state == FileState.QUARANTINED
    return ListedFile(
        item_number=item_number,
        name=file_name(item_number, position, evidence_file),
        content_type=evidence_file.content_type,
        size=_size(evidence_file.size),
        sha256=evidence_file.sha256,
        note=_("Quarantined: the stored file no longer matches its hash") if quarantined else "",
    )


def _obtained(item) -> str:
    lines = [item.obtained_how] if item.obtained_how else []
    if item.obtained_on:
        lines.append(_date(item.obtained_on))
    return "\n".join(lines) or "—"


def _status(item) -> str:
    lines = [item.get_status_display()]
    if item.status_on:
        lines.append(_("since %(date)s") % {"date": _date(item.status_on)})
    if item.procedural_act:
        lines.append(item.procedural_act)
    return "\n".join(lines)


def _size(size: int) -> str:
    return ngettext("%(count)s byte", "%(count)s bytes", size) % {
        "count": formats.number_format(size, force_grouping=True)
    }


def _criminal_case_number(case: LegalAidCase) -> str:
    if case.criminal_case_id and case.criminal_case.register_number:
        return case.criminal_case.register_number
    return _("not known")


def _lawyer(user) -> str:
    name = user.get_full_name() or user.username
    try:
        licence = user.register_entry.licence_number
    except ObjectDoesNotExist:
        return name
    return _("%(name)s, licence No. %(licence)s") % {"name": name, "licence": licence}


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- Rendering ------------------------------------------------------------------------


def render_list_docx(case: LegalAidCase, language: str) -> bytes:
    content = list_content(case, language)
    document = docx_doc.docx_document(language=language, title=content.title)
    _landscape(document)
    docx_doc.add_paragraph(document, content.title, bold=True, size=14, centred=True)
    docx_doc.add_facts(document, content.facts)
    if content.items:
        _add_table(
            document,
            content.columns,
            [
                (
                    str(item.number),
                    item.kind,
                    item.description,
                    item.source,
                    item.obtained,
                    item.holder,
                    item.status,
                    item.account,
                )
                for item in content.items
            ],
            widths=(1.0, 2.6, 5.4, 3.2, 3.4, 2.8, 3.6, 2.6),
        )
        docx_doc.add_paragraph(document, content.summary, space_after=12)
    else:
        docx_doc.add_paragraph(document, content.no_items, space_after=12)
    docx_doc.add_paragraph(document, content.files_heading, bold=True)
    if content.files:
        _add_table(
            document,
            content.file_columns,
            [
                (
                    str(listed.item_number),
                    listed.name,
                    listed.content_type,
                    listed.size,
                    "\n".join(filter(None, (listed.sha256, listed.note))),
                )
                for listed in content.files
            ],
            widths=(1.2, 5.0, 3.6, 3.2, 11.6),
            small=True,
        )
        docx_doc.add_paragraph(document, content.hash_note, space_after=12)
    else:
        docx_doc.add_paragraph(document, content.no_files, space_after=12)
    docx_doc.add_paragraph(document, content.key_note, size=9, space_after=12)
    docx_doc.add_signature(
        document,
        label=content.signature_label,
        name=content.lawyer,
        line_label=content.sign_here,
    )
    return docx_doc.docx_bytes(document)


def render_list_pdf(case: LegalAidCase, language: str) -> bytes:
    content = list_content(case, language)
    with translation.override(language):
        html = render_to_string("evidence/list_pdf.html", {"list": content})
    # Imported here: WeasyPrint takes a second to load, and every command
    # (which loads the URLs for its checks) would pay it.
    from tirek.documents.pdf import pdf_from_html

    return pdf_from_html(html)


def _landscape(document) -> None:
    # Eight columns do not fit a portrait page; motions take landscape annexes.
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = section.top_margin, section.bottom_margin


def _add_table(document, headings, rows, *, widths, small: bool = False) -> None:
    size = Pt(9 if small else 10)
    table = document.add_table(rows=1, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(width) for width in widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    _repeat_as_header(table.rows[0])
    for cell, heading, width in zip(table.rows[0].cells, headings, widths, strict=True):
        cell.width = width  # the cells, which Word follows
        run = cell.paragraphs[0].add_run(heading)
        run.bold, run.font.size = True, size
    for values in rows:
        for cell, value, width in zip(table.add_row().cells, values, widths, strict=True):
            cell.width = width
            lines = value.split("\n")
            cell.paragraphs[0].add_run(lines[0]).font.size = size
            for line in lines[1:]:
                cell.add_paragraph().add_run(line).font.size = size
    docx_doc.add_paragraph(document, space_after=2)


def _repeat_as_header(row) -> None:
    """Word and LibreOffice repeat this row at the top of every page the table runs on."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
