import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

HOME = reverse("core:home")
SET_LANGUAGE = reverse("core:set-language")


def test_it_switches_the_interface_to_kyrgyz_and_remembers_it_on_the_account(lawyer, as_user):
    client = as_user(lawyer)
    response = client.post(SET_LANGUAGE, {"language": "ky", "next": HOME})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ky"
    page = client.get(HOME)
    assert page["Content-Language"] == "ky"
    assert '<html lang="ky">' in page.content.decode()
    lawyer.refresh_from_db()
    assert lawyer.preferred_language == "ky"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ky", "Менин иштерим"), ("ru", "Мои дела"), ("en", "My cases")],
)
def test_it_translates_the_home_page(language, heading, lawyer, as_user):
    client = as_user(lawyer)
    client.post(SET_LANGUAGE, {"language": language, "next": HOME})
    assert heading in client.get(HOME).content.decode()


def test_it_ignores_an_unknown_language(lawyer, as_user):
    client = as_user(lawyer)
    response = client.post(SET_LANGUAGE, {"language": "xx", "next": HOME})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    lawyer.refresh_from_db()
    assert lawyer.preferred_language == ""


def test_it_never_redirects_to_another_site(lawyer, as_user):
    response = as_user(lawyer).post(
        SET_LANGUAGE, {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_it_lets_an_anonymous_visitor_choose_the_language_of_the_sign_in_page(client):
    client.post(SET_LANGUAGE, {"language": "ru", "next": "/accounts/login/"})
    assert "Вход в Tirek" in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "1 декабря 2021"), ("ky", "2021"), ("en", "Dec. 1, 2021")],
)
def test_it_formats_dates_for_the_language(language, expected):
    with translation.override(language):
        assert expected in formats.date_format(datetime.date(2021, 12, 1))


def test_it_formats_numbers_for_the_language():
    with translation.override("ru"):
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) == (
            "1\xa0234\xa0567,5"
        )
