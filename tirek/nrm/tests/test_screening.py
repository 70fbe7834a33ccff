"""Screening by a caseworker: the page, the recommendation beside the analysis,
the record and its audit event, need-to-know access, and errors a person can act on."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import OrganisationKind, Role
from tirek.audit.models import AuditEvent
from tirek.nrm.models import Recommendation, Screening
from tirek.nrm.screening import facts_of, screening_record, screenings_of
from tirek.people.models import Person

SITUATION = "Met at the bus station in Demo-Osh; her passport is kept by the employer."
NOT_A_DECISION = "This is a recommendation, not a decision"

# An adult recruited by deception for forced labour: the definition is met.
TRAFFICKING = {
    "screened_on": "2026-11-20",
    "offence_date": "2025-05-01",
    "victim_birth_date": "1996-04-11",
    "acts": ["recruitment", "harbouring"],
    "means": ["deception"],
    "purposes": ["forced_labour"],
    "indicators": ["ilo-forced-labour/8", "ilo-forced-labour/7"],
    "situation": SITUATION,
}


def _screenings():
    """Screenings made by the test (the demo person waiting for a lawyer has its own)."""
    from tirek.nrm.demo import DOCUMENT
    from tirek.people.models import Person

    return Screening.objects.exclude(person__in=Person.objects.matching(document_number=DOCUMENT))


@pytest.fixture
def aizada(demo) -> Person:
    """Registered by the caseworker persona's organisation."""
    return demo["person.adult_labour"]


@pytest.fixture
def other_caseworker(demo):
    """A caseworker of another organisation."""
    other = account_actions.organisation_create(
        actor=None, name="Demo Social Service Naryn", kind=OrganisationKind.SOCIAL_SERVICE
    )
    return account_actions.user_create(
        actor=None,
        username="other-caseworker",
        email="other@tirek.invalid",
        organisation=other,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )


def page(person: Person) -> str:
    return reverse("nrm:screening-create", args=[person.record_key])


def text_of(response) -> str:
    return unescape(response.content.decode())


# --- The page ---------------------------------------------------------------------------


def test_it_shows_the_form_with_indicators_grouped_by_set(caseworker, aizada, as_user):
    response = as_user(caseworker).get(page(aizada))
    assert response.status_code == 200
    text = text_of(response)
    assert "The ILO's 11 indicators of forced labour" in text
    assert "UNODC groups of trafficking indicators" in text
    assert "Verified against the official text" in text  # each set's status
    assert "Unverified — check the official text" in text
    # An indicator suggests facts; it ticks nothing.
    assert "often points to: fraud, deception" in text
    ticked = r'name="(indicators|acts|means|purposes|circumstances)"[^>]*checked'
    assert not re.search(ticked, text)


def test_a_preview_shows_the_recommendation_and_the_analysis_without_saving(
    caseworker, aizada, as_user
):
    response = as_user(caseworker).post(page(aizada), {**TRAFFICKING, "preview": "1"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Presumed victim" in text
    assert "Trafficking: made out" in text  # the engine's explained analysis
    assert "retention of identity documents, withholding of wages" in text
    assert NOT_A_DECISION in text
    assert SITUATION in text  # the form keeps what was typed
    assert not _screenings().exists()


def test_a_preview_is_in_the_reader_language(caseworker, aizada, as_user):
    response = as_user(caseworker, language="ru").post(
        page(aizada), {**TRAFFICKING, "preview": "1"}
    )
    assert "Это рекомендация, а не решение" in text_of(response)  # noqa: RUF001


def test_saving_records_the_screening_and_an_audit_event_without_the_situation(
    caseworker, aizada, as_user
):
    client = as_user(caseworker)
    response = client.post(page(aizada), {**TRAFFICKING, "save": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[aizada.record_key])
    screening = _screenings().get()
    assert screening.person == aizada
    assert screening.screened_by == caseworker
    assert screening.organisation == caseworker.organisation
    assert screening.screened_on == datetime.date(2026, 11, 20)
    assert screening.recommendation == Recommendation.PRESUMED_VICTIM
    assert screening.indicators == ["ilo-forced-labour/7", "ilo-forced-labour/8"]  # content order
    assert screening.facts["acts"] == ["recruitment", "harbouring"]
    # The date of birth (identity) is not kept in the clear: the age it gave is.
    assert "victim_birth_date" not in screening.facts
    assert screening.facts["victim_age"] == 29
    assert screening.situation == SITUATION
    event = AuditEvent.objects.filter(action="screening.record", target_id=str(aizada.pk)).get()
    assert event.actor_id == caseworker.pk
    assert event.target_type == "people.person" and event.target_id == str(aizada.pk)
    assert event.changes == {"recommendation": [None, "presumed_victim"]}
    assert "bus station" not in str(event.__dict__)
    assert "Aizada" not in str(event.__dict__)
    followed = text_of(client.get(response["Location"]))
    assert "Its recommendation is not a decision" in followed
    assert "Presumed victim" in followed  # listed on the person page


def test_indicators_alone_lead_to_a_referral_for_identification(caseworker, aizada, as_user):
    as_user(caseworker).post(
        page(aizada),
        {"screened_on": "2026-11-20", "indicators": ["unodc-groups/general"], "save": "1"},
    )
    assert _screenings().get().recommendation == Recommendation.REFER_FOR_IDENTIFICATION


def test_nothing_observed_means_no_indication(caseworker, aizada):
    screening = screening_record(
        actor=caseworker,
        person=aizada,
        screened_on=datetime.date(2026, 11, 20),
        facts={"victim_age": 30},
        indicators=[],
        situation="",
    )
    assert screening.recommendation == Recommendation.NO_INDICATION


# --- Who may screen ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_caseworker", "lawyer", "coordinator"])
def test_only_the_registering_organisation_caseworkers_may_screen(
    persona, aizada, as_user, request
):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(page(aizada)).status_code == 404
    assert client.post(page(aizada), {**TRAFFICKING, "save": "1"}).status_code == 404
    assert client.post(page(aizada), {**TRAFFICKING, "preview": "1"}).status_code == 404
    assert not _screenings().exists()


def test_a_missing_person_is_not_found(caseworker, as_user):
    url = reverse("nrm:screening-create", args=["00000000-0000-4000-8000-000000000000"])
    assert as_user(caseworker).get(url).status_code == 404


def test_the_action_refuses_a_person_of_another_organisation(other_caseworker, aizada):
    with pytest.raises(ValueError):
        screening_record(
            actor=other_caseworker,
            person=aizada,
            screened_on=datetime.date(2026, 11, 20),
            facts={},
            indicators=[],
            situation="",
        )


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("button", ["preview", "save"])
def test_a_birth_date_after_the_offence_is_a_field_error_and_nothing_is_lost(
    caseworker, aizada, as_user, button
):
    data = {**TRAFFICKING, "victim_birth_date": "2025-06-01", button: "1"}
    response = as_user(caseworker).post(page(aizada), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["victim_birth_date"] == ["The date of birth is after the offence date."]
    assert SITUATION in text_of(response)
    assert response.context["preview"] is None
    assert not _screenings().exists()


def test_a_future_screening_date_is_refused(caseworker, aizada, as_user):
    data = {**TRAFFICKING, "screened_on": "2999-01-01", "save": "1"}
    response = as_user(caseworker).post(page(aizada), data)
    assert "screened_on" in response.context["form"].errors
    assert not _screenings().exists()


def test_an_unknown_indicator_or_code_is_a_field_error(caseworker, aizada, as_user):
    response = as_user(caseworker).post(
        page(aizada),
        {**TRAFFICKING, "indicators": ["ilo-forced-labour/99"], "acts": ["nope"], "save": "1"},
    )
    assert response.status_code == 200
    assert {"indicators", "acts"} <= set(response.context["form"].errors)
    assert not _screenings().exists()


def test_the_action_puts_each_problem_on_its_field(caseworker, aizada):
    with pytest.raises(ValidationError) as raised:
        screening_record(
            actor=caseworker,
            person=aizada,
            screened_on=datetime.date(2999, 1, 1),
            facts={"offence_date": "2020-01-01", "victim_birth_date": "2021-01-01"},
            indicators=["nope"],
            situation="",
        )
    assert set(raised.value.message_dict) == {"screened_on", "victim_birth_date", "indicators"}
    with pytest.raises(ValidationError) as raised:
        facts_of({"means": ["nope"]})
    assert set(raised.value.message_dict) == {"means"}
    with pytest.raises(ValidationError) as raised:
        facts_of({"what": 1})
    assert set(raised.value.message_dict) == {"__all__"}


# --- Storage and the list on the person page ---------------------------------------------------


def test_the_situation_is_stored_encrypted(caseworker, aizada):
    screening = screening_record(
        actor=caseworker,
        person=aizada,
        screened_on=datetime.date(2026, 11, 20),
        facts={},
        indicators=[],
        situation=SITUATION,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT situation FROM nrm_screening WHERE id = %s", [screening.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("v1:")
    assert "bus station" not in raw
    assert Screening.objects.get(pk=screening.pk).situation == SITUATION


def test_the_list_shows_date_author_recommendation_and_indicators_in_one_query(
    caseworker, aizada, django_assert_num_queries
):
    for day in (10, 20):
        screening_record(
            actor=caseworker,
            person=aizada,
            screened_on=datetime.date(2026, 11, day),
            facts={},
            indicators=["ilo-forced-labour/4"],
            situation=SITUATION,
        )
    with django_assert_num_queries(1):
        html = unescape(
            render_to_string("nrm/_screenings.html", {"screenings": screenings_of(aizada)})
        )
    assert html.count("Refer for identification") == 2
    assert "isolation" in html
    assert str(caseworker) in html and str(caseworker.organisation) in html
    assert "bus station" not in html  # the situation is not listed
