"""The whole path: a caseworker refers a person with consent, a coordinator
records victim status and assigns from the explained ranking, the lawyer
accepts and the case opens."""

import re

import pytest
from playwright.sync_api import expect

from tirek.assignment.models import LegalAidRequest
from tirek.core.demo import demo_load
from tirek.tests.browser import screenshot
from tirek.tests.test_browser_accessibility import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Gulzat Demo-Browserova"
SUBMIT = "main form:not(.language-switcher) button[type=submit]"


def _no_check(path: str) -> None:
    """Sign-in pages are checked by the accessibility test."""


def _as(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    sign_in(page, base, username, password, _no_check)


def _record_consent(page, base: str, key: str, purpose: str, recipient: str = "") -> None:
    page.goto(f"{base}/people/{key}/consents/new/")
    page.locator("#id_purpose").select_option(purpose)
    if recipient:
        page.locator("#id_recipient").select_option(label=recipient)
        page.locator("input[name=scope][value=situation]").check()
    page.locator("#id_explained_in").select_option("ky")
    page.locator(SUBMIT).click()
    expect(page.locator(".message.success")).to_be_visible()


def test_from_referral_to_an_open_case(live_server, page):
    demo = demo_load()
    base = live_server.url

    # 1. The caseworker registers the person, records consent, requests legal aid.
    _as(page, base, "demo-caseworker", demo.password)
    page.goto(f"{base}/people/new/")
    page.locator("#id_full_name").fill(NAME)
    page.locator("#id_birth_date").fill("1998-02-03")
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_contain_text(NAME)
    key = re.search(r"/people/([0-9a-f-]{36})/", page.url).group(1)
    _record_consent(page, base, key, "legal_representation")
    _record_consent(page, base, key, "sharing", recipient=str(demo["org.las"]))
    page.goto(f"{base}/people/{key}/")
    page.locator(f"a[href='/assignment/people/{key}/request/']").first.click()
    page.locator("#id_region").select_option("bishkek")
    page.locator("input[name=languages][value=ky]").check()
    page.locator("input[name=basis][value=victim_status]").check()
    page.locator("#id_summary").fill("Passport kept by the employer; wages unpaid.")
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_contain_text("RQ-")
    number = LegalAidRequest.objects.get(person__record_key=key).number
    screenshot(page, "path-1-request-sent")

    # 2. The coordinator records the status decision, sees the ranking, assigns.
    _as(page, base, "demo-coordinator", demo.password)
    page.goto(f"{base}/assignment/requests/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("main")).not_to_contain_text(NAME)
    page.locator("input[name=outcome][value=recognised]").check()
    page.locator("#id_authority").fill("Demo interdepartmental commission")
    page.locator("#id_decision_maker").fill("Demo Chair")
    page.locator("#id_document_number").fill("NRM-BROWSER-1")
    page.locator("#id_grounds").fill("Deception and retention of documents established.")
    page.locator(f"form[action$='{number}/status/'] button[type=submit]").click()
    ranking = page.locator("ol.ranking")
    expect(ranking).to_contain_text(demo["user.lawyer"].get_full_name())
    expect(ranking.locator("li.eligible").first.locator("ul li").first).to_be_visible()
    screenshot(page, "path-2-ranked-lawyers")
    page.locator(f"input[name=lawyer][value='{demo['user.lawyer'].pk}']").check()
    page.locator(f"form[action$='{number}/assign/'] button[type=submit]").click()
    expect(page.locator(".message.success")).to_contain_text(demo["user.lawyer"].get_full_name())

    # 3. The lawyer accepts; the case workspace opens with the client.
    _as(page, base, "demo-lawyer", demo.password)
    page.get_by_role("link", name=number).first.click()
    expect(page.locator("main")).not_to_contain_text(NAME)
    page.locator("input[name=answer][value=accept]").check()
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_contain_text("TK-")
    expect(page.locator("main")).to_contain_text(NAME)
    screenshot(page, "path-3-case-open")
    request = LegalAidRequest.objects.get(number=number)
    assert request.state == "assigned" and request.case.lawyer == demo["user.lawyer"]
    assert request.referral.state == "completed"
    assert page.console_errors == []
