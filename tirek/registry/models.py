"""The register of state-guaranteed legal aid lawyers: one entry per lawyer.

The entry holds what the Legal Aid Service needs to propose a lawyer for a
request (tirek/registry/ranking.py): where and in which languages the lawyer
works, their TIP certification, how many open cases they can take, and
whether they are available at all. The current caseload is never stored:
it is the count of the lawyer's open cases (``with_caseload``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tirek.accounts.regions import Region


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")


class Specialisation(models.TextChoices):
    TRAFFICKING = "trafficking", _("Human trafficking")
    CRIMINAL = "criminal", _("Criminal law")
    CIVIL = "civil", _("Civil law")
    LABOUR = "labour", _("Labour law")
    MIGRATION = "migration", _("Migration law")
    FAMILY = "family", _("Family law")
    CHILDREN = "children", _("Children's rights")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_LEAVE = "on_leave", _("On leave")
    SUSPENDED = "suspended", _("Suspended")
    EXCLUDED = "excluded", _("Excluded from the register")


class RegisterEntryQuerySet(models.QuerySet):
    def with_caseload(self) -> "RegisterEntryQuerySet":
        """Annotate ``caseload`` (open cases) and ``last_assigned_at``.

        Correlated sub-selects, one query for the whole list however many
        entries or cases there are.
        """
        from tirek.cases.models import LegalAidCase

        lawyer_cases = LegalAidCase.objects.filter(lawyer=models.OuterRef("lawyer_id"))
        open_count = (
            lawyer_cases.filter(closed_at__isnull=True)
            .order_by()
            .values("lawyer")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        last = lawyer_cases.order_by("-opened_at").values("opened_at")[:1]
        return self.annotate(
            caseload=Coalesce(models.Subquery(open_count), 0),
            last_assigned_at=models.Subquery(last),
        )

    def certified_on(self, day: datetime.date) -> "RegisterEntryQuerySet":
        return self.filter(tip_certified_on__lte=day, tip_certificate_expires_on__gte=day)

    def not_certified_on(self, day: datetime.date) -> "RegisterEntryQuerySet":
        return self.exclude(pk__in=self.model.objects.certified_on(day).values("pk"))

    def speaking(self, language: str) -> "RegisterEntryQuerySet":
        # JSON text match: works the same on SQLite and PostgreSQL.
        return self.filter(languages__icontains=f'"{language}"')


class RegisterEntry(models.Model):
    lawyer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lawyer"),
        on_delete=models.PROTECT,
        related_name="register_entry",
    )
    licence_number = models.CharField(_("licence number"), max_length=40, unique=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    districts = models.JSONField(_("districts served"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    specialisations = models.JSONField(_("specialisations"), default=list, blank=True)
    tip_certified_on = models.DateField(_("TIP certificate issued"), null=True, blank=True)
    tip_certificate_expires_on = models.DateField(
        _("TIP certificate expires"), null=True, blank=True
    )
    capacity = models.PositiveSmallIntegerField(_("capacity (open cases at most)"), default=10)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    on_leave_until = models.DateField(_("on leave until"), null=True, blank=True)
    availability_reason = models.CharField(
        _("reason (suspension or exclusion)"), max_length=300, blank=True
    )
    availability_changed_on = models.DateField(
        _("date of suspension or exclusion"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["licence_number"]
        indexes = [models.Index(fields=["region", "licence_number"], name="register_by_region")]

    def __str__(self) -> str:
        return self.licence_number

    def certified_on(self, day: datetime.date) -> bool:
        return bool(
            self.tip_certified_on
            and self.tip_certificate_expires_on
            and self.tip_certified_on <= day <= self.tip_certificate_expires_on
        )
