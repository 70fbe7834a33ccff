"""Browser-test fixtures: a Playwright page on Debian's Chromium."""

import os

import pytest

from tirek.tests.browser import CHROMIUM_ARGS, chromium_path


@pytest.fixture
def page(request):
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # in the same thread would otherwise refuse to run.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.console_errors = errors
        yield page
        context.close()
        browser.close()
