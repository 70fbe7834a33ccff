import json
import logging

import pytest
from django.test import Client

from tirek.lib.logs import AllowListJsonFormatter


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tirek.core.tests.boom_urls"
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")


@pytest.mark.django_db
def test_it_shows_a_translated_page_and_no_traceback_when_something_breaks(failing_site):
    response = failing_site.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in page
    assert "Victim Name" not in page
    assert 'lang="ru"' in page


@pytest.mark.django_db
def test_it_answers_an_api_failure_in_the_error_shape(failing_site):
    response = failing_site.get("/api/v1/boom/")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "server_error"
    assert "Victim" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.django_db
def test_it_logs_a_failure_without_the_data_in_it(failing_site, caplog):
    request_log = logging.getLogger("django.request")
    request_log.addHandler(caplog.handler)
    try:
        failing_site.get("/boom/")
    finally:
        request_log.removeHandler(caplog.handler)
    formatter = AllowListJsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "RuntimeError" in logged
    assert "boom_urls.py" in logged
    assert "Victim Name" not in logged


@pytest.mark.django_db
def test_it_refuses_a_route_that_declares_no_access_rule(failing_site, lawyer, settings):
    failing_site.force_login(lawyer)
    response = failing_site.get("/undeclared/")
    assert response.status_code == 404
    assert "secret content" not in response.content.decode()


@pytest.mark.django_db
def test_it_shows_a_helpful_not_found_page(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "does not exist, or you do not have access to it" in response.content.decode()


def test_it_explains_an_expired_form(lawyer):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(lawyer)
    response = client.post("/language/", {"language": "ru"})
    assert response.status_code == 403
    assert "forms expire" in response.content.decode()
