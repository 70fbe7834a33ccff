"""The analysis page: tick facts, read the explained answer."""

import json

import pytest

from tirek.analysis.tests.test_command_line import GOOD, tirek

URL = "/analysis/"


def form_data(facts):
    data = {key: value for key, value in facts.items() if value not in (None, [])}
    consent = facts.get("victim_consented")
    data["victim_consented"] = "" if consent is None else ("yes" if consent else "no")
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lawyer", "coordinator", "caseworker", "trainer"])
def test_it_shows_the_form_and_a_menu_link(persona, request, as_user):
    response = as_user(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert b'href="/analysis/"' in response.content
    assert b'name="acts" value="recruitment"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_it_is_not_there_for_analysts_or_administrators(persona, request, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert b'href="/analysis/"' not in client.get("/").content


@pytest.mark.django_db
def test_it_shows_the_result_with_the_verification_status(lawyer, as_user):
    response = as_user(lawyer).post(URL, form_data(GOOD))
    assert response.status_code == 200
    result = response.context["result"]
    assert result["trafficking"] is True
    assert b"status-verified" in response.content
    assert result["law"]["reference"].encode() in response.content


@pytest.mark.django_db
def test_it_marks_a_secondary_provision_visibly(lawyer, as_user):
    facts = {**GOOD, "offence_date": "2020-05-01", "means": ["deception"]}
    response = as_user(lawyer).post(URL, form_data(facts))
    assert b"status-secondary" in response.content


@pytest.mark.django_db
def test_it_shows_clear_errors(lawyer, as_user):
    response = as_user(lawyer).post(
        URL,
        {
            "offence_date": "2020-01-01",
            "victim_birth_date": "2021-01-01",
            "victim_age": "-3",
            "acts": ["kidnap"],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"victim_birth_date", "victim_age", "acts"}
    assert response.context["result"] is None
    assert b"errorlist" in response.content


@pytest.mark.django_db
def test_it_speaks_the_user_s_language(lawyer, as_user):
    response = as_user(lawyer, language="ky").post(URL, form_data(GOOD))
    assert response.context["result"]["language"] == "ky"
    assert "азгырып жалдоо".encode() in response.content


@pytest.mark.django_db
def test_it_loads_its_style_from_a_file_not_inline(lawyer, as_user):
    content = as_user(lawyer).post(URL, form_data(GOOD)).content
    assert b"analysis/analysis.css" in content
    assert b"<style" not in content and b' style="' not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "facts",
    [
        GOOD,
        {**GOOD, "offence_date": "2020-05-01", "means": ["deception"], "victim_consented": True},
        {
            **GOOD,
            "victim_age": 30,
            "means": ["abuse_of_vulnerability"],
            "circumstances": ["cross_border"],
        },
        {**GOOD, "offence_date": None, "victim_age": None},
    ],
)
def test_it_gives_the_same_answer_as_the_api_and_the_command_line(lawyer, as_user, facts):
    client = as_user(lawyer, language="ru")
    page = client.post(URL, form_data(facts)).context["result"]
    api = client.post("/api/v1/analysis", json.dumps(facts), content_type="application/json").json()
    cli = json.loads(tirek("analyze", "-", "--lang", "ru", stdin=json.dumps(facts)).stdout)
    assert page == api == cli
