"""Interviews of a client or a witness in a lawyer's case (issue 6): the plan,
held against the law before it may be finalised; the record of the interview
held; the trauma-informed checklists ticked; and the person's one statement.

The rules, topics, accommodations and checklists are law content
(tirek/law/content/interviews.yaml): these models store only their codes.

"Tell your story once": a person has one ``Statement`` per case, and every
retelling adds a ``StatementVersion`` — nothing is ever overwritten, so the
account a later interviewer refers to is the one the person gave.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.audit.models import AppendOnlyModel, AppendOnlyQuerySet
from tirek.cases.models import LegalAidCase, VersionedModel
from tirek.evidence.models import EvidenceItem
from tirek.protection.fields import (
    BlindIndexField,
    EncryptedTextField,
    ProtectedQuerySet,
    ProtectedRecord,
)


class Audience(models.TextChoices):
    """Whom a plan is for; the codes are tirek.law.interviews.PLAN_AUDIENCES."""

    ADULT = "adult", _("The client (an adult victim)")
    CHILD = "child", _("The client (a child victim)")
    WITNESS = "witness", _("An adult witness")
    WITNESS_CHILD = "witness_child", _("A child witness")


CLIENT_AUDIENCES = (Audience.ADULT, Audience.CHILD)


class InterviewerGender(models.TextChoices):
    NONE = "", _("No preference")
    FEMALE = "female", _("A woman")
    MALE = "male", _("A man")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALISED = "finalised", _("Finalised")
    HELD = "held", _("Held")


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class InterviewPlan(ProtectedRecord, VersionedModel):
    case = models.ForeignKey(LegalAidCase, on_delete=models.PROTECT, related_name="interview_plans")
    audience = models.CharField(_("who is interviewed"), max_length=20, choices=Audience.choices)
    # Only for a witness; the client is the case's client.
    witness_name = EncryptedTextField(_("witness's name"), blank=True)
    witness_name_index = BlindIndexField(source="witness_name", domain="person-name")
    witness_age = models.PositiveSmallIntegerField(_("witness's age"), null=True, blank=True)
    purpose = EncryptedTextField(_("purpose"), blank=True)
    # Element keys (act, means, purpose, age, circumstances) and topic codes of
    # the content.
    elements = models.JSONField(_("elements to cover"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    planned_on = models.DateField(_("planned for"))
    continuous_minutes = models.PositiveIntegerField(_("longest stretch without a break (minutes)"))
    day_minutes = models.PositiveIntegerField(_("total on the day (minutes)"))
    # Accommodation codes of the content: the people present and arrangements.
    present = models.JSONField(_("people present and arrangements"), default=list, blank=True)
    needs = models.JSONField(_("what the person needs"), default=list, blank=True)
    recording = models.BooleanField(_("recording planned"), default=False)
    confrontation = models.BooleanField(_("confrontation with the accused planned"), default=False)
    interviewer_gender = models.CharField(
        _("interviewer the person asked for"),
        max_length=10,
        choices=InterviewerGender.choices,
        blank=True,
        default=InterviewerGender.NONE,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview plan")
        verbose_name_plural = _("interview plans")
        ordering = ["-planned_on", "-created_at"]

    def __str__(self) -> str:
        return f"interview plan {self.pk} ({self.audience})"

    @property
    def of_client(self) -> bool:
        return self.audience in CLIENT_AUDIENCES

    @property
    def age(self) -> int | None:
        """On the planned day: from the client's date of birth (read fresh, so a
        corrected date counts), or as entered for a witness."""
        if not self.of_client:
            return self.witness_age
        born = self.case.client.birth_date
        return age_on(born, self.planned_on) if born else None


class InterviewRecord(ProtectedRecord):
    """An interview or questioning held. Without a plan, an earlier questioning
    of the client (by the investigator, say) that Tirek did not plan: it still
    counts when the next plan is held against the person's history."""

    case = models.ForeignKey(
        LegalAidCase, on_delete=models.PROTECT, related_name="interview_records"
    )
    plan = models.OneToOneField(
        InterviewPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="record"
    )
    held_on = models.DateField(_("held on"))
    place = EncryptedTextField(_("place"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    present = models.JSONField(_("people present and arrangements"), default=list, blank=True)
    topics = models.JSONField(_("topics covered"), default=list, blank=True)
    deviations = EncryptedTextField(_("departures from the plan"), blank=True)
    notes = EncryptedTextField(_("notes or transcript"), blank=True)
    recorded = models.BooleanField(_("recorded on audio or video"), default=False)
    evidence = models.ForeignKey(
        EvidenceItem,
        verbose_name=_("testimony in the evidence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"interview record {self.pk}"

    @property
    def statement_pointer(self) -> str:
        """What a repeat warning points to: the testimony in the evidence
        ("evidence:<number>") or, without one, this record ("interview:<id>")."""
        if self.evidence_id:
            return f"evidence:{self.evidence.number}"
        return f"interview:{self.pk}"


class ChecklistMoment(models.TextChoices):
    BEFORE = "before", _("Before the interview")
    AFTER = "after", _("After the interview")


class ChecklistTick(models.Model):
    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="ticks")
    moment = models.CharField(max_length=10, choices=ChecklistMoment.choices)
    item = models.CharField(max_length=80)  # a checklist id of the content
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "moment", "item"], name="interviews_tick_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.moment} {self.item}"


class Statement(ProtectedRecord):
    """The one canonical account of a person in a case: the client's (no
    witness name) or a witness's, told once and referred to afterwards."""

    case = models.ForeignKey(LegalAidCase, on_delete=models.PROTECT, related_name="statements")
    witness_name = EncryptedTextField(_("witness's name"), blank=True)
    witness_name_index = BlindIndexField(source="witness_name", domain="person-name")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "witness_name_index"], name="interviews_statement_once"
            ),
        ]

    def __str__(self) -> str:
        return f"statement {self.pk}"

    @property
    def of_client(self) -> bool:
        return not self.witness_name_index

    def current(self) -> "StatementVersion | None":
        return self.versions.order_by("-number").first()


class AppendOnlyProtectedQuerySet(AppendOnlyQuerySet, ProtectedQuerySet):
    pass


class StatementVersion(ProtectedRecord, AppendOnlyModel):
    """One telling of the account. Never changed, never removed: a correction
    is a new version. The consent is to reuse *this* text, so that the person
    need not tell it again."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = EncryptedTextField(_("account"))
    reuse_consent = models.BooleanField(_("the person agrees that this account is reused"))
    reuse_consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement version")
        verbose_name_plural = _("statement versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="interviews_statement_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id} v{self.number}"
