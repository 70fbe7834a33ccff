"""Reads for the home page and lists (through the access policy)."""

from django.db.models import Min, Q
from django.utils import timezone

from tirek.accounts.roles import Role
from tirek.cases.models import Deadline
from tirek.protection.access import cases_visible_to


def home_summary(user) -> dict:
    """A lawyer's open cases and next deadlines; a coordinator's region at a glance."""
    summary: dict = {}
    visible = cases_visible_to(user)
    if Role.LAWYER in user.roles:
        own = visible.filter(lawyer=user, closed_at__isnull=True)
        summary["my_cases"] = list(
            own.select_related("criminal_case")
            .annotate(next_due=Min("deadlines__due_on", filter=Q(deadlines__done_at__isnull=True)))
            .order_by("-opened_at")[:10]
        )
        summary["my_deadlines"] = list(
            Deadline.objects.filter(case__in=own, done_at__isnull=True, due_on__isnull=False)
            .select_related("case")
            .order_by("due_on")[:5]
        )
    if Role.COORDINATOR in user.roles:
        summary["region_open_cases"] = visible.filter(closed_at__isnull=True).count()
        summary["region_overdue"] = Deadline.objects.filter(
            case__in=visible, done_at__isnull=True, due_on__lt=timezone.localdate()
        ).count()
    return summary
