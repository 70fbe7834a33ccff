"""The coordinator's board: what is waiting, and where, in one page.

Every section is scoped to the coordinator's region (the whole country for
the national Legal Aid Service, which may narrow it to one region), and no
section ever carries a person's identity: each returns plain rows built
from named columns, so a template has no path from a row to a person.

Each section costs a fixed number of queries however many rows there are:
counts are aggregates, lists are capped at ``LIST_LIMIT`` rows, and every
relation shown is joined in the same query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.regions import Region
from tirek.accounts.roles import Role
from tirek.assignment.models import Assignment, AssignmentState, RequestState
from tirek.nrm.models import DuplicateSignal, Referral, Service
from tirek.people.models import SpokenLanguage
from tirek.protection.access import legal_aid_requests_visible_to, register_entries_visible_to
from tirek.registry.models import Availability

# A long list is a backlog to act on, not to scroll: the oldest come first.
LIST_LIMIT = 100


@dataclass(frozen=True)
class AgeBucket:
    """Requests waiting at least ``from_days`` and less than ``to_days`` days."""

    code: str
    label: str
    from_days: int
    to_days: int | None

    def q(self, now: datetime.datetime) -> Q:
        waited = Q()
        if self.from_days:
            waited &= Q(received_at__lte=now - datetime.timedelta(days=self.from_days))
        if self.to_days is not None:
            waited &= Q(received_at__gt=now - datetime.timedelta(days=self.to_days))
        return waited


AGE_BUCKETS = (
    AgeBucket("under-1", _("Under 1 day"), 0, 1),
    AgeBucket("1-3", _("1 to 3 days"), 1, 3),
    AgeBucket("3-7", _("3 to 7 days"), 3, 7),
    AgeBucket("over-7", _("Over 7 days"), 7, None),
)
BUCKETS_BY_CODE = {bucket.code: bucket for bucket in AGE_BUCKETS}


# --- Scope ----------------------------------------------------------------------


def coordinator_region(user) -> str | None:
    """The region a coordinator answers for: ``""`` for the whole country,
    ``None`` for a user who coordinates nothing (no board at all).

    An account without an organisation is *not* national: it sees nothing.
    """
    if not (user.is_authenticated and user.is_active):
        return None
    if Role.COORDINATOR not in user.roles or not user.organisation_id:
        return None
    return user.organisation.region


def _either_region(region: str, *paths: str) -> Q:
    """Rows whose organisation at any of ``paths`` is in ``region`` (all if "")."""
    if not region:
        return Q()
    scoped = Q(pk__in=[])
    for path in paths:
        scoped |= Q(**{f"{path}__region": region})
    return scoped


# --- (a) Open requests by age --------------------------------------------------


@dataclass(frozen=True)
class BucketCount:
    bucket: AgeBucket
    count: int


@dataclass(frozen=True)
class WaitingRequest:
    number: str
    region: str
    languages: tuple[str, ...]
    state: str
    received_at: datetime.datetime
    age_days: int


def requests_waiting(user, *, region: str = "") -> QuerySet:
    """Open or offered requests the coordinator may see, in ``region`` if given."""
    requests = legal_aid_requests_visible_to(user).filter(
        state__in=[RequestState.OPEN, RequestState.OFFERED]
    )
    return requests.filter(region=region) if region else requests


def requests_by_age(requests: QuerySet, *, now: datetime.datetime) -> list[BucketCount]:
    """How many requests are in each age bucket: one query."""
    totals = requests.order_by().aggregate(
        **{
            f"bucket_{index}": Count("pk", filter=bucket.q(now))
            for index, bucket in enumerate(AGE_BUCKETS)
        }
    )
    return [
        BucketCount(bucket, totals[f"bucket_{index}"]) for index, bucket in enumerate(AGE_BUCKETS)
    ]


def oldest_requests(
    requests: QuerySet, *, now: datetime.datetime, bucket: AgeBucket | None = None
) -> list[WaitingRequest]:
    if bucket is not None:
        requests = requests.filter(bucket.q(now))
    # Named columns only: the encrypted summary and the person stay in the database.
    rows = requests.order_by("received_at", "pk").values_list(
        "number", "region", "languages", "state", "received_at"
    )[:LIST_LIMIT]
    return [
        WaitingRequest(
            number=number,
            region=_label(Region, region),
            languages=tuple(_label(SpokenLanguage, code) for code in languages or ()),
            state=_label(RequestState, state),
            received_at=received_at,
            age_days=(now - received_at).days,
        )
        for number, region, languages, state, received_at in rows
    ]


# --- (b) Offers awaiting the lawyer's answer -----------------------------------


@dataclass(frozen=True)
class PendingOffer:
    request_number: str
    lawyer: str
    offered_at: datetime.datetime
    respond_by: datetime.datetime
    overdue: bool


def offers_pending(user, *, region: str = "") -> QuerySet:
    return Assignment.objects.filter(
        state=AssignmentState.OFFERED,
        request__in=legal_aid_requests_visible_to(user).filter(
            **({"region": region} if region else {})
        ),
    )


def offers_list(offers: QuerySet, *, now: datetime.datetime) -> list[PendingOffer]:
    rows = offers.select_related("request", "lawyer").order_by("respond_by", "pk")[:LIST_LIMIT]
    return [
        PendingOffer(
            request_number=offer.request.number,
            lawyer=str(offer.lawyer),
            offered_at=offer.offered_at,
            respond_by=offer.respond_by,
            overdue=offer.respond_by < now,
        )
        for offer in rows
    ]


# --- (c) Referrals past their time for acknowledgement -------------------------
#
# Coordinators never open a referral (tirek/protection/access.py): they see
# that one is overdue between two organisations, so they can call them. The
# scope is either organisation's region; the person is never read.


@dataclass(frozen=True)
class OverdueReferral:
    number: int
    service: str
    from_organisation: str
    to_organisation: str
    sent_at: datetime.datetime
    acknowledge_by: datetime.datetime
    escalated_at: datetime.datetime | None


def referrals_overdue(user, *, now: datetime.datetime, region: str = "") -> QuerySet:
    own = coordinator_region(user)
    if own is None:
        return Referral.objects.none()
    return (
        Referral.objects.unacknowledged_past(now)
        .filter(person__erased_at__isnull=True)
        .filter(_either_region(own, "from_organisation", "to_organisation"))
        .filter(_either_region(region, "from_organisation", "to_organisation"))
    )


def referrals_list(referrals: QuerySet) -> list[OverdueReferral]:
    rows = referrals.order_by("acknowledge_by", "pk").values_list(
        "pk",
        "service",
        "from_organisation__name",
        "to_organisation__name",
        "sent_at",
        "acknowledge_by",
        "escalated_at",
    )[:LIST_LIMIT]
    return [
        OverdueReferral(pk, _label(Service, service), sender, provider, sent, due, escalated)
        for pk, service, sender, provider, sent, due, escalated in rows
    ]


# --- (d) Lawyers' load by region -----------------------------------------------


@dataclass(frozen=True)
class RegionLoad:
    region: str
    entries: int
    available: int
    certified: int
    caseload: int
    capacity: int

    @property
    def load_percent(self) -> int | None:
        return round(100 * self.caseload / self.capacity) if self.capacity else None


def lawyers_load(user, *, today: datetime.date, region: str = "") -> list[RegionLoad]:
    """Per region of the register: one grouped query (caseload is a sub-select)."""
    entries = register_entries_visible_to(user)
    if region:
        entries = entries.filter(region=region)
    rows = (
        entries.with_caseload()
        .order_by()
        .values("region")
        .annotate(
            entries=Count("pk"),
            available=Count("pk", filter=Q(availability=Availability.AVAILABLE)),
            certified=Count(
                "pk", filter=Q(tip_certified_on__lte=today, tip_certificate_expires_on__gte=today)
            ),
            open_cases=Sum("caseload"),
            total_capacity=Sum("capacity"),
        )
    )
    order = {code: index for index, code in enumerate(Region.values)}
    return [
        RegionLoad(
            region=_label(Region, row["region"]),
            entries=row["entries"],
            available=row["available"],
            certified=row["certified"],
            caseload=row["open_cases"] or 0,
            capacity=row["total_capacity"] or 0,
        )
        for row in sorted(rows, key=lambda row: order.get(row["region"], len(order)))
    ]


def load_total(rows: list[RegionLoad]) -> RegionLoad:
    return RegionLoad(
        region=str(_("All regions")),
        entries=sum(row.entries for row in rows),
        available=sum(row.available for row in rows),
        certified=sum(row.certified for row in rows),
        caseload=sum(row.caseload for row in rows),
        capacity=sum(row.capacity for row in rows),
    )


# --- (e) Possible duplicates awaiting an introduction --------------------------


def duplicates_waiting(user, *, region: str = "") -> int:
    own = coordinator_region(user)
    if own is None:
        return 0
    paths = ("person__organisation", "known_as__organisation")
    return (
        DuplicateSignal.objects.filter(
            introduced_at__isnull=True,
            person__erased_at__isnull=True,
            known_as__erased_at__isnull=True,
        )
        .filter(_either_region(own, *paths))
        .filter(_either_region(region, *paths))
        .count()
    )


# --- The whole board ------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    region: str  # the region shown, "" for the whole country
    by_age: list[BucketCount]
    requests: list[WaitingRequest]
    offers: list[PendingOffer]
    offers_count: int
    overdue_offers: int
    referrals: list[OverdueReferral]
    referrals_count: int
    load: list[RegionLoad]
    load_total: RegionLoad
    duplicates: int

    @property
    def requests_count(self) -> int:
        return sum(item.count for item in self.by_age)


def board_for(
    user, *, region: str, now: datetime.datetime, bucket: AgeBucket | None = None
) -> Board:
    """Every section for ``region`` ("" = all the coordinator may see).

    The caller has already narrowed ``region`` to what the coordinator may
    choose (``BoardFilters``); the scoping here holds regardless.
    """
    waiting = requests_waiting(user, region=region)
    offers = offers_pending(user, region=region)
    referrals = referrals_overdue(user, now=now, region=region)
    load = lawyers_load(user, today=timezone.localdate(now), region=region)
    offer_counts = offers.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(respond_by__lt=now))
    )
    return Board(
        region=region,
        by_age=requests_by_age(waiting, now=now),
        requests=oldest_requests(waiting, now=now, bucket=bucket),
        offers=offers_list(offers, now=now),
        offers_count=offer_counts["total"],
        overdue_offers=offer_counts["overdue"],
        referrals=referrals_list(referrals),
        referrals_count=referrals.count(),
        load=load,
        load_total=load_total(load),
        duplicates=duplicates_waiting(user, region=region),
    )


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value
