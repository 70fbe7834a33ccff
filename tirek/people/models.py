"""The people Tirek helps, their consent, and with whom their data is shared.

Identity and location are encrypted fields (tirek/protection/fields.py):
declaring a field encrypted is all a model does to protect it. Everything
else about a person here carries no identity.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation
from tirek.lib.crypto import normalise_document_number
from tirek.protection.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedTextField,
    ProtectedQuerySet,
    ProtectedRecord,
)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Not stated")


class SpokenLanguage(models.TextChoices):
    """Languages a person may be spoken to in (not only the interface's three)."""

    KYRGYZ = "ky", _("Kyrgyz")
    RUSSIAN = "ru", _("Russian")
    UZBEK = "uz", _("Uzbek")
    TAJIK = "tg", _("Tajik")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Another language")


class PersonQuerySet(ProtectedQuerySet):
    def current(self) -> "PersonQuerySet":
        return self.filter(erased_at__isnull=True)


class Person(ProtectedRecord):
    """A presumed or identified victim of trafficking."""

    full_name = EncryptedTextField(_("full name"))
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    document_number = EncryptedTextField(_("identity or passport number"), blank=True)
    phone = EncryptedTextField(_("phone number"), blank=True)
    address = EncryptedTextField(_("home address"), blank=True)
    whereabouts = EncryptedTextField(
        _("where the person is now"),
        blank=True,
        help_text=_("Shelter, city or other place. Never share it with anyone without need."),
    )

    # Exact-match lookups without plaintext (for duplicates and conflicts).
    full_name_index = BlindIndexField(source="full_name", domain="person-name")
    birth_date_index = BlindIndexField(source="birth_date", domain="birth-date")
    document_number_index = BlindIndexField(
        source="document_number",
        domain="document-number",
        normaliser=normalise_document_number,
    )

    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_people",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # Erasure keeps the row (for references and the audit trail) without identity.
    erased_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_("Never erased while set, for example while evidence is needed in a case."),
    )

    objects = PersonQuerySet.as_manager()

    IDENTITY_FIELDS = (
        "full_name",
        "birth_date",
        "document_number",
        "phone",
        "address",
        "whereabouts",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at"]
        indexes = [
            # A caseworker's list: their organisation's people, newest first.
            models.Index(
                fields=["organisation", "-created_at"],
                name="people_by_organisation",
                condition=models.Q(erased_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.record_key}"


class ConsentPurpose(models.TextChoices):
    LEGAL_REPRESENTATION = "legal_representation", _("Legal representation")
    SHARING = "sharing", _("Sharing with a named service provider")
    STATISTICS = "statistics", _("Use in anonymised statistics")


class SharedCategory(models.TextChoices):
    """What a sharing consent lets Tirek carry to the named provider."""

    IDENTITY = "identity", _("Name, date of birth and sex")
    DOCUMENT = "document", _("Identity or passport number")
    CONTACT = "contact", _("Phone and home address")
    WHEREABOUTS = "whereabouts", _("Where the person is now")
    SITUATION = "situation", _("The situation and the decision on victim status")


# The person's fields each category carries.
CATEGORY_FIELDS = {
    SharedCategory.IDENTITY: ("full_name", "birth_date", "sex"),
    SharedCategory.DOCUMENT: ("document_number",),
    SharedCategory.CONTACT: ("phone", "address"),
    SharedCategory.WHEREABOUTS: ("whereabouts",),
    SharedCategory.SITUATION: (),
}


class Consent(models.Model):
    """Informed consent for one purpose, as the person gave it; withdrawable."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_on = models.DateField(_("given on"))
    explained_in = models.CharField(_("explained in"), max_length=8, choices=SpokenLanguage.choices)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # For sharing: the categories (SharedCategory) the person agreed to share.
    scope = models.JSONField(_("what may be shared"), default=list, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="sharing", recipient__isnull=False)
                | (~models.Q(purpose="sharing") & models.Q(recipient__isnull=True)),
                name="people_consent_recipient_only_for_sharing",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.purpose})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Share(models.Model):
    """A person's data made available to another organisation, under a consent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="people_share_once"),
        ]

    def __str__(self) -> str:
        return f"share {self.pk}"


class BreakGlass(models.Model):
    """An administrator's emergency, time-limited, audited access to one person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"break-glass {self.pk} until {self.expires_at:%Y-%m-%d %H:%M}"
