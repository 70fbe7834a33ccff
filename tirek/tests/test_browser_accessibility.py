"""axe-core finds no accessibility violation on Tirek's pages, in every language."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tirek.core.demo import demo_load
from tirek.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_BY_PERSONA = {
    None: ["/accounts/login/", "/accounts/password/reset/"],
    "demo-lawyer": [
        "/",
        "/accounts/me/",
        "/accounts/password/change/",
        "/accounts/second-factor/recovery-codes/",
        "/accounts/second-factor/enrol/",
        "/accounts/reauthenticate/",
        "/analysis/",
        "/cases/",
        "/cases/calendar/",
        "/cases/{case}/",
        "/cases/{child_case}/evidence/",
        "/cases/{child_case}/evidence/new/",
        "/cases/{child_case}/evidence/matrix/",
        "/cases/{child_case}/evidence/1/",
        "/assignment/offers/",
    ],
    "demo-coordinator-osh": ["/"],
    "demo-coordinator": [
        "/cases/",
        "/cases/{case}/",
        "/cases/overdue/",
        "/assignment/board/",
        "/assignment/requests/",
        "/assignment/orders/",
        "/assignment/requests/{request}/",
        "/nrm/duplicates/",
    ],
    "demo-caseworker": [
        "/people/",
        "/people/new/",
        "/people/{person}/",
        "/nrm/people/{person}/screening/",
        "/nrm/people/{person}/refer/",
        "/assignment/people/{person}/request/",
        "/nrm/referrals/",
    ],
    "demo-admin": [
        "/",
        "/accounts/users/",
        "/accounts/users/new/",
        "/accounts/organisations/",
        "/people/emergency-access/",
        "/accounts/organisations/new/",
    ],
}


def sign_in(page, base: str, username: str, password: str, check) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form:not(.language-switcher) button[type=submit]").click()
    page.wait_for_url("**/accounts/second-factor/**")
    check("/accounts/second-factor/")  # the second step itself, before the code
    pass_second_factor(page, username)
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_no_page_has_an_accessibility_violation(live_server, page, language):
    demo = demo_load()
    axe = Axe()
    found: list[str] = []
    checked = 0
    for persona, paths in PAGES_BY_PERSONA.items():
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )

        def check(path: str, persona: str | None = persona) -> None:
            nonlocal checked
            results = axe.run(page)
            checked += 1
            for violation in results.response["violations"]:
                found.append(f"{path} as {persona}: {violation['id']} ({violation['impact']})")

        if persona:
            sign_in(page, live_server.url, persona, demo.password, check)
        for path in paths:
            path = path.format(
                case=demo["case.adult_labour"].number,
                child_case=demo["case.child"].number,
                request=demo["request.waiting"].number,
                person=demo["person.waiting_request"].record_key,
            )
            page.goto(f"{live_server.url}{path}")
            check(path)
    print(f"\naccessibility ({language}): pages={checked} violations={len(found)}")
    assert not found, "\n".join(found)
