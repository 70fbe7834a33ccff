"""Rows for the board and escalation tests, written directly.

The actions that create requests, offers and referrals are written
alongside; until they land, the tests build the rows through the ORM with
the shapes those actions allow. People and consent go through real actions.
"""

import datetime
import itertools

from django.utils import timezone

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import OrganisationKind, Role
from tirek.assignment.models import Assignment, AssignmentState, LegalAidRequest, RequestState
from tirek.nrm.models import DuplicateSignal, Referral
from tirek.people import actions as people_actions
from tirek.people.models import ConsentPurpose

_numbers = itertools.count(1)


def ago(days: float = 0, hours: float = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def person(caseworker, full_name: str):
    registered = people_actions.person_register(actor=caseworker, full_name=full_name)
    people_actions.consent_record(
        actor=caseworker,
        person=registered,
        purpose=ConsentPurpose.LEGAL_REPRESENTATION,
        given_on=timezone.localdate(),
        explained_in="ky",
    )
    return registered


def osh_ngo_caseworker():
    """A caseworker of an NGO in Osh region (the demo's NRM providers are elsewhere)."""
    ngo = account_actions.organisation_create(
        actor=None, name="Demo NGO «Ishenim»", kind=OrganisationKind.NGO, region="osh"
    )
    return account_actions.user_create(
        actor=None,
        username="osh-caseworker",
        email="osh-caseworker@tirek.invalid",
        first_name="Dilnoza",
        last_name="Demo",
        organisation=ngo,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )


def legal_aid_request(
    demo, *, person, requested_by, region: str, received_at, state=RequestState.OPEN
) -> LegalAidRequest:
    office = demo["org.las_osh"] if region == "osh" else demo["org.las"]
    return LegalAidRequest.objects.create(
        number=f"LA-TEST-{next(_numbers):05d}",
        person=person,
        from_organisation=requested_by.organisation,
        requested_by=requested_by,
        legal_aid_office=office,
        region=region,
        languages=["ky", "ru"],
        basis="victim_status",
        summary="Needs a representative in the criminal case.",
        state=state,
        received_at=received_at,
    )


def offer(*, request, lawyer, chosen_by, offered_at, respond_by) -> Assignment:
    request.state = RequestState.OFFERED
    request.save(update_fields=["state"])
    return Assignment.objects.create(
        request=request,
        lawyer=lawyer,
        chosen_by=chosen_by,
        rank=1,
        state=AssignmentState.OFFERED,
        offered_at=offered_at,
        respond_by=respond_by,
    )


def referral(*, person, sent_by, to_organisation, sent_at, acknowledge_by) -> Referral:
    return Referral.objects.create(
        person=person,
        service="shelter",
        from_organisation=sent_by.organisation,
        to_organisation=to_organisation,
        sent_by=sent_by,
        consent=person.consents.first(),
        sent_at=sent_at,
        acknowledge_by=acknowledge_by,
    )


def duplicate(first, second) -> DuplicateSignal:
    return DuplicateSignal.objects.create(person=first, known_as=second, matched_on=["name"])
