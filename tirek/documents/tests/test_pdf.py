"""PDF rendering: Kyrgyz letters in the fonts we ship, and nothing fetched."""

import io
import subprocess
import sys
import textwrap
from unittest import mock

import pypdf
import pytest
from fontTools.ttLib import TTFont

from tirek.documents.pdf import FONT_FILES, FONTS_DIR, FontsOnlyFetcher, font_url, pdf_from_html

KYRGYZ = "Өкмөт үчүн маңыздуу — ӨҮҢ өүң"
PAGE = f'<html lang="ky"><body style="font-family: \'Tirek Sans\'"><b>{KYRGYZ}</b><p>{KYRGYZ}</p></body></html>'


def text_and_fonts(data: bytes) -> tuple[str, set[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return text, fonts


def test_the_shipped_fonts_have_the_kyrgyz_letters_and_their_licence():
    for name in FONT_FILES:
        characters = TTFont(FONTS_DIR / name).getBestCmap()
        assert all(ord(letter) in characters for letter in "ӨөҮүҢң"), name
    licence = (FONTS_DIR / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


def test_it_renders_kyrgyz_text_in_the_shipped_font_embedded():
    text, fonts = text_and_fonts(pdf_from_html(PAGE))
    assert text.count(KYRGYZ) == 2
    assert fonts == {"Tirek-Sans", "Tirek-Sans-Bold"}


def test_it_renders_on_a_server_with_no_fonts_installed(tmp_path):
    # Fontconfig reads its configuration once per process: a child process
    # with an empty configuration sees no system font at all.
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>'
    )
    output = tmp_path / "out.pdf"
    script = textwrap.dedent(
        f"""
        import pathlib, warnings
        warnings.simplefilter("ignore")
        from tirek.documents.pdf import pdf_from_html
        pathlib.Path({str(output)!r}).write_bytes(pdf_from_html({PAGE!r}))
        """
    )
    subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        timeout=120,
        env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
        capture_output=True,
    )
    text, fonts = text_and_fonts(output.read_bytes())
    assert text.count(KYRGYZ) == 2
    assert fonts == {"Tirek-Sans", "Tirek-Sans-Bold"}


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/logo.png",
        "https://example.invalid/style.css",
        "file:///etc/passwd",
        f"file://{FONTS_DIR}/LICENSE.txt",
        "data:text/css,body{color:red}",
    ],
)
def test_the_fetcher_refuses_everything_but_our_fonts(url):
    with pytest.raises(ValueError, match="refused"):
        FontsOnlyFetcher().fetch(url)


def test_the_fetcher_answers_our_font_files():
    for name in FONT_FILES:
        response = FontsOnlyFetcher().fetch(font_url(name))
        assert response.read() == (FONTS_DIR / name).read_bytes()


def test_a_document_that_points_elsewhere_renders_without_reaching_out():
    page = (
        '<html><head><link rel="stylesheet" href="http://example.invalid/a.css"></head>'
        "<body style=\"font-family: 'Tirek Sans'\">Өмүр"
        '<img src="file:///etc/hostname"><img src="https://example.invalid/b.png"></body></html>'
    )
    with mock.patch("urllib.request.OpenerDirector.open", side_effect=AssertionError("fetched")):
        text, _fonts = text_and_fonts(pdf_from_html(page))
    assert "Өмүр" in text
