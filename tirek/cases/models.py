"""The lawyer's case: the client, the linked criminal case, its parties,
the timeline, deadlines, the state of each next action, and notes.

Stages, decisions, deadline rules and the playbook are law content
(tirek/law/procedure.py), not code: these models store only their codes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation
from tirek.accounts.regions import Region
from tirek.lib.crypto import normalise_document_number
from tirek.people.models import Person
from tirek.protection.fields import (
    BlindIndexField,
    EncryptedTextField,
    ProtectedQuerySet,
    ProtectedRecord,
)


class LawyerRole(models.TextChoices):
    VICTIM_REPRESENTATIVE = "victim_representative", _("Representative of the victim")
    DEFENCE_COUNSEL = "defence_counsel", _("Defence counsel of an accused")
    CIVIL_CLAIMANT_REPRESENTATIVE = (
        "civil_claimant_representative",
        _("Representative of a civil claimant"),
    )


class LegalAidBasis(models.TextChoices):
    NRM_VICTIM_STATUS = "nrm_victim_status", _("Victim status recognised by the NRM")
    LEGAL_AID_DECISION = "legal_aid_decision", _("Decision of the Legal Aid Service")
    COURT_OR_INVESTIGATOR = "appointment", _("Appointment by the investigator or court")


class Safety(models.TextChoices):
    NO_KNOWN_THREAT = "no_known_threat", _("No known threat")
    THREATENED = "threatened", _("Threatened")
    UNDER_PROTECTION = "under_protection", _("Under state protection measures")


class VersionedModel(models.Model):
    """Optimistic concurrency: every change names the version it started from."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class CriminalCase(VersionedModel):
    """The criminal proceedings a legal aid case is about (several lawyers'
    cases — victims' and accused persons' — may link to the same one)."""

    register_number = models.CharField(
        _("number in the Unified Register"), max_length=60, unique=True
    )
    investigating_body = models.CharField(_("investigating body"), max_length=200, blank=True)
    investigator = models.CharField(_("investigator"), max_length=200, blank=True)
    prosecutor = models.CharField(_("prosecutor"), max_length=200, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    # [{"instrument": "kg-cc-2021", "article": "166", "part": "2"}], from the law content.
    charges = models.JSONField(_("articles charged"), default=list, blank=True)
    # The same, as text ("kg-cc-2021 166.2"), for search.
    charge_codes = models.CharField(max_length=300, blank=True, editable=False)
    offence_date = models.DateField(_("date of the offence"), null=True, blank=True)
    offence_place = models.CharField(_("place of the offence"), max_length=200, blank=True)
    linked_to = models.ForeignKey(
        "self",
        verbose_name=_("linked criminal case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A case split from or joined with this one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")

    def __str__(self) -> str:
        return self.register_number


class LegalAidCaseQuerySet(ProtectedQuerySet):
    def open(self) -> "LegalAidCaseQuerySet":
        return self.filter(closed_at__isnull=True)

    def with_next_due(self) -> "LegalAidCaseQuerySet":
        """Annotate ``next_due``, the earliest open deadline.

        A correlated sub-select, evaluated for the rows shown only: an
        aggregate (``Min`` over a join) groups every visible case's deadlines
        before the page is cut, about a second for a national coordinator.
        """
        first_open = (
            Deadline.objects.filter(
                case=models.OuterRef("pk"), done_at__isnull=True, due_on__isnull=False
            )
            .order_by("due_on")
            .values("due_on")[:1]
        )
        return self.annotate(next_due=models.Subquery(first_open))


class LegalAidCase(ProtectedRecord, VersionedModel):
    """A lawyer's state-guaranteed legal aid case for one client."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    client = models.ForeignKey(
        Person, verbose_name=_("client"), on_delete=models.PROTECT, related_name="legal_aid_cases"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lawyer"),
        on_delete=models.PROTECT,
        related_name="legal_aid_cases",
    )
    law_office = models.ForeignKey(
        Organisation, verbose_name=_("law office"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    lawyer_role = models.CharField(
        _("the lawyer acts as"), max_length=40, choices=LawyerRole.choices
    )
    legal_aid_basis = models.CharField(
        _("basis of legal aid"), max_length=30, choices=LegalAidBasis.choices
    )
    basis_reference = models.CharField(
        _("decision or status reference"), max_length=120, blank=True
    )
    client_languages = models.JSONField(_("languages the client speaks"), default=list)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    safety = models.CharField(
        _("client's safety"), max_length=20, choices=Safety.choices, default=Safety.NO_KNOWN_THREAT
    )
    safety_notes = EncryptedTextField(_("safety notes"), blank=True)
    criminal_case = models.ForeignKey(
        CriminalCase,
        verbose_name=_("criminal case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_aid_cases",
    )
    stage = models.CharField(_("stage"), max_length=30, default="registration")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = LegalAidCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal aid case")
        verbose_name_plural = _("legal aid cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["lawyer", "-opened_at"], name="cases_by_lawyer"),
            models.Index(fields=["region", "-opened_at"], name="cases_by_region"),
            # The national coordinator's list: every case, newest first.
            models.Index(fields=["-opened_at"], name="cases_by_opening"),
        ]

    def __str__(self) -> str:
        return self.number


class PartyRole(models.TextChoices):
    ACCUSED = "accused", _("Accused or suspect")
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative of a minor")
    INTERPRETER = "interpreter", _("Interpreter")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PEDAGOGUE = "pedagogue", _("Pedagogue")


class Party(ProtectedRecord):
    """Another participant in the criminal case. Names are personal data:
    encrypted, and matched for conflicts only through blind indexes."""

    criminal_case = models.ForeignKey(
        CriminalCase, on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=30, choices=PartyRole.choices)
    full_name = EncryptedTextField(_("full name"))
    document_number = EncryptedTextField(_("identity or passport number"), blank=True)
    full_name_index = BlindIndexField(source="full_name", domain="person-name")
    document_number_index = BlindIndexField(
        source="document_number",
        domain="document-number",
        normaliser=normalise_document_number,
    )
    represented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("represented by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "added_at"]

    def __str__(self) -> str:
        return f"party {self.pk} ({self.role})"


class EventKind(models.TextChoices):
    PROCEDURAL_ACTION = "procedural_action", _("Procedural action")
    HEARING = "hearing", _("Hearing")
    INTERROGATION = "interrogation", _("Questioning")
    DECISION = "decision", _("Decision")
    DOCUMENT_RECEIVED = "document_received", _("Document received")
    MEETING = "meeting", _("Meeting with the client")


class CaseEvent(models.Model):
    """One dated entry of the timeline."""

    case = models.ForeignKey(LegalAidCase, on_delete=models.CASCADE, related_name="events")
    # A code of the procedure content's event kinds (tirek/law/procedure.py).
    kind = models.CharField(_("kind"), max_length=30)
    decision = models.CharField(_("decision"), max_length=40, blank=True)
    occurred_on = models.DateField(_("date"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("time"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_on", "-recorded_at"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="events_by_case")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class Deadline(models.Model):
    """A time limit computed from the law content when an event is recorded."""

    case = models.ForeignKey(LegalAidCase, on_delete=models.CASCADE, related_name="deadlines")
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(_("rule"), max_length=60)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    basis = models.CharField(_("legal basis"), max_length=300)
    verification = models.CharField(_("verification"), max_length=12)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deadlines"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["responsible", "due_on"], name="deadlines_by_lawyer"),
            # Overdue views: open deadlines by date, without the done ones.
            models.Index(
                fields=["due_on"],
                name="open_deadlines_by_due",
                condition=models.Q(done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.due_on}"

    @property
    def content(self):
        """The rule as the law content states it (title, whose limit it is)."""
        from tirek.law import procedure

        try:
            return procedure.deadline_rule(self.rule)
        except ValueError:  # a rule retired from the content since
            return None

    @property
    def is_authoritys(self) -> bool:
        rule = self.content
        return bool(rule and rule.deadline and rule.deadline.party == "authority")


class ActionState(models.TextChoices):
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    POSTPONED = "postponed", _("Postponed")


class CaseAction(models.Model):
    """What the lawyer decided about one step of the playbook."""

    case = models.ForeignKey(LegalAidCase, on_delete=models.CASCADE, related_name="actions")
    step = models.CharField(_("step"), max_length=60)
    state = models.CharField(_("state"), max_length=20, choices=ActionState.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    postponed_until = models.DateField(_("postponed until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="cases_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.state}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    DOCUMENT_RECEIVED = "document_received", _("Document received")


class CaseNote(VersionedModel):
    """Privileged work product: only the case's lawyer ever reads it."""

    case = models.ForeignKey(LegalAidCase, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=20, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ConflictClearance(models.Model):
    """A coordinator's written decision that a found conflict does not bar the lawyer."""

    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"clearance {self.pk}"
