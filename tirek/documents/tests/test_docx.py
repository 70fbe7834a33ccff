"""DOCX helpers: a document in a font with the Kyrgyz letters, that Word can open."""

import io

import docx
from docx.oxml.ns import qn

from tirek.documents.docx import (
    DOCX_FONT,
    add_facts,
    add_paragraph,
    add_signature,
    docx_bytes,
    docx_document,
)


def build() -> bytes:
    document = docx_document(language="ky", title="Буйрук")
    add_paragraph(document, "Мамлекет кепилдеген юридикалык жардам", bold=True, centred=True)
    add_facts(document, [("Аты-жөнү", "Өмүрбек Үсөнов"), ("Негиз", "биринчи\nэкинчи")])
    add_signature(document, label="Берген", name="Бакыт", line_label="Колу")
    return docx_bytes(document)


def test_it_writes_a_document_python_docx_reads_back():
    document = docx.Document(io.BytesIO(build()))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Мамлекет кепилдеген юридикалык жардам" in paragraphs
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert cells == [["Аты-жөнү", "Өмүрбек Үсөнов"], ["Негиз", "биринчи\nэкинчи"]]
    assert any(p.startswith("Колу: ____") for p in paragraphs)
    assert document.core_properties.title == "Буйрук"
    assert document.core_properties.author == "Tirek"


def test_every_style_and_the_defaults_name_our_font_not_a_theme_font():
    document = docx.Document(io.BytesIO(build()))
    styles = document.styles.element
    all_fonts = styles.iter(qn("w:rFonts"))
    for fonts in all_fonts:
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:hAnsiTheme")) is None
        assert fonts.get(qn("w:hAnsi")) == DOCX_FONT
    lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "ky-KG"


def test_the_page_is_a4():
    section = docx.Document(io.BytesIO(build())).sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
