"""A lawyer adds evidence with a file, links it to an element, sees the gap
close in the matrix, and exports a bundle that verifies offline."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tirek.core.demo import demo_load
from tirek.tests.browser import ARTIFACTS, screenshot
from tirek.tests.test_browser_accessibility import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _no_check(path: str) -> None:
    """Sign-in pages are checked by the accessibility test."""


def test_evidence_closes_a_gap_and_leaves_in_a_verified_bundle(live_server, page, tmp_path):
    demo = demo_load()
    case = demo["case.adult_labour"]
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    sign_in(page, base, "demo-lawyer", demo.password, _no_check)

    matrix = f"{base}/cases/{case.number}/evidence/matrix/"
    page.goto(matrix)
    act = page.locator("tr.matrix-row[data-element='act']").first
    expect(act).to_have_class(re.compile(r"mark-gap"))

    page.goto(f"{base}/cases/{case.number}/evidence/new/")
    page.locator("#id_kind").select_option("financial")
    page.locator("#id_description").fill("Bank transfers from the recruiter for the tickets")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("1")

    scan = tmp_path / "transfers.pdf"
    scan.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(scan))
    page.locator("form[action$='/files/'] button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=files]")).to_contain_text("SHA-256")

    page.locator("#id_element").select_option("act")
    page.locator("#id_strength").select_option("strong")
    page.locator("form[action$='/links/']:has(#id_element) button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=elements]")).to_contain_text("act")

    page.goto(matrix)
    expect(page.locator("tr.matrix-row[data-element='act']").first).to_have_class(
        re.compile(r"mark-supported")
    )
    screenshot(page, "evidence-matrix")

    page.goto(f"{base}/cases/{case.number}/evidence/")
    with page.expect_download() as download:
        page.locator(f"a[href='/cases/{case.number}/evidence/bundle.zip']").click()
    bundle = ARTIFACTS / "evidence-bundle.zip"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(bundle)
    checked = subprocess.run(
        [sys.executable, "-m", "tirek", "evidence", "verify", str(bundle), "--embedded-key"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert page.console_errors == []
