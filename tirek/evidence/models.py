"""Evidence in a lawyer's case: items, the legal elements they support, their
files (encrypted, hashed on the way in) and an append-only chain of custody.

Courts convict on a mosaic of evidence; a case resting on the victim's
testimony alone collapses if the victim withdraws. So every item says what it
proves (``ElementLink``) and whether it corroborates the victim's account
independently of their own testimony.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.audit.models import AppendOnlyModel
from tirek.cases.models import LegalAidCase, VersionedModel
from tirek.protection.fields import EncryptedTextField, ProtectedQuerySet, ProtectedRecord


class EvidenceKind(models.TextChoices):
    TESTIMONY = "testimony", _("Testimony")
    DOCUMENT = "document", _("Document")
    FINANCIAL = "financial", _("Financial record")
    TRAVEL_IDENTITY = "travel_identity", _("Travel or identity document")
    COMMUNICATIONS = "communications", _("Communications")
    DIGITAL = "digital", _("Digital or open-source material")
    MEDICAL = "medical", _("Medical record")
    EXPERT = "expert", _("Expert opinion")
    PHYSICAL = "physical", _("Physical object")
    INSPECTION = "inspection", _("Inspection record")


class EvidenceStatus(models.TextChoices):
    TO_OBTAIN = "to_obtain", _("To obtain")
    REQUESTED = "requested", _("Requested")
    OBTAINED = "obtained", _("Obtained")
    SUBMITTED = "submitted", _("Submitted to the investigator")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Rejected")


class EvidenceItem(ProtectedRecord, VersionedModel):
    case = models.ForeignKey(LegalAidCase, on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField(_("number in the case"))
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    description = EncryptedTextField(_("description"))
    source = EncryptedTextField(_("source"), blank=True, help_text=_("Who or where it comes from."))
    obtained_how = EncryptedTextField(_("how it was obtained"), blank=True)
    obtained_on = models.DateField(_("when it was obtained"), null=True, blank=True)
    holder = models.CharField(
        _("who holds it now"),
        max_length=200,
        blank=True,
        help_text=_("Never the victim's address."),
    )
    # The victim's own account (a statement, their diary): everything else
    # corroborates it independently.
    from_victim = models.BooleanField(_("the victim's own account"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.TO_OBTAIN
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    procedural_act = models.CharField(
        _("procedural act"),
        max_length=300,
        blank=True,
        help_text=_("The motion, record or decision that gave this status, with its date."),
    )
    admissibility_notes = EncryptedTextField(_("admissibility notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="evidence_number_in_case"),
        ]

    def __str__(self) -> str:
        return f"evidence {self.case_id}/{self.number}"

    @property
    def independent(self) -> bool:
        return not self.from_victim


class EvidenceStatusChange(AppendOnlyModel):
    """Each status an item went through, with its date and procedural act."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="status_history")
    status = models.CharField(max_length=20, choices=EvidenceStatus.choices)
    on = models.DateField()
    procedural_act = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "recorded_at"]


class Strength(models.TextChoices):
    WEAK = "weak", _("Weak")
    MODERATE = "moderate", _("Moderate")
    STRONG = "strong", _("Strong")


class ElementLink(models.Model):
    """An item supports one legal element (or aggravating circumstance) of
    the provision charged, as the lawyer assesses it."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    # "act", "means", "purpose", "age" or "circumstance:<code>" (law vocabulary).
    element = models.CharField(_("element"), max_length=60)
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices)
    note = models.CharField(_("why"), max_length=500, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["element", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "element"], name="evidence_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} supports {self.element}"


class FileState(models.TextChoices):
    STORED = "stored", _("Stored")
    QUARANTINED = "quarantined", _("Quarantined: the stored file no longer matches its hash")


class EvidenceFile(ProtectedRecord):
    """A file of an item: encrypted at rest under its own key (wrapped by
    the master key), its SHA-256 taken from the original on the way in."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)  # detected from the content
    original_name = EncryptedTextField(_("original file name"), blank=True)
    # Where the ciphertext lives in the evidence storage, and its wrapped key.
    storage_name = models.CharField(max_length=200, unique=True)
    wrapped_key = models.TextField()
    state = models.CharField(max_length=20, choices=FileState.choices, default=FileState.STORED)
    quarantined_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]


class CustodyKind(models.TextChoices):
    RECEIVED = "received", _("Received from")
    HANDED = "handed", _("Handed to")
    COPIED = "copied", _("Copied")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    VIEWED = "viewed", _("Viewed")
    UPLOADED = "uploaded", _("Uploaded")
    EXPORTED = "exported", _("Exported in a bundle")
    QUARANTINED = "quarantined", _("Quarantined")


class CustodyEvent(AppendOnlyModel):
    """One link of the chain of custody. Never changed, never removed."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    file = models.ForeignKey(
        EvidenceFile, on_delete=models.PROTECT, null=True, blank=True, related_name="custody"
    )
    kind = models.CharField(max_length=20, choices=CustodyKind.choices)
    counterpart = models.CharField(_("from or to whom"), max_length=200, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The file's hash as checked at that moment (empty when no file was involved).
    sha256_verified = models.CharField(max_length=64, blank=True)
    hash_matched = models.BooleanField(null=True)

    class Meta:
        ordering = ["occurred_at", "recorded_at"]
