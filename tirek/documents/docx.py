"""DOCX documents built in code with python-docx.

Building in code keeps binary templates out of git (a change to a document
is a readable diff) and needs no template engine inside Word's XML. An app
builds its content (already translated) and writes it with these helpers.

**Font.** A DOCX does not carry its fonts: the reader's Word draws it with
what is installed. Times New Roman is on every Windows and macOS machine, has
the Kyrgyz letters (U+04E8/9, U+04AE/F, U+04A2/3: O-bar, straight U, En with
descender) and is the face Kyrgyz official documents are customarily set in.
LibreOffice on Linux substitutes Liberation Serif; its old 1.x version (still
Debian 12's fonts-liberation) lacks those letters, and LibreOffice then draws
them from another installed font (DejaVu), so they show either way. Word's
default template names *theme* fonts (Calibri, Cambria) on its styles and
document defaults; those are replaced with our font everywhere, so no style
falls back to a face without the letters.

Plain Python on python-docx; no Django import.
"""

import io
from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

DOCX_FONT = "Times New Roman"
FONT_SIZE = Pt(12)
# BCP 47 tags for Word's proofing language.
LANGUAGE_TAGS = {"ky": "ky-KG", "ru": "ru-RU", "en": "en-GB"}
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")


def docx_document(*, language: str, title: str, font: str = DOCX_FONT) -> Document:
    """A blank A4 document in ``language``, every style set in ``font``."""
    document = new_document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    tag = LANGUAGE_TAGS.get(language, language)
    _set_defaults(document, font=font, language=tag)
    # Every font named anywhere in the styles (table styles' conditional parts too).
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        _name_font(fonts, font)
    normal = document.styles["Normal"]
    normal.font.size = FONT_SIZE
    normal.paragraph_format.space_after = Pt(4)
    properties = document.core_properties
    properties.title = title
    properties.language = tag
    properties.author = properties.last_modified_by = "Tirek"
    properties.comments = properties.subject = properties.keywords = ""
    return document


def add_paragraph(
    document: Document,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    centred: bool = False,
    right: bool = False,
    space_after: float | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def add_facts(document: Document, rows: Sequence[tuple[str, str]]) -> None:
    """A two-column table: the label (bold) and its value, one row each."""
    widths = (Cm(6), Cm(10.5))
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for label, value in rows:
        label_cell, value_cell = table.add_row().cells
        label_cell.width, value_cell.width = widths  # the cells, which Word follows
        label_cell.paragraphs[0].add_run(label).bold = True
        lines = value.split("\n")
        value_cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            value_cell.add_paragraph(line)
    add_paragraph(document, space_after=2)


def add_signature(document: Document, *, label: str, name: str, line_label: str) -> None:
    """``label: name``, then a line to sign on."""
    paragraph = add_paragraph(document, space_after=18)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(name)
    add_paragraph(document, f"{line_label}: ______________________________")


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_defaults(document: Document, *, font: str, language: str) -> None:
    """The document defaults (docDefaults/rPrDefault): font and proofing language."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = _child(defaults, "w:rPrDefault")
    rpr = _child(rpr_default, "w:rPr")
    _set_fonts(rpr, font)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), language)


def _set_fonts(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _name_font(fonts, font)


def _name_font(fonts, font: str) -> None:
    for slot in _THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), font)


def _child(parent, tag: str):
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child
