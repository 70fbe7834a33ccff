"""Who works in Tirek: organisations, their users and the roles users hold."""

import base64
import re
import time
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from tirek.accounts.regions import Region
from tirek.accounts.roles import LEGAL_AID_KINDS, NRM_PROVIDER_KINDS, OrganisationKind, Role
from tirek.protection.fields import EncryptedTextField, ProtectedQuerySet, ProtectedRecord

__all__ = [
    "Organisation",
    "OrganisationKind",
    "RecoveryCode",
    "Region",
    "Role",
    "RoleGrant",
    "TotpDevice",
    "User",
]


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty for an organisation that works nationally."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_nrm_provider(self) -> bool:
        return self.kind in NRM_PROVIDER_KINDS

    @property
    def is_legal_aid_service(self) -> bool:
        return self.kind in LEGAL_AID_KINDS


class User(AbstractUser):
    """A person who works in Tirek (never a victim: those are persons in cases)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The roles held, read once per request (or from a prefetch)."""
        return frozenset(Role(grant.role) for grant in self.role_grants.all())

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


# --- Second factor -------------------------------------------------------------


class TotpDeviceManager(DeviceManager.from_queryset(ProtectedQuerySet)):
    """django-otp's manager (``devices_for_user``) over a protected queryset."""


class TotpDevice(ProtectedRecord, TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238) — the second factor every account needs.

    Unlike django-otp's ``TOTPDevice``, the shared secret is encrypted at rest
    (``EncryptedTextField``): a copy of the database does not let anyone
    produce codes. Codes are 6 digits over 30-second steps, one step of clock
    difference is tolerated either way, a code (or an older one) is never
    accepted twice (``last_t``), and wrong codes slow further attempts down
    exponentially (``ThrottlingMixin``: 1, 2, 4, 8 … seconds).
    """

    STEP = 30
    DIGITS = 6
    TOLERANCE = 1

    # Base32 without padding, as authenticator apps show and take it.
    secret = EncryptedTextField(_("secret key"))
    last_t = models.BigIntegerField(
        _("last time step used"),
        default=-1,
        help_text=_("A code is accepted only from a later time step (no replay)."),
    )

    objects = TotpDeviceManager()

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def key(self) -> bytes:
        secret = self.secret.upper()
        return base64.b32decode(secret + "=" * (-len(secret) % 8))

    def totp(self) -> TOTP:
        totp = TOTP(self.key, step=self.STEP, digits=self.DIGITS)
        totp.time = time.time()
        return totp

    def verify_token(self, token: object) -> bool:
        """Check a code; on success it and every earlier code are spent."""
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        text = str(token).replace(" ", "").strip()
        totp = self.totp()
        verified = bool(TOTP_CODE.fullmatch(text)) and totp.verify(
            int(text), tolerance=self.TOLERANCE, min_t=self.last_t + 1
        )
        if verified:
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save(update_fields=["last_t", *THROTTLE_FIELDS, "last_used_at"])
        else:
            self.throttle_increment(commit=False)
            self.save(update_fields=THROTTLE_FIELDS)
        return verified

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR


THROTTLE_FIELDS = ["throttling_failure_timestamp", "throttling_failure_count"]
TOTP_CODE = re.compile(r"[0-9]{6}")


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator app is lost.

    Only an Argon2 hash is kept (like a password); the code itself is shown
    once, when it is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(_("code (hashed)"), max_length=256)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.pk}"
