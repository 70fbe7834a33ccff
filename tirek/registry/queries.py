"""Reads of the register, always through the access policy."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tirek.protection.access import register_entries_visible_to
from tirek.registry.models import Availability
from tirek.registry.ranking import Candidate, Need, Ranked, rank


@dataclass(frozen=True)
class Filters:
    region: str = ""
    language: str = ""
    certified: str = ""  # "yes", "no" or "" (either)
    availability: str = ""


def entries_for(user, filters: Filters = Filters()) -> QuerySet:
    """The entries a user may see, filtered, with their caseload: one query."""
    entries = register_entries_visible_to(user)
    if filters.region:
        entries = entries.filter(region=filters.region)
    if filters.language:
        entries = entries.speaking(filters.language)
    today = timezone.localdate()
    if filters.certified == "yes":
        entries = entries.certified_on(today)
    elif filters.certified == "no":
        entries = entries.not_certified_on(today)
    if filters.availability:
        entries = entries.filter(availability=filters.availability)
    return entries.select_related("lawyer", "lawyer__organisation").with_caseload()


def proposal(
    user,
    *,
    need: Need,
    criminal_case=None,
    lawyer_role: str = "victim_representative",
    declined_by: frozenset[int] = frozenset(),
) -> list[Ranked]:
    """Every entry the coordinator may see, ranked for the request.

    Suspended lawyers and those on leave or without capacity are listed too
    (last, with why), so a coordinator sees the whole picture; lawyers
    excluded from the register are left out. The conflict check runs only when the
    criminal case is known — one check per candidate still in the running.
    ``declined_by``: lawyers who already declined the request or let it expire.
    """
    from tirek.accounts.models import User
    from tirek.cases.conflicts import conflicts_for

    # Plain rows, not model instances: the national coordinator ranks the
    # whole country's register (3,000 lawyers) for every request.
    rows = list(
        register_entries_visible_to(user)
        .exclude(availability=Availability.EXCLUDED)
        .order_by("lawyer_id")
        .values(*CANDIDATE_COLUMNS, "lawyer__first_name", "lawyer__last_name", "lawyer__username")
    )
    caseloads, last_assigned = _caseloads()
    conflicted: set[int] = set()
    if criminal_case is not None:
        available = [
            row["lawyer_id"] for row in rows if row["availability"] == Availability.AVAILABLE
        ]
        for lawyer in User.objects.filter(pk__in=available):
            if conflicts_for(lawyer=lawyer, criminal_case=criminal_case, role=lawyer_role):
                conflicted.add(lawyer.pk)
    candidates = []
    for row in rows:
        lawyer_id = row["lawyer_id"]
        last = last_assigned.get(lawyer_id)
        name = f"{row['lawyer__first_name']} {row['lawyer__last_name']}".strip()
        candidates.append(
            Candidate(
                lawyer_id=lawyer_id,
                label=name or row["lawyer__username"],
                region=row["region"],
                languages=tuple(row["languages"]),
                capacity=row["capacity"],
                caseload=caseloads.get(lawyer_id, 0),
                availability=row["availability"],
                on_leave_until=row["on_leave_until"],
                gender=row["gender"],
                tip_certified_on=row["tip_certified_on"],
                tip_certificate_expires_on=row["tip_certificate_expires_on"],
                last_assigned_on=timezone.localdate(last) if last else None,
                conflict=lawyer_id in conflicted,
                declined=lawyer_id in declined_by,
            )
        )
    return rank(need, candidates)


CANDIDATE_COLUMNS = (
    "lawyer_id",
    "region",
    "languages",
    "capacity",
    "availability",
    "on_leave_until",
    "gender",
    "tip_certified_on",
    "tip_certificate_expires_on",
)


def _caseloads() -> tuple[dict[int, int], dict[int, object]]:
    """Every lawyer's open cases and last assignment: two grouped queries
    over the cases instead of two sub-selects per register entry."""
    from django.db.models import Count, Max

    from tirek.cases.models import LegalAidCase

    cases = LegalAidCase.objects.order_by()
    open_counts = dict(
        cases.filter(closed_at__isnull=True)
        .values("lawyer_id")
        .annotate(count=Count("pk"))
        .values_list("lawyer_id", "count")
    )
    last = dict(
        cases.values("lawyer_id").annotate(last=Max("opened_at")).values_list("lawyer_id", "last")
    )
    return open_counts, last
