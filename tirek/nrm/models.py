"""Identification and referral (the National Referral Mechanism).

A caseworker screens a person against the indicator content and the law
engine; the authorised body decides on victim status (recorded here by a
person, never by Tirek); the person is referred to services under their
consent; a possible duplicate registration is signalled without showing
anything of the other organisation's record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation
from tirek.people.models import Consent, Person
from tirek.protection.fields import EncryptedTextField, ProtectedQuerySet, ProtectedRecord


class Recommendation(models.TextChoices):
    """What a screening suggests; a person decides (tirek/law/screening.py)."""

    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    REFER_FOR_IDENTIFICATION = "refer_for_identification", _("Refer for identification")
    NO_INDICATION = "no_indication", _("No indication of trafficking")


class Screening(ProtectedRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(_("screened on"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The engine's input, as codes of the vocabulary (tirek/law/facts.py).
    facts = models.JSONField(default=dict)
    # Indicator ids of tirek/law/content/indicators.yaml that the caseworker observed.
    indicators = models.JSONField(default=list)
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices)
    situation = EncryptedTextField(
        _("the situation in the caseworker's words"),
        blank=True,
        help_text=_("What you saw and heard. Never copy documents here."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_on", "-created_at"]

    def __str__(self) -> str:
        return f"screening {self.pk}"


class StatusOutcome(models.TextChoices):
    RECOGNISED = "recognised", _("Recognised as a victim of trafficking")
    REFUSED = "refused", _("Refused")


class StatusDecision(ProtectedRecord):
    """The authorised body's decision on victim status, as a person recorded it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=StatusOutcome.choices)
    decided_on = models.DateField(_("date of the decision"))
    authority = models.CharField(_("body that decided"), max_length=200)
    decision_maker = models.CharField(_("decision-maker (name and position)"), max_length=200)
    document_number = models.CharField(_("number of the document issued"), max_length=80)
    grounds = EncryptedTextField(_("grounds"))
    # A refusal can be challenged; these record whether and when it was.
    challenge_until = models.DateField(_("can be challenged until"), null=True, blank=True)
    challenged_on = models.DateField(_("challenged on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"status decision {self.document_number}"


class Service(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SOCIAL = "social", _("Social and material assistance")
    RETURN = "return", _("Return and reintegration")


class ReferralState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL_STATES = (ReferralState.SENT, ReferralState.ACKNOWLEDGED, ReferralState.ACCEPTED)


class ReferralQuerySet(ProtectedQuerySet):
    def unacknowledged_past(self, moment) -> "ReferralQuerySet":
        """Sent, not acknowledged, and the time set for it has run out."""
        return self.filter(state=ReferralState.SENT, acknowledge_by__lt=moment)


class Referral(ProtectedRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The consent in force when it was sent, and what that consent let it carry.
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    carries = models.JSONField(default=list)
    message = EncryptedTextField(_("message to the provider"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ReferralState.choices, default=ReferralState.SENT
    )
    sent_at = models.DateTimeField(_("sent"))
    acknowledge_by = models.DateTimeField(_("to be acknowledged by"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Why it was declined or withdrawn, or the outcome when completed.
    answer = EncryptedTextField(_("reason or outcome"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_organisation", "state"], name="referrals_received"),
            models.Index(fields=["state", "acknowledge_by"], name="referrals_by_deadline"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class DuplicateSignal(models.Model):
    """Two organisations registered what may be the same person.

    Neither organisation learns anything of the other's record from Tirek;
    a coordinator, who sees only the two organisations, puts them in touch.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    known_as = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # Which blind indexes matched: "name_and_birth_date", "document_number".
    matched_on = models.JSONField(default=list)
    signalled_at = models.DateTimeField(auto_now_add=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-signalled_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "known_as"], name="nrm_duplicate_once"),
        ]

    def __str__(self) -> str:
        return f"possible duplicate {self.pk}"
