"""A lawyer signs in, switches to Kyrgyz and sees the home page translated."""

import pytest
from playwright.sync_api import expect

from tirek.accounts.demo import demo_totp_code
from tirek.core.demo import demo_load
from tirek.tests.browser import pass_second_factor, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lawyer_signs_in_and_reads_home_in_kyrgyz(live_server, page):
    demo = demo_load()
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.get_by_label("Username").fill("demo-lawyer")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/second-factor/?next=/")
    page.get_by_label("Code from your authenticator app").fill(demo_totp_code("demo-lawyer")[0])
    screenshot(page, "second-factor-en")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="My cases").is_visible()
    screenshot(page, "home-en")

    page.get_by_label("Language").select_option("ky")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ky"
    assert page.get_by_role("heading", name="Менин иштерим").is_visible()
    assert page.get_by_role("navigation", name="Негизги меню").is_visible()
    screenshot(page, "home-ky")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "home-ky-phone")
    assert page.console_errors == []


def test_an_administrator_finds_a_user_with_live_search(live_server, page):
    demo = demo_load()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("demo-admin")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, "demo-admin")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Users").first.click()
    page.get_by_label("Search by name, user name or e-mail").fill("gulnara")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "demo-lawyer-osh" in page.locator("#results").inner_text()
    screenshot(page, "users-search")
    assert page.console_errors == []
