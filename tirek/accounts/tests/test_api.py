"""The accounts API: tokens, who am I, users and organisations, one error shape."""

import pytest
from django.conf import settings
from django.test import Client

from tirek.accounts.demo import demo_totp_code
from tirek.accounts.models import Organisation, User
from tirek.accounts.roles import Role

API = "/api/v1"


def api_client(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def token_for(client: Client, username: str, password: str) -> str:
    response = client.post(
        f"{API}/auth/token",
        {"username": username, "password": password, "otp": demo_totp_code(username)[0]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert error["message"]
    return error


def test_it_exchanges_a_password_for_a_token_that_authenticates(lawyer, demo):
    client = api_client()
    token = token_for(client, "demo-lawyer", demo.password)
    me = client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "demo-lawyer"
    assert me.json()["roles"] == ["lawyer"]
    assert me.json()["organisation"]["name"] == "Demo Law Office «Ak Jol»"


def test_it_keeps_only_a_digest_of_the_token(lawyer, demo):
    from knox.models import AuthToken

    token = token_for(api_client(), "demo-lawyer", demo.password)
    stored = AuthToken.objects.get(user=lawyer)
    assert token not in (stored.digest, stored.token_key)
    assert token not in str(AuthToken.objects.values().get())


def test_it_revokes_the_token_in_use(lawyer, demo):
    client = api_client()
    token = token_for(client, "demo-lawyer", demo.password)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.post(f"{API}/auth/token/revoke", **auth).status_code == 204
    assert_error_shape(client.get(f"{API}/me", **auth), 401, "authentication_failed")


def test_it_refuses_a_wrong_password_in_the_callers_language(lawyer):
    response = api_client("ru").post(
        f"{API}/auth/token",
        {"username": "demo-lawyer", "password": "nope", "otp": "000000"},
        content_type="application/json",
    )
    error = assert_error_shape(response, 401, "authentication_failed")
    assert "пароль" in error["message"].lower()


def test_it_locks_the_token_endpoint_after_repeated_failures(lawyer, demo):
    client = api_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            f"{API}/auth/token",
            {"username": "demo-lawyer", "password": "nope", "otp": "000000"},
            content_type="application/json",
        )
    response = client.post(
        f"{API}/auth/token",
        {"username": "demo-lawyer", "password": demo.password, "otp": "000000"},
        content_type="application/json",
    )
    assert_error_shape(response, 429, "locked_out")


@pytest.mark.django_db
def test_it_answers_401_in_the_error_shape_without_credentials():
    assert_error_shape(api_client().get(f"{API}/me"), 401, "not_authenticated")


def test_it_answers_malformed_json_with_a_clear_message(administrator, as_user):
    response = as_user(administrator).post(
        f"{API}/organisations", "{not json", content_type="application/json"
    )
    error = assert_error_shape(response, 400, "parse_error")
    assert error["message"] == "The request body is not valid JSON."


def test_it_names_every_invalid_field_in_kyrgyz(administrator, as_user):
    response = as_user(administrator, language="ky").post(
        f"{API}/users", {"username": "x y", "roles": ["judge"]}, content_type="application/json"
    )
    error = assert_error_shape(response, 400, "invalid")
    assert set(error["fields"]) >= {"username", "email", "organisation", "roles"}
    assert error["fields"]["email"] != ["This field is required."]


def test_it_creates_a_user_through_the_same_rules_as_the_page(administrator, as_user, demo):
    client = as_user(administrator)
    refused = client.post(
        f"{API}/users",
        {
            "username": "api-user",
            "email": "api-user@tirek.invalid",
            "organisation": demo["org.shelter"].pk,
            "roles": ["lawyer"],
        },
        content_type="application/json",
    )
    assert "A Lawyer cannot work for a Shelter." in refused.json()["error"]["fields"]["roles"]
    created = client.post(
        f"{API}/users",
        {
            "username": "api-user",
            "email": "api-user@tirek.invalid",
            "organisation": demo["org.shelter"].pk,
            "roles": ["caseworker"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["roles"] == ["caseworker"]
    assert User.objects.get(username="api-user").roles == {Role.CASEWORKER}


def test_it_changes_only_the_fields_sent(administrator, as_user, lawyer):
    response = as_user(administrator).patch(
        f"{API}/users/{lawyer.pk}", {"last_name": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 200
    lawyer.refresh_from_db()
    assert (lawyer.last_name, lawyer.email, lawyer.roles) == (
        "Changed",
        "demo-lawyer@tirek.invalid",
        {Role.LAWYER},
    )


def test_it_refuses_to_rename_a_user(administrator, as_user, lawyer):
    response = as_user(administrator).patch(
        f"{API}/users/{lawyer.pk}", {"username": "renamed"}, content_type="application/json"
    )
    assert_error_shape(response, 400, "invalid")


def test_it_lists_organisations_with_filters_and_rejects_unknown_values(administrator, as_user):
    client = as_user(administrator)
    listed = client.get(f"{API}/organisations", {"kind": "shelter"})
    assert [item["name"] for item in listed.json()["results"]] == ["Demo Shelter No. 1"]
    error = assert_error_shape(client.get(f"{API}/organisations", {"kind": "bank"}), 400, "invalid")
    assert "shelter" in error["fields"]["kind"][0]


def test_it_updates_an_organisation(administrator, as_user, demo):
    ngo = demo["org.ngo"]
    response = as_user(administrator).patch(
        f"{API}/organisations/{ngo.pk}", {"region": "talas"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Organisation.objects.get(pk=ngo.pk).region == "talas"


def test_it_answers_a_missing_object_like_a_forbidden_one(lawyer, administrator, as_user):
    missing = as_user(administrator).get(f"{API}/users/999999")
    forbidden = as_user(lawyer).get(f"{API}/users/{administrator.pk}")
    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


def test_it_publishes_a_valid_openapi_schema(client, db):
    response = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/users", "/api/v1/organisations"} <= set(schema["paths"])


def test_it_serves_the_api_documentation_page(client, db):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_it_answers_an_unknown_api_address_in_the_error_shape(client, db):
    assert_error_shape(client.get(f"{API}/no-such-thing"), 404, "not_found")


def test_a_new_password_revokes_every_api_token(lawyer, demo, as_user):
    from knox.models import AuthToken

    AuthToken.objects.create(lawyer)
    new = "a brand new passphrase for tirek"
    response = as_user(lawyer).post(
        "/accounts/password/change/",
        {"old_password": demo.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=lawyer).exists()
