"""Idle expiry and re-authentication before sensitive actions."""

import pytest
from django.urls import reverse

from tirek.accounts import second_factor
from tirek.accounts.demo import demo_totp_code
from tirek.conftest import client_for

HOME = reverse("core:home")
PROFILE = reverse("accounts:profile")
RECOVERY_CODES = reverse("accounts:recovery-codes")
REAUTHENTICATE = reverse("accounts:reauthenticate")

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(1_800_000_015, tick=False)
    return time_machine


def test_it_signs_out_after_15_idle_minutes_and_says_why(lawyer, frozen, settings):
    assert settings.TIREK_IDLE_MINUTES == 15
    client = client_for(lawyer)
    assert client.get(HOME).status_code == 200
    frozen.shift(14 * 60 + 50)
    assert client.get(HOME).status_code == 200  # activity restarts the clock
    frozen.shift(14 * 60 + 50)
    assert client.get(HOME).status_code == 200
    frozen.shift(15 * 60 + 1)
    response = client.get(HOME)
    assert response["Location"] == f"{reverse('accounts:login')}?next={HOME}"
    page = client.get(response["Location"]).content.decode()
    assert "signed out because nothing happened for 15 minutes" in page
    assert client.get(HOME).status_code == 302  # the old session is gone for good
    print("\nsessions: measured_idle_timeout=15m stale_cookie_accepted=0")


def test_it_takes_the_idle_limit_from_the_setting(lawyer, frozen, settings):
    settings.TIREK_IDLE_MINUTES = 2
    client = client_for(lawyer)
    client.get(HOME)
    frozen.shift(2 * 60 + 1)
    assert client.get(HOME).status_code == 302


def test_it_asks_for_password_and_code_again_before_new_recovery_codes(lawyer, demo, frozen):
    client = client_for(lawyer)
    assert client.get(RECOVERY_CODES).status_code == 200  # just signed in: recent
    frozen.shift(5 * 60 + 1)
    response = client.get(RECOVERY_CODES)
    assert response["Location"] == f"{REAUTHENTICATE}?next={RECOVERY_CODES}"
    assert client.post(RECOVERY_CODES)["Location"].startswith(REAUTHENTICATE)
    assert second_factor.recovery_codes_left(lawyer) == 0

    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="current-password"' in page
    wrong = client.post(response["Location"], {"password": "not the password", "code": "123456"})
    assert "The password is not right." in wrong.content.decode()
    before = client.cookies["sessionid"].value
    back = client.post(
        response["Location"],
        {"password": demo.password, "code": demo_totp_code("demo-lawyer")[0]},
    )
    assert back["Location"] == RECOVERY_CODES
    assert client.cookies["sessionid"].value != before
    made = client.post(RECOVERY_CODES)
    assert len(made.context["codes"]) == 10
    assert second_factor.recovery_codes_left(lawyer) == 10
    print("\nstep-up: sensitive_actions=1 executed_without_stepup=0")


def test_it_replaces_old_recovery_codes(lawyer, frozen):
    client = client_for(lawyer)
    first = client.post(RECOVERY_CODES).context["codes"]
    client.post(RECOVERY_CODES)
    device = second_factor.recovery_code_use(user=lawyer, code=first[0])
    assert device is None


def test_it_goes_back_only_to_a_page_of_this_site(lawyer, demo, frozen):
    client = client_for(lawyer)
    frozen.shift(10 * 60)
    client.get(HOME)  # not idle
    response = client.post(
        f"{REAUTHENTICATE}?next=https://evil.example/",
        {"password": demo.password, "code": demo_totp_code("demo-lawyer")[0]},
    )
    assert response["Location"] == PROFILE


def test_it_needs_a_recent_sign_in_to_move_to_a_new_authenticator(lawyer, demo, frozen):
    enrol = reverse("accounts:second-factor-enrol")
    client = client_for(lawyer)
    assert client.get(enrol).status_code == 200
    frozen.shift(6 * 60)
    assert client.get(enrol)["Location"].startswith(REAUTHENTICATE)
