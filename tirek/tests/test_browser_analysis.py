"""A lawyer ticks the facts of a case and reads the explained analysis in Russian."""

import pytest
from playwright.sync_api import expect

from tirek.core.demo import demo_load
from tirek.tests.browser import screenshot
from tirek.tests.test_browser_accessibility import sign_in


def _no_check(path: str) -> None:
    """Sign-in pages are checked by the accessibility test."""


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lawyer_analyses_the_facts_of_a_child_victim(live_server, page):
    demo = demo_load()
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    sign_in(page, live_server.url, "demo-lawyer", demo.password, _no_check)
    page.goto(f"{live_server.url}/analysis/")
    page.get_by_label("Дата совершения преступления").fill("2023-04-10")
    page.get_by_label("Возраст потерпевшего на момент совершения преступления").fill("15")
    page.get_by_label("вербовка", exact=True).check()
    page.get_by_label("принуждение к проституции", exact=False).check()
    page.locator("main form button[type=submit]").click()
    result = page.locator("#analysis")
    expect(result).to_contain_text("167")  # a child: trafficking in children
    expect(result).to_contain_text("166")
    screenshot(page, "analysis-ru")
    assert page.console_errors == []
