"""``POST /api/v1/analysis``: who may use it, what it refuses, what it answers."""

import json

import pytest

from tirek.analysis.tests.test_command_line import GOOD, tirek

URL = "/api/v1/analysis"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lawyer", "coordinator", "caseworker", "trainer"])
def test_it_answers_the_people_who_work_on_cases(persona, request, as_user):
    response = post(as_user(request.getfixturevalue(persona)), GOOD)
    assert response.status_code == 200
    assert response.json()["trafficking"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_it_looks_missing_to_everyone_else(persona, request, as_user):
    response = post(as_user(request.getfixturevalue(persona)), GOOD)
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_asks_an_anonymous_caller_to_authenticate(client):
    assert post(client, GOOD).status_code == 401


@pytest.mark.django_db
def test_it_refuses_an_unknown_code_naming_the_allowed_values(lawyer, as_user):
    response = post(as_user(lawyer), {**GOOD, "means": ["bribery"]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    message = error["fields"]["means"]["0"][0]
    assert "bribery" in message and "abuse_of_vulnerability" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"victim": 1}, "victim"),
        ({"offence_date": "2023-02-30"}, "offence_date"),
        ({"victim_age": "15"}, "victim_age"),
        ({"victim_age": 400}, "victim_age"),
        ({"victim_consented": "yes"}, "victim_consented"),
        ({"offence_date": "2020-01-01", "victim_birth_date": "2021-01-01"}, "victim_birth_date"),
    ],
)
def test_it_refuses_malformed_facts_in_the_one_error_shape(lawyer, as_user, body, field):
    response = post(as_user(lawyer), body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_it_refuses_a_body_that_is_not_json(lawyer, as_user):
    response = as_user(lawyer).post(URL, "acts=recruitment", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.django_db
def test_it_explains_in_the_language_of_the_request(lawyer, as_user):
    answer = post(as_user(lawyer, language="ru"), GOOD).json()
    assert answer["language"] == "ru"
    assert "ребёнок" in answer["child_victim_reason"]["text"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_it_gives_the_same_answer_as_the_command_line(lawyer, as_user, language):
    facts = {**GOOD, "means": ["abuse_of_vulnerability"], "victim_age": 30}
    api = post(as_user(lawyer, language=language), facts).json()
    cli = json.loads(tirek("analyze", "-", "--lang", language, stdin=json.dumps(facts)).stdout)
    assert api == cli


@pytest.mark.django_db
def test_it_is_documented_in_the_schema(lawyer, as_user):
    schema = as_user(lawyer).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert b"/api/v1/analysis" in schema.content
