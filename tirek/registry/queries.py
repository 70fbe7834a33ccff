"""Reads of the register, always through the access policy."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tirek.protection.access import register_entries_visible_to
from tirek.registry.models import Availability, RegisterEntry
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


def candidate_of(
    entry: RegisterEntry, *, conflict: bool = False, declined: bool = False
) -> Candidate:
    last = entry.last_assigned_at
    return Candidate(
        lawyer_id=entry.lawyer_id,
        label=str(entry.lawyer),
        region=entry.region,
        languages=tuple(entry.languages),
        capacity=entry.capacity,
        caseload=entry.caseload,
        availability=entry.availability,
        on_leave_until=entry.on_leave_until,
        gender=entry.gender,
        tip_certified_on=entry.tip_certified_on,
        tip_certificate_expires_on=entry.tip_certificate_expires_on,
        last_assigned_on=timezone.localdate(last) if last else None,
        conflict=conflict,
        declined=declined,
    )


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
    from tirek.cases.conflicts import conflicts_for

    entries = list(
        entries_for(user).exclude(availability=Availability.EXCLUDED).order_by("lawyer_id")
    )
    candidates = []
    for entry in entries:
        conflict = False
        if criminal_case is not None and entry.availability == Availability.AVAILABLE:
            conflict = bool(
                conflicts_for(lawyer=entry.lawyer, criminal_case=criminal_case, role=lawyer_role)
            )
        candidates.append(
            candidate_of(entry, conflict=conflict, declined=entry.lawyer_id in declined_by)
        )
    return rank(need, candidates)
