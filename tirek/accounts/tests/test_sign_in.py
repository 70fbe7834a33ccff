import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from tirek.accounts.demo import demo_totp_code
from tirek.accounts.models import User

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
HOME = reverse("core:home")


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_it_signs_in_with_the_demo_password_and_code_and_lands_on_home(client, lawyer, demo):
    response = sign_in(client, "demo-lawyer", demo.password)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:second-factor')}?next={HOME}"
    response = client.post(response["Location"], {"code": demo_totp_code("demo-lawyer")[0]})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).context["user"] == lawyer


def test_it_switches_to_the_users_language_on_sign_in(client, demo):
    response = sign_in(client, "demo-lawyer-osh", demo.password)  # prefers Russian
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_it_explains_a_wrong_password_in_the_users_language(client, lawyer):
    response = client.post(
        LOGIN, {"username": "demo-lawyer", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_it_pauses_sign_in_after_repeated_failures_with_a_clear_message(client, lawyer, demo):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "demo-lawyer", "wrong password")
    response = sign_in(client, "demo-lawyer", demo.password)
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_it_does_not_lock_the_same_user_out_from_another_address(client, lawyer, demo):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "demo-lawyer", "wrong password", address="10.0.0.1")
    response = sign_in(client, "demo-lawyer", demo.password, address="10.0.0.2")
    assert response.status_code == 302


def test_it_stores_passwords_as_argon2id(lawyer):
    lawyer.refresh_from_db()
    assert identify_hasher(lawyer.password).algorithm == "argon2"
    assert lawyer.password.startswith("argon2$argon2id$")


def test_it_uses_argon2_first_in_the_real_settings():
    from tirek import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_signs_out_only_by_post(client, lawyer, as_user):
    client = as_user(lawyer)
    assert client.get(LOGOUT).status_code == 405
    assert client.post(LOGOUT).status_code == 302
    assert client.get(HOME).status_code == 302


def test_it_refuses_a_deactivated_account_at_once(lawyer, as_user):
    client = as_user(lawyer)
    User.objects.filter(pk=lawyer.pk).update(is_active=False)
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_it_resets_a_password_through_an_emailed_link(client, lawyer):
    response = client.post(reverse("accounts:password-reset"), {"email": lawyer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "a long new passphrase for tirek"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.check_password(new_password)


@pytest.mark.django_db
def test_it_answers_the_same_for_an_unknown_address(client, lawyer):
    known = client.post(reverse("accounts:password-reset"), {"email": lawyer.email})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_it_refuses_a_short_new_password_with_a_reason(lawyer, as_user, demo):
    response = as_user(lawyer).post(
        reverse("accounts:password-change"),
        {"old_password": demo.password, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "at least 15 characters" in response.content.decode()


def test_it_changes_the_password_and_keeps_the_user_signed_in(lawyer, as_user, demo):
    client = as_user(lawyer)
    new = "another long passphrase here"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": demo.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    lawyer.refresh_from_db()
    assert lawyer.check_password(new)


def test_it_lets_a_user_update_their_own_profile(lawyer, as_user):
    response = as_user(lawyer).post(
        reverse("accounts:profile"),
        {"first_name": "Nurlan", "last_name": "Demo-Updated", "preferred_language": "ru"},
    )
    assert response.status_code == 302
    lawyer.refresh_from_db()
    assert (lawyer.last_name, lawyer.preferred_language) == ("Demo-Updated", "ru")


def test_it_rejects_an_unknown_language_on_the_profile(lawyer, as_user):
    response = as_user(lawyer).post(
        reverse("accounts:profile"), {"first_name": "", "last_name": "", "preferred_language": "xx"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
