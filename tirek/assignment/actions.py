"""From a request for legal aid to an accepted assignment and an open case.

Validated, atomic, audited. Every state change takes the row lock first, so
a lawyer accepting at the moment the offer expires (tirek/assignment/
escalation.py), or two coordinators assigning at once, cannot both succeed.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tirek.accounts.models import Organisation
from tirek.accounts.roles import OrganisationKind
from tirek.assignment.models import (
    Assignment,
    AssignmentState,
    Basis,
    LegalAidRequest,
    RequestState,
)
from tirek.audit.log import audit
from tirek.cases import actions as cases
from tirek.cases.models import CriminalCase, LegalAidBasis
from tirek.nrm import actions as nrm
from tirek.nrm.models import ReferralState, Service, StatusDecision, StatusOutcome
from tirek.people.models import ConsentPurpose, Person, SpokenLanguage
from tirek.registry.queries import proposal
from tirek.registry.ranking import Need, Ranked

MINIMUM_REASON = 10
CASE_BASIS = {
    Basis.VICTIM_STATUS: LegalAidBasis.NRM_VICTIM_STATUS,
    Basis.LEGAL_AID_LAW: LegalAidBasis.LEGAL_AID_DECISION,
}


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


def legal_aid_office_for(region: str) -> Organisation | None:
    """The regional office serving the region, else the national service."""
    offices = Organisation.objects.active()
    return (
        offices.filter(kind=OrganisationKind.LEGAL_AID_REGIONAL_OFFICE, region=region).first()
        or offices.filter(kind=OrganisationKind.LEGAL_AID_SERVICE).order_by("pk").first()
    )


def _is_child(person: Person) -> bool:
    born = person.birth_date
    if born is None:
        return False
    today = timezone.localdate()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < 18


# --- The request -------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor,
    person: Person,
    region: str,
    basis: str,
    languages: list[str],
    interpreter_needed: bool = False,
    gender_preference: str = "",
    lawyer_role: str = "victim_representative",
    criminal_case_number: str = "",
    basis_reference: str = "",
    summary: str = "",
) -> LegalAidRequest:
    """A caseworker asks the Legal Aid Service for a lawyer for the person.

    If the person consented to sharing with the office, the request travels
    as a referral too (the sender follows both); otherwise it goes directly.
    Either way the Legal Aid Service sees the needs, never the identity.
    """
    # One request at a time per person: two caseworkers submitting at once
    # wait for each other here.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors: dict[str, list[str]] = {}
    if not person.consents.filter(
        purpose=ConsentPurpose.LEGAL_REPRESENTATION, withdrawn_on__isnull=True
    ).exists():
        errors["basis"] = [
            _(
                "The person has not consented to legal representation, or has withdrawn "
                "that consent. Record the consent first; nothing was sent."
            )
        ]
    unknown = sorted(set(languages) - set(SpokenLanguage.values))
    if not languages or unknown:
        errors["languages"] = [_("Choose the languages the person speaks.")]
    if basis not in Basis.values:
        errors["basis"] = [_("Choose the basis of entitlement.")]
    decision = None
    if basis == Basis.VICTIM_STATUS:
        decision = nrm.current_status(person)
        if decision is not None and decision.outcome != StatusOutcome.RECOGNISED:
            errors["basis"] = [
                _(
                    "The latest decision refused victim status. Choose the legal aid law "
                    "as the basis, or record a new decision first."
                )
            ]
    office = legal_aid_office_for(region)
    if office is None:
        errors["region"] = [_("No Legal Aid Service office is registered in Tirek.")]
    if LegalAidRequest.objects.filter(
        person=person, state__in=[RequestState.OPEN, RequestState.OFFERED]
    ).exists():
        errors["basis"] = [_("A request for this person is already waiting for a lawyer.")]
    if errors:
        raise ValidationError(errors)
    referral = None
    if nrm.sharing_consent(person, office) is not None:
        referral = nrm.referral_send(
            actor=actor, person=person, service=Service.LEGAL_AID, to_organisation=office
        )
    request = LegalAidRequest(
        number=f"pending-{timezone.now().timestamp()}",
        person=person,
        referral=referral,
        from_organisation=actor.organisation,
        requested_by=actor,
        legal_aid_office=office,
        region=region,
        languages=list(languages),
        interpreter_needed=interpreter_needed,
        gender_preference=gender_preference,
        child=_is_child(person),
        lawyer_role=lawyer_role,
        basis=basis,
        status_decision=decision,
        basis_reference=(decision.document_number if decision else basis_reference.strip()),
        criminal_case_number=criminal_case_number.strip(),
        summary=summary.strip(),
        received_at=timezone.now(),
    )
    request.save()
    request.number = f"RQ-{timezone.localdate().year}-{request.pk:06d}"
    LegalAidRequest.objects.filter(pk=request.pk).update(number=request.number)
    audit(
        actor=actor,
        action="request.create",
        target=person,
        changes={"request": [None, request.number], "basis": [None, basis]},
    )
    return request


def link_status_decision(decision: StatusDecision) -> None:
    """A recognised status gives waiting requests on that basis their basis."""
    for request in LegalAidRequest.objects.filter(
        person=decision.person,
        basis=Basis.VICTIM_STATUS,
        state__in=[RequestState.OPEN, RequestState.OFFERED],
    ):
        request.status_decision, request.basis_reference = decision, decision.document_number
        request.save(update_fields=["status_decision", "basis_reference"])


def basis_problem(request: LegalAidRequest) -> str:
    """Why the request cannot be assigned yet, or ""."""
    if request.basis == Basis.VICTIM_STATUS and (
        request.status_decision is None
        or request.status_decision.outcome != StatusOutcome.RECOGNISED
    ):
        return _(
            "The basis is victim status, and no decision recognising it is recorded yet. "
            "Record the decision of the authorised body first."
        )
    return ""


@transaction.atomic
def request_acknowledge(*, actor, request: LegalAidRequest) -> LegalAidRequest:
    request = LegalAidRequest.objects.select_for_update().get(pk=request.pk)
    if request.acknowledged_at is None:
        request.acknowledged_at = timezone.now()
        request.acknowledged_by = actor
        request.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit(actor=actor, action="request.acknowledge", target=request)
        nrm.referral_follow_request(request.referral, ReferralState.ACKNOWLEDGED)
    return request


@transaction.atomic
def request_withdraw(*, actor, request: LegalAidRequest, reason: str) -> LegalAidRequest:
    # Offer before request: the order accept, decline and expiry lock in.
    list(
        Assignment.objects.select_for_update().filter(
            request_id=request.pk, state=AssignmentState.OFFERED
        )
    )
    request = LegalAidRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in (RequestState.OPEN, RequestState.OFFERED):
        _refuse("reason", _("Only a request still waiting for a lawyer can be withdrawn."))
    if len(reason.strip()) < MINIMUM_REASON:
        _refuse("reason", _("Say why the request is withdrawn."))
    request.assignments.filter(state=AssignmentState.OFFERED).update(
        state=AssignmentState.WITHDRAWN, answered_at=timezone.now()
    )
    request.state = RequestState.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "closed_at"])
    # The reason stays on the erasable request, never in the permanent trail.
    audit(
        actor=actor,
        action="request.withdraw",
        target=request,
        changes={"reason_given": [None, True]},
    )
    nrm.referral_follow_request(request.referral, ReferralState.WITHDRAWN, reason)
    return request


# --- The proposal and the offer ------------------------------------------------------


def need_of(request: LegalAidRequest) -> Need:
    return Need(
        region=request.region,
        on=timezone.localdate(),
        languages=tuple(request.languages),
        gender=request.gender_preference,
    )


def known_criminal_case(request: LegalAidRequest) -> CriminalCase | None:
    if not request.criminal_case_number:
        return None
    return CriminalCase.objects.filter(register_number=request.criminal_case_number).first()


def proposal_for(actor, request: LegalAidRequest) -> list[Ranked]:
    declined = frozenset(
        request.assignments.exclude(state=AssignmentState.OFFERED).values_list(
            "lawyer_id", flat=True
        )
    )
    return proposal(
        actor,
        need=need_of(request),
        criminal_case=known_criminal_case(request),
        lawyer_role=request.lawyer_role,
        declined_by=declined,
    )


def _snapshot(ranked: list[Ranked]) -> list[dict]:
    return [
        {
            "lawyer": item.candidate.lawyer_id,
            "rank": item.rank,
            "score": round(item.score, 2),
            "reasons": [[reason.code, reason.points] for reason in item.reasons],
            "exclusions": [reason.code for reason in item.exclusions],
        }
        for item in ranked
    ]


@transaction.atomic
def assignment_offer(
    *, actor, request: LegalAidRequest, lawyer_id: int, override_reason: str = ""
) -> Assignment:
    """The coordinator chooses a lawyer from the proposal. Passing over the
    first-ranked lawyer needs a written reason."""
    request = LegalAidRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RequestState.OPEN:
        _refuse(
            "lawyer",
            _("The request is %(state)s; it cannot be offered now.")
            % {"state": request.get_state_display()},
        )
    problem = basis_problem(request)
    if problem:
        _refuse("lawyer", problem)
    ranked = proposal_for(actor, request)
    chosen = next((item for item in ranked if item.candidate.lawyer_id == lawyer_id), None)
    if chosen is None or not chosen.eligible:
        _refuse(
            "lawyer",
            _("This lawyer cannot take the request now: %(why)s")
            % {
                "why": " ".join(r.message for r in chosen.exclusions)
                if chosen
                else _("not in the proposal.")
            },
        )
    if chosen.candidate.lawyer_id == actor.pk:
        _refuse("lawyer", _("Nobody can assign a case to themselves."))
    first = next(item for item in ranked if item.rank == 1)
    override_reason = override_reason.strip()
    if chosen.rank != 1 and len(override_reason) < MINIMUM_REASON:
        _refuse(
            "override_reason",
            _(
                "%(name)s ranks first. Explain in a sentence why you choose another lawyer; "
                "the reason is kept with the assignment."
            )
            % {"name": first.candidate.label},
        )
    now = timezone.now()
    assignment = Assignment.objects.create(
        request=request,
        lawyer_id=lawyer_id,
        chosen_by=actor,
        rank=chosen.rank,
        first_ranked_id=first.candidate.lawyer_id,
        override_reason=override_reason if chosen.rank != 1 else "",
        proposal=_snapshot(ranked),
        offered_at=now,
        respond_by=now + datetime.timedelta(hours=settings.TIREK_ASSIGNMENT_ANSWER_HOURS),
    )
    request.state = RequestState.OFFERED
    fields = ["state"]
    if request.acknowledged_at is None:
        request.acknowledged_at, request.acknowledged_by = now, actor
        fields += ["acknowledged_at", "acknowledged_by"]
        nrm.referral_follow_request(request.referral, ReferralState.ACKNOWLEDGED)
    request.save(update_fields=fields)
    audit(
        actor=actor,
        action="assignment.offer",
        target=request,
        changes={
            "lawyer": [None, lawyer_id],
            "rank": [None, chosen.rank],
            "override_reason_given": [None, bool(assignment.override_reason)],
        },
    )
    transaction.on_commit(partial(_tell_lawyer, assignment_id=assignment.pk), robust=True)
    return assignment


# --- The lawyer's answer --------------------------------------------------------------


def _open_offer(assignment: Assignment, lawyer) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update().select_related("request").get(pk=assignment.pk)
    )
    if assignment.lawyer_id != lawyer.pk:
        _refuse("answer", _("This offer was made to another lawyer."))
    if assignment.state != AssignmentState.OFFERED:
        _refuse(
            "answer",
            _("This offer is no longer open: %(state)s.")
            % {"state": assignment.get_state_display()},
        )
    if assignment.respond_by < timezone.now():
        _refuse(
            "answer",
            _("The time to answer ran out; the coordinator will offer the request again."),
        )
    return assignment


@transaction.atomic
def assignment_accept(*, actor, assignment: Assignment):
    """The lawyer accepts: the case workspace opens and the order is issued."""
    from tirek.assignment.order import issue_order

    assignment = _open_offer(assignment, actor)
    request = LegalAidRequest.objects.select_for_update().get(pk=assignment.request_id)
    case = cases.case_open(
        actor=actor,
        assigned_by=assignment.chosen_by,
        client=request.person,
        lawyer=actor,
        lawyer_role=request.lawyer_role,
        legal_aid_basis=CASE_BASIS[request.basis],
        basis_reference=request.basis_reference,
        client_languages=list(request.languages),
        interpreter_needed=request.interpreter_needed,
        region=request.region,
        criminal_case=known_criminal_case(request),
    )
    now = timezone.now()
    assignment.state, assignment.answered_at = AssignmentState.ACCEPTED, now
    assignment.save(update_fields=["state", "answered_at"])
    request.state, request.case, request.closed_at = RequestState.ASSIGNED, case, now
    request.save(update_fields=["state", "case", "closed_at"])
    audit(
        actor=actor,
        action="assignment.accept",
        target=request,
        changes={"case": [None, case.number]},
    )
    order = issue_order(assignment=assignment, issued_by=assignment.chosen_by)
    nrm.referral_follow_request(
        request.referral,
        ReferralState.COMPLETED,
        _("A lawyer accepted; legal aid case %(number)s is open.") % {"number": case.number},
    )
    transaction.on_commit(
        partial(_tell_coordinator_and_sender, assignment_id=assignment.pk), robust=True
    )
    return case, order


@transaction.atomic
def assignment_decline(*, actor, assignment: Assignment, reason: str) -> Assignment:
    assignment = _open_offer(assignment, actor)
    if len(reason.strip()) < MINIMUM_REASON:
        _refuse("reason", _("Say why you decline, so the coordinator can choose well."))
    request = LegalAidRequest.objects.select_for_update().get(pk=assignment.request_id)
    assignment.state, assignment.answered_at = AssignmentState.DECLINED, timezone.now()
    assignment.decline_reason = reason.strip()
    assignment.save(update_fields=["state", "answered_at", "decline_reason"])
    request.state = RequestState.OPEN
    request.save(update_fields=["state"])
    audit(
        actor=actor,
        action="assignment.decline",
        target=request,
        changes={"lawyer": [None, actor.pk], "reason_given": [None, True]},
    )
    transaction.on_commit(
        partial(_tell_coordinator_and_sender, assignment_id=assignment.pk), robust=True
    )
    return assignment


# --- Notices (no identity: numbers and names of professionals only) -------------------


def _send(subject: str, body: str, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _tell_lawyer(*, assignment_id: int) -> None:
    assignment = Assignment.objects.select_related("request", "lawyer").get(pk=assignment_id)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _("A request for legal aid is offered to you"),
            _(
                "Request %(number)s has been offered to you. Please accept or decline it in "
                "Tirek by %(until)s: %(path)s"
            )
            % {
                "number": assignment.request.number,
                "until": timezone.localtime(assignment.respond_by).strftime("%Y-%m-%d %H:%M"),
                "path": reverse("assignment:offer", args=[assignment.pk]),
            },
            [assignment.lawyer.email],
        )


def _tell_coordinator_and_sender(*, assignment_id: int) -> None:
    assignment = Assignment.objects.select_related(
        "request", "lawyer", "chosen_by", "request__requested_by"
    ).get(pk=assignment_id)
    request = assignment.request
    if assignment.state == AssignmentState.ACCEPTED:
        subject = _("A lawyer accepted request %(number)s") % {"number": request.number}
        body = _("%(lawyer)s accepted request %(number)s; the case is open.")
    else:
        subject = _("A lawyer declined request %(number)s") % {"number": request.number}
        body = _("%(lawyer)s declined request %(number)s. Choose another lawyer in Tirek.")
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            subject,
            body % {"lawyer": assignment.lawyer.get_full_name(), "number": request.number},
            [assignment.chosen_by.email, request.requested_by.email],
        )
