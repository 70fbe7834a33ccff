"""From a request for legal aid to a lawyer who accepted it.

A request reaches the Legal Aid Service from a referral or directly from a
caseworker. A coordinator chooses a lawyer from the ranked proposal
(tirek/registry/ranking.py), giving a reason when they pass over the first;
the lawyer accepts or declines within a time limit; acceptance opens the
case workspace and issues the numbered assignment order. Coordinators see a
request's needs, never the person's identity.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation
from tirek.accounts.regions import Region
from tirek.cases.models import LawyerRole, LegalAidCase
from tirek.people.models import Person
from tirek.protection.fields import EncryptedTextField, ProtectedQuerySet, ProtectedRecord


class Basis(models.TextChoices):
    """The basis of entitlement to state-guaranteed legal aid."""

    VICTIM_STATUS = "victim_status", _("Recognised as a victim of trafficking (NRM)")
    LEGAL_AID_LAW = "legal_aid_law", _("A category of the Law on state-guaranteed legal aid")


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting for a lawyer")
    OFFERED = "offered", _("Offered to a lawyer")
    ASSIGNED = "assigned", _("Assigned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GenderPreference(models.TextChoices):
    NONE = "", _("No preference")
    FEMALE = "female", _("A woman")
    MALE = "male", _("A man")


class LegalAidRequestQuerySet(ProtectedQuerySet):
    def waiting(self) -> "LegalAidRequestQuerySet":
        return self.filter(state__in=[RequestState.OPEN, RequestState.OFFERED])


class LegalAidRequest(ProtectedRecord):
    number = models.CharField(_("request number"), max_length=30, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_aid_requests")
    referral = models.OneToOneField(
        "nrm.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_aid_request",
    )
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="legal_aid_requests_sent"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_aid_office = models.ForeignKey(
        Organisation,
        verbose_name=_("Legal Aid Service office"),
        on_delete=models.PROTECT,
        related_name="legal_aid_requests_received",
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    languages = models.JSONField(_("languages the person speaks"), default=list)
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    gender_preference = models.CharField(
        _("the person asked for a lawyer who is"),
        max_length=10,
        choices=GenderPreference.choices,
        blank=True,
    )
    child = models.BooleanField(_("the person is a child"), default=False)
    lawyer_role = models.CharField(
        _("the lawyer will act as"),
        max_length=40,
        choices=LawyerRole.choices,
        default=LawyerRole.VICTIM_REPRESENTATIVE,
    )
    basis = models.CharField(_("basis of entitlement"), max_length=20, choices=Basis.choices)
    status_decision = models.ForeignKey(
        "nrm.StatusDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A document's number and date; encrypted because people type names into it.
    basis_reference = EncryptedTextField(_("reference of the basis"), blank=True)
    criminal_case_number = models.CharField(
        _("number of the criminal case, if known"), max_length=60, blank=True
    )
    # What the lawyer needs to know before accepting; never the person's name.
    summary = EncryptedTextField(
        _("what the person needs help with"),
        blank=True,
        help_text=_("Do not write the person's name or whereabouts here."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    received_at = models.DateTimeField(_("received"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    case = models.OneToOneField(
        LegalAidCase, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    objects = LegalAidRequestQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["state", "region", "received_at"], name="requests_waiting"),
        ]

    def __str__(self) -> str:
        return self.number


class AssignmentState(models.TextChoices):
    OFFERED = "offered", _("Awaiting the lawyer's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn by the coordinator")


class AssignmentQuerySet(models.QuerySet):
    def unanswered_past(self, moment) -> "AssignmentQuerySet":
        return self.filter(state=AssignmentState.OFFERED, respond_by__lt=moment)


class Assignment(models.Model):
    """One offer of a request to one lawyer, and the lawyer's answer."""

    request = models.ForeignKey(
        LegalAidRequest, on_delete=models.PROTECT, related_name="assignments"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The lawyer's place in the proposal when chosen (1 = first), the first
    # lawyer then, and the reason for passing over them.
    rank = models.PositiveSmallIntegerField(null=True)
    first_ranked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    override_reason = models.TextField(_("why not the first in the ranking"), blank=True)
    # The proposal as the coordinator saw it: [{lawyer, rank, score, reasons, exclusions}].
    proposal = models.JSONField(default=list)
    state = models.CharField(
        max_length=20, choices=AssignmentState.choices, default=AssignmentState.OFFERED
    )
    offered_at = models.DateTimeField()
    respond_by = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at"]
        indexes = [
            models.Index(fields=["lawyer", "state"], name="assignments_of_lawyer"),
            models.Index(fields=["state", "respond_by"], name="assignments_by_deadline"),
        ]
        constraints = [
            # One offer at a time for a request.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(state="offered"),
                name="assignment_one_open_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"assignment {self.pk}"


class AssignmentOrder(models.Model):
    """The numbered order that assigns the lawyer: its entry in the register
    of orders. The documents are rendered from it (tirek/assignment/order.py)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="order")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("order number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_aid_office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="order_number_once"),
        ]

    def __str__(self) -> str:
        return self.number
