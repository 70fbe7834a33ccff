"""The second factor: enrolment, codes, replay, throttling, recovery codes, API tokens."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from tirek.accounts import second_factor
from tirek.accounts.demo import demo_totp_code, demo_totp_secret
from tirek.accounts.models import RecoveryCode, TotpDevice
from tirek.conftest import client_for

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:second-factor")
ENROL = reverse("accounts:second-factor-enrol")
HOME = reverse("core:home")
PROFILE = reverse("accounts:profile")

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    """Time stands still (mid-step) unless a test moves it."""
    time_machine.move_to(1_800_000_015, tick=False)
    return time_machine


def sign_in_with_password(client, username, password):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return response


def code_for(device: TotpDevice) -> str:
    return f"{device.totp().token():06d}"


def test_it_asks_for_the_code_after_the_password_then_lets_the_user_in(client, lawyer, demo):
    response = sign_in_with_password(client, "demo-lawyer", demo.password)
    assert response["Location"] == f"{VERIFY}?next={HOME}"
    assert client.get(HOME)["Location"] == f"{VERIFY}?next={HOME}"
    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    response = client.post(f"{VERIFY}?next={HOME}", {"code": demo_totp_code("demo-lawyer")[0]})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_it_sends_a_user_without_an_authenticator_to_enrol_and_shows_the_codes_once(
    client, outsider, demo
):
    sign_in_with_password(client, "outsider", demo.password)
    assert client.get(f"{VERIFY}?next={HOME}")["Location"] == f"{ENROL}?next={HOME}"
    page = client.get(ENROL).content.decode()
    device = TotpDevice.objects.get(user=outsider, confirmed=False)
    assert "otpauth://totp/Tirek%3Aoutsider?secret=" + device.secret in page
    svg = re.search(r"<svg.*?</svg>", page, re.S)[0]
    assert "<path" in svg
    assert "style=" not in svg and "<script" not in page.split("<main")[1]
    assert client.get(ENROL).content.decode().count(device.secret) >= 1  # same key on reload

    wrong = client.post(ENROL, {"code": "000000"})
    assert "This code is not right" in wrong.content.decode()
    frozen_out = client.get(PROFILE)
    assert frozen_out["Location"].startswith(VERIFY)

    device.refresh_from_db()
    device.throttle_reset(commit=False)
    device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
    shown = client.post(f"{ENROL}?next={HOME}", {"code": code_for(device)})
    assert shown.status_code == 200
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", c) for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(PROFILE).status_code == 200


def test_it_refuses_a_wrong_code(client, lawyer, demo):
    sign_in_with_password(client, "demo-lawyer", demo.password)
    right = demo_totp_code("demo-lawyer")[0]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_it_refuses_a_code_that_was_already_used(lawyer, demo, frozen):
    code = demo_totp_code("demo-lawyer")[0]
    first, second = client_for(None), client_for(None)
    sign_in_with_password(first, "demo-lawyer", demo.password)
    assert first.post(VERIFY, {"code": code})["Location"] == HOME
    sign_in_with_password(second, "demo-lawyer", demo.password)
    frozen.shift(2)  # the throttle is not what refuses it
    replayed = second.post(VERIFY, {"code": code})
    assert "used already" in replayed.content.decode()
    earlier = demo_totp_code("demo-lawyer", at=1_800_000_015 - 30)[0]
    frozen.shift(4)
    assert "used already" in second.post(VERIFY, {"code": earlier}).content.decode()
    print("\nsecond factor: totp_replay_accepted=0")


def test_it_accepts_a_code_one_step_early_or_late(lawyer, demo, frozen):
    client = client_for(None)
    sign_in_with_password(client, "demo-lawyer", demo.password)
    late = demo_totp_code("demo-lawyer", at=1_800_000_015 - 30)[0]
    assert client.post(VERIFY, {"code": late})["Location"] == HOME


def test_it_throttles_guessing_codes_with_a_clear_message(lawyer, demo, frozen):
    client = client_for(None)
    sign_in_with_password(client, "demo-lawyer", demo.password)
    right = demo_totp_code("demo-lawyer")[0]
    guesses = [f"{n:06d}" for n in range(100) if f"{n:06d}" != right][:50]
    checked = 0
    for guess in guesses:
        response = client.post(VERIFY, {"code": guess})
        if "Too many wrong codes" not in response.content.decode():
            checked += 1
    device = TotpDevice.objects.get(user=lawyer)
    assert checked == 1
    assert device.throttling_failure_count == 1
    throttled = client.post(VERIFY, {"code": right})
    assert "Too many wrong codes. Wait 1 second and try again." in throttled.content.decode()
    # After n failures the next attempt waits 1, 2, 4 … seconds.
    frozen.shift(1)
    client.post(VERIFY, {"code": guesses[1]})
    frozen.shift(2)
    client.post(VERIFY, {"code": guesses[2]})
    assert "Wait 4 seconds" in client.post(VERIFY, {"code": right}).content.decode()
    frozen.shift(4)
    assert client.post(VERIFY, {"code": right})["Location"] == HOME
    print(
        f"\nsecond factor: guesses={len(guesses) + 2} checked={checked + 2} "
        "bruteforce_guesses_before_throttle=1"
    )


def test_it_lets_a_recovery_code_in_once(outsider, demo, frozen):
    device = second_factor.totp_enrolment_start(user=outsider)
    codes = second_factor.totp_enrolment_confirm(device=device, code=code_for(device))
    recovery = f"{VERIFY}?use=recovery&next={HOME}"

    first = client_for(None)
    sign_in_with_password(first, "outsider", demo.password)
    page = first.get(recovery).content.decode()
    assert 'autocomplete="off"' in page and "inputmode" not in page.split("<main")[1]
    response = first.post(recovery, {"code": codes[3].lower().replace("-", " ")})
    assert response["Location"] == HOME
    assert first.get(HOME).status_code == 200
    assert second_factor.recovery_codes_left(outsider) == 9

    second = client_for(None)
    sign_in_with_password(second, "outsider", demo.password)
    frozen.shift(60)
    reused = second.post(recovery, {"code": codes[3]})
    assert "not right, or it has been used already" in reused.content.decode()
    assert second.get(HOME)["Location"].startswith(VERIFY)
    print("\nsecond factor: recovery_reuse_accepted=0")


def test_it_stores_neither_recovery_codes_nor_the_key_in_plaintext(outsider, demo, frozen):
    client = client_for(outsider, verified=False)
    client.get(ENROL)
    device = TotpDevice.objects.get(user=outsider)
    codes = client.post(ENROL, {"code": code_for(device)}).context["codes"]
    plain = {c.replace("-", "") for c in codes} | set(codes)
    with connection.cursor() as cursor:
        rows = []
        for table in ("accounts_recoverycode", "accounts_totpdevice"):
            cursor.execute(f"SELECT * FROM {table}")
            rows += [str(value) for row in cursor.fetchall() for value in row]
    rows += [str(session.get_decoded()) for session in Session.objects.all()]
    found = [code for code in plain if any(code in value for value in rows)]
    found += [device.secret] if any(device.secret in value for value in rows) else []
    assert RecoveryCode.objects.filter(user=outsider).count() == 10
    assert all(
        h.startswith("argon2$") for h in RecoveryCode.objects.values_list("code_hash", flat=True)
    )
    print(f"\nsecond factor: plaintext_recovery_codes_in_db={len(found)}")
    assert found == []


def test_it_cycles_the_session_key_at_sign_in_and_after_the_code(client, lawyer, demo):
    client.get(LOGIN)
    client.cookies["sessionid"] = "planted"
    sign_in_with_password(client, "demo-lawyer", demo.password)
    after_password = client.cookies["sessionid"].value
    assert after_password != "planted"
    client.post(VERIFY, {"code": demo_totp_code("demo-lawyer")[0]})
    assert client.cookies["sessionid"].value != after_password
    print("\nsessions: session_fixation=0")


def test_it_never_lets_a_stolen_password_replace_the_authenticator(client, lawyer, demo):
    sign_in_with_password(client, "demo-lawyer", demo.password)
    response = client.get(ENROL)
    assert response["Location"].startswith(VERIFY)
    assert not TotpDevice.objects.filter(user=lawyer, confirmed=False).exists()


# --- API -------------------------------------------------------------------------


def token_request(client, otp=None, username="demo-lawyer", password="tirek-demo-password"):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_it_issues_an_api_token_only_with_a_valid_unused_code(lawyer, demo, frozen):
    client = client_for(None)
    assert token_request(client).status_code == 400
    assert token_request(client, otp="000000").status_code in (401, 429)
    frozen.shift(60)
    code = demo_totp_code("demo-lawyer")[0]
    response = token_request(client, otp=code)
    assert response.status_code == 200
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {response.json()['token']}").status_code
        == 200
    )
    replayed = token_request(client, otp=code)
    assert replayed.status_code == 401
    assert "used already" in replayed.json()["error"]["message"]


def test_it_tells_the_api_caller_when_codes_are_throttled(lawyer, demo, frozen):
    client = client_for(None)
    token_request(client, otp="000000")
    response = token_request(client, otp=demo_totp_code("demo-lawyer")[0])
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1


def test_it_refuses_the_api_to_a_session_without_the_second_factor(lawyer):
    response = client_for(lawyer, verified=False).get("/api/v1/me")
    assert response.status_code == 401
    assert "authenticator" in response.json()["error"]["message"]
    assert client_for(lawyer).get("/api/v1/me").status_code == 200


def test_the_demo_key_is_fixed_and_plainly_a_demo(lawyer):
    assert demo_totp_secret("demo-lawyer") == "TIREKDEMOLAWYERXXXXXXXXXXXXXXXXX"
    device = TotpDevice.objects.get(user=lawyer)
    assert device.secret == demo_totp_secret("demo-lawyer")
    assert code_for(device) == demo_totp_code("demo-lawyer")[0]
