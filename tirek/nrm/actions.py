"""Every change in identification and referral: decisions on victim status
and referrals to services. Validated, atomic, audited; identity values and
free text never reach the audit trail.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Organisation
from tirek.accounts.roles import LEGAL_AID_KINDS, NRM_PROVIDER_KINDS
from tirek.audit.log import audit
from tirek.nrm.models import (
    OPEN_REFERRAL_STATES,
    Referral,
    ReferralState,
    Service,
    StatusDecision,
    StatusOutcome,
)
from tirek.people.actions import sharing_consent
from tirek.people.models import Person

# How long a provider has to acknowledge a referral, by default, in hours.
# The sender may shorten or lengthen it for one referral.
ACKNOWLEDGE_WITHIN_HOURS = {
    Service.SHELTER: 4,
    Service.MEDICAL: 4,
    Service.PSYCHOLOGICAL: 24,
    Service.LEGAL_AID: 24,
    Service.SOCIAL: 48,
    Service.RETURN: 72,
}
MINIMUM_REASON = 10


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


def _check_day(field: str, day: datetime.date | None, *, after: datetime.date | None = None):
    if day is None:
        return
    if day > timezone.localdate():
        _refuse(field, _("The date cannot be in the future."))
    if after is not None and day < after:
        _refuse(field, _("The date cannot be before the decision."))


# --- The decision on victim status --------------------------------------------------


@transaction.atomic
def status_record(
    *,
    actor,
    person: Person,
    outcome: str,
    decided_on: datetime.date,
    authority: str,
    decision_maker: str,
    document_number: str,
    grounds: str,
    challenge_until: datetime.date | None = None,
) -> StatusDecision:
    """Record the authorised body's decision. Tirek never decides status itself."""
    errors: dict[str, list[str]] = {}
    for field, value in (
        ("authority", authority),
        ("decision_maker", decision_maker),
        ("document_number", document_number),
        ("grounds", grounds),
    ):
        if not value.strip():
            errors[field] = [_("This is part of the decision; fill it in as it is written.")]
    if outcome not in StatusOutcome.values:
        errors["outcome"] = [_("Choose whether status was recognised or refused.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if challenge_until is not None:
        if outcome != StatusOutcome.REFUSED:
            errors["challenge_until"] = [_("Only a refusal is challenged.")]
        elif challenge_until < decided_on:
            errors["challenge_until"] = [_("The date cannot be before the decision.")]
    if errors:
        raise ValidationError(errors)
    decision = StatusDecision.objects.create(
        person=person,
        outcome=outcome,
        decided_on=decided_on,
        authority=authority.strip(),
        decision_maker=decision_maker.strip(),
        document_number=document_number.strip(),
        grounds=grounds.strip(),
        challenge_until=challenge_until,
        recorded_by=actor,
    )
    audit(
        actor=actor,
        action="status.record",
        target=person,
        changes={"outcome": [None, outcome], "decision": [None, decision.pk]},
    )
    # A request waiting for this decision now has its basis.
    if outcome == StatusOutcome.RECOGNISED:
        from tirek.assignment.actions import link_status_decision

        link_status_decision(decision)
    return decision


@transaction.atomic
def status_challenge(*, actor, decision: StatusDecision, challenged_on: datetime.date):
    if decision.outcome != StatusOutcome.REFUSED:
        _refuse("challenged_on", _("Only a refusal is challenged."))
    _check_day("challenged_on", challenged_on, after=decision.decided_on)
    decision.challenged_on = challenged_on
    decision.save(update_fields=["challenged_on"])
    audit(
        actor=actor,
        action="status.challenge",
        target=decision.person,
        changes={"challenged_on": [None, str(challenged_on)]},
    )
    return decision


def current_status(person: Person) -> StatusDecision | None:
    return person.status_decisions.order_by("-decided_on", "-recorded_at").first()


# --- Referrals ----------------------------------------------------------------------


def providers_for(service: str, *, excluding: Organisation | None = None):
    """The organisations a referral for this service may go to."""
    kinds = LEGAL_AID_KINDS if service == Service.LEGAL_AID else NRM_PROVIDER_KINDS
    providers = Organisation.objects.active().filter(kind__in=kinds)
    if excluding is not None:
        providers = providers.exclude(pk=excluding.pk)
    return providers


@transaction.atomic
def referral_send(
    *,
    actor,
    person: Person,
    service: str,
    to_organisation: Organisation,
    message: str = "",
    acknowledge_within_hours: int | None = None,
) -> Referral:
    """Send a referral — only under the person's consent in force at this
    moment for this provider, carrying only what that consent allows."""
    if service not in Service.values:
        _refuse("service", _("Choose a service."))
    if (
        not providers_for(service, excluding=actor.organisation)
        .filter(pk=to_organisation.pk)
        .exists()
    ):
        _refuse("to_organisation", _("This organisation does not provide that service in Tirek."))
    hours = acknowledge_within_hours or ACKNOWLEDGE_WITHIN_HOURS[service]
    if not 1 <= hours <= 24 * 14:
        _refuse("acknowledge_within_hours", _("Choose between 1 hour and 14 days."))
    consent = sharing_consent(person, to_organisation)
    if consent is None:
        _refuse(
            "to_organisation",
            _(
                "The person has not consented to sharing with this organisation, or has "
                "withdrawn that consent. Nothing was sent. Record the consent first."
            ),
        )
    if not consent.scope:
        _refuse("to_organisation", _("The consent does not name anything that may be shared."))
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        service=service,
        from_organisation=actor.organisation,
        to_organisation=to_organisation,
        sent_by=actor,
        consent=consent,
        carries=list(consent.scope),
        message=message.strip(),
        sent_at=now,
        acknowledge_by=now + datetime.timedelta(hours=hours),
    )
    audit(
        actor=actor,
        action="referral.send",
        target=person,
        changes={
            "referral": [None, referral.pk],
            "service": [None, service],
            "organisation": [None, to_organisation.pk],
            "consent": [None, consent.pk],
        },
    )
    return referral


# state → the states a provider may move it to
ANSWERS = {
    ReferralState.SENT: (
        ReferralState.ACKNOWLEDGED,
        ReferralState.ACCEPTED,
        ReferralState.DECLINED,
    ),
    ReferralState.ACKNOWLEDGED: (ReferralState.ACCEPTED, ReferralState.DECLINED),
    ReferralState.ACCEPTED: (ReferralState.COMPLETED,),
}
STAMPS = {
    ReferralState.ACKNOWLEDGED: "acknowledged_at",
    ReferralState.ACCEPTED: "accepted_at",
    ReferralState.DECLINED: "declined_at",
    ReferralState.COMPLETED: "completed_at",
    ReferralState.WITHDRAWN: "withdrawn_at",
}
NEEDS_TEXT = (ReferralState.DECLINED, ReferralState.COMPLETED, ReferralState.WITHDRAWN)


def answers_allowed(referral: Referral) -> tuple[str, ...]:
    return ANSWERS.get(referral.state, ())


@transaction.atomic
def referral_answer(*, actor, referral: Referral, state: str, text: str = "") -> Referral:
    """The provider's answer: acknowledged, accepted, declined, completed."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if state not in answers_allowed(referral):
        _refuse(
            "state",
            _("This answer is not possible now: the referral is %(state)s.")
            % {"state": referral.get_state_display()},
        )
    return _move(actor, referral, state, text, action="referral.answer")


@transaction.atomic
def referral_withdraw(*, actor, referral: Referral, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.state not in OPEN_REFERRAL_STATES:
        _refuse("state", _("Only an open referral can be withdrawn."))
    return _move(actor, referral, ReferralState.WITHDRAWN, reason, action="referral.withdraw")


def _move(actor, referral: Referral, state: str, text: str, *, action: str) -> Referral:
    if state in NEEDS_TEXT and len(text.strip()) < MINIMUM_REASON:
        _refuse("text", _reason_message(state))
    previous = referral.state
    referral.state = state
    setattr(referral, STAMPS[state], timezone.now())
    fields = ["state", STAMPS[state]]
    if state in NEEDS_TEXT:
        referral.answer = text.strip()
        fields.append("answer")
    if actor is not None:
        referral.answered_by = actor
        fields.append("answered_by")
    referral.save(update_fields=fields)
    audit(
        actor=actor,
        action=action,
        target=referral.person,
        changes={"referral": [referral.pk, referral.pk], "state": [previous, state]},
    )
    return referral


def _reason_message(state: str) -> str:
    return {
        ReferralState.DECLINED: _("Say why the referral is declined, so the sender can act."),
        ReferralState.COMPLETED: _("Say what the outcome was."),
        ReferralState.WITHDRAWN: _("Say why the referral is withdrawn."),
    }[state]


def referral_follow_request(referral: Referral | None, state: str, text: str = "") -> None:
    """A legal aid referral follows its request (tirek/assignment/actions.py):
    the Legal Aid Service answers it by acting on the request."""
    if referral is None:
        return
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    path = {
        ReferralState.ACKNOWLEDGED: [ReferralState.ACKNOWLEDGED],
        ReferralState.COMPLETED: [ReferralState.ACCEPTED, ReferralState.COMPLETED],
        ReferralState.WITHDRAWN: [ReferralState.WITHDRAWN],
    }[state]
    for step in path:
        allowed = answers_allowed(referral) + (
            (ReferralState.WITHDRAWN,) if referral.state in OPEN_REFERRAL_STATES else ()
        )
        if step in allowed:
            referral = _move(None, referral, step, text, action="referral.answer")
