import pytest
from django.db import OperationalError
from django.urls import reverse

HEALTH = reverse("core:health")


@pytest.mark.django_db
def test_it_reports_a_healthy_database(client):
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_reports_an_unavailable_database_as_503(client, monkeypatch):
    # The database is the edge being simulated: a cursor that cannot connect.
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(HEALTH)
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
