"""A lawyer works a case from assignment to search, in Kyrgyz and in Russian."""

import datetime

import pytest
from playwright.sync_api import expect

from tirek.cases import actions
from tirek.core.demo import demo_load
from tirek.tests.browser import screenshot
from tirek.tests.test_browser_accessibility import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECISION = "termination"  # the investigator ends the case: the victim's lawyer may complain


def _no_check(path: str) -> None:
    """Sign-in pages are checked by the accessibility test."""


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_lawyer_works_a_case_from_assignment_to_search(live_server, page, language):
    demo = demo_load()
    case = actions.case_open(  # the coordinator's assignment
        actor=demo["user.coordinator"],
        client=demo["person.adult_labour"],
        lawyer=demo["user.lawyer"],
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    sign_in(page, live_server.url, "demo-lawyer", demo.password, _no_check)

    page.get_by_role("link", name=case.number).first.click()
    expect(page.locator("h1")).to_contain_text(case.number)

    page.locator("#id_register_number").fill(f"ERPP-{language}-4242")
    page.locator("#id_charges").fill("166.2")
    page.locator("#criminal form button[type=submit]").click()
    expect(page.locator("#criminal")).to_contain_text(f"ERPP-{language}-4242")

    page.locator("#parties summary").click()
    page.locator("#id_role").select_option("accused")
    page.locator("#id_full_name").fill("Demo Recruiter")
    page.locator("#parties form button[type=submit]").click()
    expect(page.locator("#parties")).to_contain_text("Demo Recruiter")

    received = datetime.date.today() - datetime.timedelta(days=1)
    page.locator("#timeline summary").click()
    page.locator("#id_kind").select_option("decision")
    page.locator("#id_decision").select_option(DECISION)
    page.locator("#id_occurred_on").fill(str(received - datetime.timedelta(days=2)))
    page.locator("#id_received_on").fill(str(received))
    page.locator("#timeline form button[type=submit]").click()
    deadlines = page.locator("#deadlines")
    expect(deadlines.locator("time").first).to_be_visible()
    expect(page.locator("#next li").first).to_be_visible()
    screenshot(page, f"workspace-{language}")

    page.locator("#notes summary").click()
    page.locator("#id_note-title").fill("Meeting")
    page.locator("#id_note-body").fill("The recruiter kept her passport in Moscow.")
    page.locator("#notes form button[type=submit]").click()
    expect(page.locator("#notes")).to_contain_text("passport")

    page.goto(f"{live_server.url}/cases/")
    page.locator("#id_q").fill("passport")
    page.locator("main form.filters button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text(case.number)
    assert page.console_errors == []
