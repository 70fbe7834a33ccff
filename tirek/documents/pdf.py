"""PDF from HTML with WeasyPrint, in the fonts Tirek ships.

Two guarantees, whatever the server:

- **Kyrgyz letters render.** A fresh server may have no fonts at all, so the
  documents use DejaVu Sans from ``fonts/`` (with its licence), declared with
  ``@font-face`` under a family name of our own, ``FONT_FAMILY``: nothing
  installed on the machine can stand in for it. A template says
  ``font-family: "Tirek Sans"``.
- **Nothing is fetched.** The documents carry people's data; rendering one
  must never reach the network or read another file of the server. The URL
  fetcher answers our font files and refuses everything else (WeasyPrint
  then leaves that resource out and logs a warning).

Plain Python on WeasyPrint; no Django import.
"""

import logging
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

# Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which
# logs every glyph of every document at INFO: noise, and a trace of the text.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Tirek Sans"

# file name → (font-weight, font-style) of the one family we ship.
FONT_FILES = {
    "DejaVuSans.ttf": ("normal", "normal"),
    "DejaVuSans-Bold.ttf": ("bold", "normal"),
}


def font_url(name: str) -> str:
    return path2url(str(FONTS_DIR / name))


def font_face_css() -> str:
    """The ``@font-face`` rules of the shipped family."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{font_url(name)}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, (weight, style) in FONT_FILES.items()
    )


class FontsOnlyFetcher(URLFetcher):
    """Answers the shipped font files; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.allowed = {font_url(name): FONTS_DIR / name for name in FONT_FILES}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.allowed.get(url)
        if path is None:
            raise ValueError(f"documents fetch nothing but their fonts; refused {url!r}")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})


def pdf_from_html(html: str) -> bytes:
    """Render ``html`` (a complete page, styles inline) to PDF bytes."""
    fetcher = FontsOnlyFetcher()
    fonts = FontConfiguration()
    fonts_css = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[fonts_css], font_config=fonts)
