"""Every change to a person, their consent and their sharing.

Each action validates, writes, and records its audit event in the same
transaction. Identity values are never written to the audit trail: only the
names of the fields touched.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Organisation
from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.people.models import (
    BreakGlass,
    Consent,
    ConsentPurpose,
    Person,
    Share,
    SharedCategory,
)

IDENTITY = Person.IDENTITY_FIELDS


@transaction.atomic
def person_register(
    *,
    actor,
    full_name: str,
    birth_date: datetime.date | None = None,
    document_number: str = "",
    phone: str = "",
    address: str = "",
    whereabouts: str = "",
    sex: str = "undisclosed",
) -> Person:
    if not full_name.strip():
        raise ValidationError({"full_name": [_("Enter the person's name as they give it.")]})
    _check_birth_date(birth_date)
    person = Person(
        full_name=full_name.strip(),
        birth_date=birth_date,
        document_number=document_number.strip(),
        phone=phone.strip(),
        address=address.strip(),
        whereabouts=whereabouts.strip(),
        sex=sex,
        registered_by=actor,
        organisation=actor.organisation,
    )
    person.save()
    audit(
        actor=actor,
        action="person.create",
        target=person,
        fields=[name for name in IDENTITY if getattr(person, name)],
    )
    from tirek.nrm.duplicates import signal_duplicates  # nrm imports people

    # For the page's warning, which never says where (tirek/nrm/duplicates.py).
    person.duplicate_signals = signal_duplicates(actor=actor, person=person)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **values) -> Person:
    unknown = set(values) - {*IDENTITY, "sex"}
    if unknown:
        raise ValueError(f"not a person field: {sorted(unknown)}")
    if "full_name" in values and not values["full_name"].strip():
        raise ValidationError({"full_name": [_("Enter the person's name as they give it.")]})
    _check_birth_date(values.get("birth_date"))
    changed = [
        name
        for name, value in values.items()
        if (value.strip() if isinstance(value, str) else value) != getattr(person, name)
    ]
    if not changed:
        return person
    old_sex = person.sex
    for name in changed:
        value = values[name]
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.save(update_fields=changed)
    audit(
        actor=actor,
        action="person.update",
        target=person,
        fields=[name for name in changed if name in IDENTITY],
        changes={"sex": [old_sex, person.sex]} if "sex" in changed else None,
    )
    from tirek.nrm.duplicates import MATCHED_FIELDS, signal_duplicates

    person.duplicate_signals = (
        signal_duplicates(actor=actor, person=person) if MATCHED_FIELDS & set(changed) else []
    )
    return person


def _check_birth_date(birth_date: datetime.date | None) -> None:
    if birth_date is not None and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": [_("A date of birth cannot be in the future.")]})


def person_viewed(*, actor, person: Person, fields=IDENTITY) -> None:
    """Every read of a person's identity is recorded (who, when, what)."""
    audit(actor=actor, action="person.view", target=person, fields=list(fields))


# --- Consent -------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor,
    person: Person,
    purpose: str,
    given_on: datetime.date,
    explained_in: str,
    recipient: Organisation | None = None,
    scope: list[str] | None = None,
) -> Consent:
    """``scope``: for sharing, what the person agreed to share (SharedCategory)."""
    errors: dict[str, list[str]] = {}
    scope = list(scope or [])
    if purpose == ConsentPurpose.SHARING and recipient is None:
        errors["recipient"] = [_("Name the organisation the person agreed to share with.")]
    if purpose == ConsentPurpose.SHARING and (not scope or set(scope) - set(SharedCategory.values)):
        errors["scope"] = [_("Tick what the person agreed to share.")]
    if purpose != ConsentPurpose.SHARING:
        recipient, scope = None, []
    if given_on > timezone.localdate():
        errors["given_on"] = [_("Consent cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        recipient=recipient,
        scope=scope,
        given_on=given_on,
        explained_in=explained_in,
        taken_by=actor,
    )
    audit(
        actor=actor,
        action="consent.record",
        target=person,
        changes={
            "purpose": [None, purpose],
            "recipient": [None, recipient.pk if recipient else None],
            "scope": [None, scope],
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Stops future sharing; those who already received the data see the withdrawal."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)  # see sharing_consent
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": [_("This consent was already withdrawn.")]})
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ValidationError(
            {"withdrawn_on": [_("The date must be between the consent and today.")]}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit(
        actor=actor,
        action="consent.withdraw",
        target=consent.person,
        changes={
            "purpose": [consent.purpose, consent.purpose],
            "withdrawn_on": [None, str(withdrawn_on)],
        },
    )
    return consent


def sharing_consent(person: Person, organisation: Organisation) -> Consent | None:
    """The consent in force right now for sharing with this organisation, if any."""
    # Locked (PostgreSQL) so that a withdrawal recorded at this very moment
    # waits for the share, or the share sees the withdrawal — never both pass.
    return (
        person.consents.select_for_update()
        .filter(purpose=ConsentPurpose.SHARING, recipient=organisation, withdrawn_on__isnull=True)
        .order_by("-given_on")
        .first()
    )


@transaction.atomic
def person_share(*, actor, person: Person, organisation: Organisation) -> Share:
    """Share with a named provider — only if the person consents at this moment."""
    if organisation.pk == person.organisation_id:
        raise ValidationError({"organisation": [_("The person is already registered there.")]})
    consent = sharing_consent(person, organisation)
    if consent is None:
        raise ValidationError(
            {
                "organisation": [
                    _(
                        "The person has not consented to sharing with this organisation, "
                        "or has withdrawn that consent. Nothing was shared."
                    )
                ]
            }
        )
    if set(SharedCategory.values) - set(consent.scope):
        # A whole record for a consent to part of it would bypass the scope:
        # a referral carries exactly what the consent names.
        raise ValidationError(
            {
                "organisation": [
                    _(
                        "The person agreed to share only part of their record with this "
                        "organisation. Send a referral instead: it carries only that part."
                    )
                ]
            }
        )
    share, created = Share.objects.get_or_create(
        person=person,
        organisation=organisation,
        defaults={"consent": consent, "shared_by": actor},
    )
    if created:
        audit(
            actor=actor,
            action="person.share",
            target=person,
            changes={"organisation": [None, organisation.pk], "consent": [None, consent.pk]},
        )
    return share


# --- Break-glass ---------------------------------------------------------------

BREAK_GLASS_MINUTES = 30
MINIMUM_REASON = 20


@transaction.atomic
def break_glass_open(*, actor, person: Person, reason: str) -> BreakGlass:
    """An administrator's emergency access: a written reason, a time limit, an
    audit entry and a notice to the Legal Aid Service's coordinators. The caller
    makes sure the administrator re-authenticated just before (the page does,
    with require_recent_authentication)."""
    errors: dict[str, list[str]] = {}
    if Role.ADMINISTRATOR not in actor.roles:
        raise ValidationError({"reason": [_("Only an administrator can use emergency access.")]})
    if len(reason.strip()) < MINIMUM_REASON:
        errors["reason"] = [
            _("Explain in at least %(count)d characters why you need this person's data.")
            % {"count": MINIMUM_REASON}
        ]
    if errors:
        raise ValidationError(errors)
    grant = BreakGlass.objects.create(
        user=actor,
        person=person,
        reason=reason.strip(),
        expires_at=timezone.now() + datetime.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    audit(actor=actor, action="break_glass.open", target=person, reason=reason.strip())
    transaction.on_commit(partial(_notify_coordinators, grant_id=grant.pk))
    return grant


def _notify_coordinators(*, grant_id: int) -> None:
    grant = BreakGlass.objects.select_related("user").get(pk=grant_id)
    recipients = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role_grants__role=Role.COORDINATOR,
            organisation__kind="legal_aid_service",
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    # No identity in the notice: the record key lets a coordinator ask why.
    send_mail(
        _("Emergency access to a person's record in Tirek"),
        _("%(admin)s opened emergency access to person %(key)s until %(until)s. Reason: %(reason)s")
        % {
            "admin": grant.user,
            "key": grant.person.record_key,
            "until": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M"),
            "reason": grant.reason,
        },
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
