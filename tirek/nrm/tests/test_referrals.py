"""Referrals under consent, closed-loop answers, and decisions on status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.nrm import actions
from tirek.nrm.models import Referral, ReferralState
from tirek.people import actions as people

NAME = "Aigerim Referred-Person"
PHONE = "+996 555 010 203"
WHEREABOUTS = "Demo safe flat, street withheld"


@pytest.fixture
def ngo(demo):
    return demo["org.ngo"]


@pytest.fixture
def ngo_caseworker(demo, ngo):
    from tirek.accounts import actions as accounts

    return accounts.user_create(
        actor=None,
        username="ngo-caseworker",
        email="ngo-caseworker@tirek.invalid",
        organisation=ngo,
        roles=["caseworker"],
        password=demo.password,
    )


@pytest.fixture
def person(caseworker):
    return people.person_register(
        actor=caseworker, full_name=NAME, phone=PHONE, whereabouts=WHEREABOUTS
    )


def _consent(caseworker, person, organisation, scope):
    return people.consent_record(
        actor=caseworker,
        person=person,
        purpose="sharing",
        recipient=organisation,
        scope=scope,
        given_on=timezone.localdate(),
        explained_in="ky",
    )


def _refer(client, person, organisation, service="psychological"):
    return client.post(
        reverse("nrm:referral-create", args=[person.record_key]),
        {"service": service, "to_organisation": organisation.pk, "message": "Needs counselling"},
    )


def test_a_referral_without_consent_for_that_provider_is_refused(
    demo, caseworker, person, ngo, as_user
):
    _consent(caseworker, person, demo["org.las"], ["identity"])  # another provider
    response = _refer(as_user(caseworker), person, ngo)
    assert response.status_code == 200
    assert "has not consented to sharing with this organisation" in response.content.decode()
    assert not Referral.objects.filter(person=person).exists()


def test_a_referral_carries_only_what_the_consent_names(
    caseworker, person, ngo, ngo_caseworker, as_user
):
    _consent(caseworker, person, ngo, ["identity", "contact"])
    response = _refer(as_user(caseworker), person, ngo)
    referral = Referral.objects.get(person=person)
    assert response["Location"] == reverse("nrm:referral", args=[referral.pk])
    assert referral.carries == ["identity", "contact"]

    page = as_user(ngo_caseworker).get(response["Location"]).content.decode()
    assert NAME in page and PHONE in page
    assert WHEREABOUTS not in page  # not consented
    read = AuditEvent.objects.filter(action="referral.view").get()
    assert set(read.fields) == {"full_name", "birth_date", "sex", "phone", "address", "message"}
    # The provider cannot open the person's full record.
    assert (
        as_user(ngo_caseworker).get(reverse("people:detail", args=[person.record_key])).status_code
        == 404
    )


def test_a_withdrawal_stops_the_next_referral_and_hides_what_was_carried(
    caseworker, person, ngo, ngo_caseworker, as_user
):
    consent = _consent(caseworker, person, ngo, ["identity"])
    actions.referral_send(actor=caseworker, person=person, service="shelter", to_organisation=ngo)
    people.consent_withdraw(actor=caseworker, consent=consent, withdrawn_on=timezone.localdate())
    with pytest.raises(ValidationError, match="has not consented"):
        actions.referral_send(
            actor=caseworker, person=person, service="medical", to_organisation=ngo
        )
    referral = Referral.objects.get(person=person)
    page = as_user(ngo_caseworker).get(reverse("nrm:referral", args=[referral.pk])).content
    assert b"withdrew their consent" in page and NAME.encode() not in page


def test_the_sender_sees_every_answer_of_the_provider(
    caseworker, person, ngo, ngo_caseworker, as_user
):
    _consent(caseworker, person, ngo, ["identity"])
    referral = actions.referral_send(
        actor=caseworker, person=person, service="shelter", to_organisation=ngo
    )
    provider = as_user(ngo_caseworker)
    answer = reverse("nrm:referral-answer", args=[referral.pk])
    provider.post(answer, {"state": "acknowledged"})
    provider.post(answer, {"state": "declined", "text": "no"})  # too short: refused
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACKNOWLEDGED
    provider.post(answer, {"state": "declined", "text": "No free bed for a woman until Monday"})
    page = as_user(caseworker).get(reverse("nrm:referral", args=[referral.pk])).content.decode()
    assert "Declined" in page and "No free bed" in page and "Acknowledged" in page
    # The sender cannot answer for the provider, nor the provider withdraw.
    assert as_user(caseworker).post(answer, {"state": "completed"}).status_code == 404
    withdraw = reverse("nrm:referral-withdraw", args=[referral.pk])
    assert provider.post(withdraw, {"reason": "xxxxxxxxxxxxx"}).status_code == 404


def test_an_unrelated_organisation_cannot_see_a_referral(demo, caseworker, person, ngo, as_user):
    _consent(caseworker, person, ngo, ["identity"])
    referral = actions.referral_send(
        actor=caseworker, person=person, service="shelter", to_organisation=ngo
    )
    url = reverse("nrm:referral", args=[referral.pk])
    for persona in ("lawyer", "coordinator", "analyst"):
        assert as_user(demo[f"user.{persona}"]).get(url).status_code == 404


def test_a_decision_on_status_is_recorded_by_a_person_with_its_grounds(caseworker, person, as_user):
    response = as_user(caseworker).post(
        reverse("nrm:status-record", args=[person.record_key]),
        {
            "outcome": "refused",
            "decided_on": "2026-11-01",
            "authority": "Demo commission",
            "decision_maker": "B. Demo",
            "document_number": "R-1",
            "grounds": "Not enough information on the means used",
            "challenge_until": "2026-12-01",
        },
    )
    assert response.status_code == 302
    decision = actions.current_status(person)
    assert decision.outcome == "refused" and decision.challenge_until == datetime.date(2026, 12, 1)
    page = as_user(caseworker).get(response["Location"]).content.decode()
    assert "can be challenged until" in page and "Record the challenge" in page
    with pytest.raises(ValidationError):
        actions.status_challenge(
            actor=caseworker, decision=decision, challenged_on=datetime.date(2026, 10, 1)
        )
    as_user(caseworker).post(
        reverse("nrm:status-challenge", args=[person.record_key, decision.pk]),
        {"challenged_on": "2026-11-05"},
    )
    decision.refresh_from_db()
    assert decision.challenged_on == datetime.date(2026, 11, 5)


def test_a_future_decision_date_is_refused_and_nothing_is_lost(caseworker, person, as_user):
    response = as_user(caseworker).post(
        reverse("nrm:status-record", args=[person.record_key]),
        {
            "outcome": "recognised",
            "decided_on": "2099-01-01",
            "authority": "Demo commission",
            "decision_maker": "B. Demo",
            "document_number": "R-2",
            "grounds": "Kept as typed",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot be in the future" in body and "Kept as typed" in body
