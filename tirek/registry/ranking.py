"""The ranked, explained proposal of lawyers for a request for legal aid.

Pure: it takes plain dataclasses and touches no database, so it can be
tested over thousands of simulated requests and read as the rule itself.
The coordinator chooses; the ranking only orders and explains.

1. Exclude who cannot take the case now: not available (on leave until
   after the date, suspended, excluded), at or over capacity, a conflict of
   interest in the known criminal case, no TIP certificate in force, or
   already offered this request (declined it or did not answer).
2. Score everyone else, each point with its reason:
   - serves the region                                   REGION
   - speaks the victim's languages (all, or some)        LANGUAGE, LANGUAGE_SOME
   - the gender the victim asked for                     GENDER
   - free capacity: (1 - caseload / capacity)            * LOAD
   - rotation: days since the last assignment, up to
     ROTATION_DAYS, so work goes round                   * ROTATION
3. Order by score, then by lower load, then by longer wait, then by id —
   the same input always gives the same order.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

REGION = 30.0
LANGUAGE = 25.0
LANGUAGE_SOME = 15.0
GENDER = 15.0
LOAD = 20.0
ROTATION = 10.0
ROTATION_DAYS = 30


@dataclass(frozen=True)
class Need:
    """What the request asks for."""

    region: str
    on: datetime.date
    languages: tuple[str, ...] = ()
    gender: str = ""  # "" : the victim expressed no preference


@dataclass(frozen=True)
class Candidate:
    """One register entry as the ranking sees it (built by queries.candidates)."""

    lawyer_id: int
    region: str
    languages: tuple[str, ...]
    capacity: int
    caseload: int
    availability: str = "available"
    on_leave_until: datetime.date | None = None
    gender: str = ""
    tip_certified_on: datetime.date | None = None
    tip_certificate_expires_on: datetime.date | None = None
    last_assigned_on: datetime.date | None = None
    conflict: bool = False
    # Declined this request, or let the time to answer run out.
    declined: bool = False
    label: str = ""


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    points: float = 0.0


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...] = ()
    exclusions: tuple[Reason, ...] = ()
    rank: int | None = None  # 1 for the best; None for an excluded candidate

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    @property
    def load(self) -> float:
        return _load(self.candidate)


def _load(candidate: Candidate) -> float:
    return candidate.caseload / candidate.capacity if candidate.capacity else 1.0


def exclusions(need: Need, candidate: Candidate) -> list[Reason]:
    found = []
    if candidate.availability == "on_leave" and (
        candidate.on_leave_until is None or candidate.on_leave_until >= need.on
    ):
        found.append(
            Reason(
                "on_leave",
                _("On leave until %(date)s.")
                % {
                    "date": candidate.on_leave_until.isoformat()
                    if candidate.on_leave_until
                    else "?"
                },
            )
        )
    elif candidate.availability == "suspended":
        found.append(Reason("suspended", _("Suspended from the register.")))
    elif candidate.availability == "excluded":
        found.append(Reason("excluded", _("Excluded from the register.")))
    if candidate.caseload >= candidate.capacity:
        found.append(
            Reason(
                "over_capacity",
                _("No free capacity: %(load)d open cases of %(capacity)d.")
                % {"load": candidate.caseload, "capacity": candidate.capacity},
            )
        )
    if candidate.conflict:
        found.append(Reason("conflict", _("Conflict of interest in this criminal case.")))
    if candidate.declined:
        found.append(
            Reason("declined", _("Already offered this request: declined or did not answer."))
        )
    issued, expires = candidate.tip_certified_on, candidate.tip_certificate_expires_on
    if issued is None or expires is None:
        found.append(Reason("not_certified", _("No TIP certificate.")))
    elif expires < need.on:
        found.append(
            Reason(
                "certificate_expired",
                _("The TIP certificate expired on %(date)s.") % {"date": expires.isoformat()},
            )
        )
    elif issued > need.on:
        found.append(Reason("not_certified", _("The TIP certificate is not yet in force.")))
    return found


def reasons(need: Need, candidate: Candidate) -> list[Reason]:
    found = []
    if candidate.tip_certificate_expires_on and candidate.tip_certificate_expires_on >= need.on:
        found.append(
            Reason(
                "certified",
                _("Certified for trafficking cases until %(date)s.")
                % {"date": candidate.tip_certificate_expires_on.isoformat()},
            )
        )
    if candidate.region == need.region:
        found.append(Reason("region", _("Serves the region."), REGION))
    else:
        found.append(Reason("other_region", _("Works in another region."), 0.0))
    found.append(_language_reason(need, candidate))
    if need.gender:
        if candidate.gender == need.gender:
            found.append(Reason("gender", _("The gender the victim asked for."), GENDER))
        else:
            found.append(Reason("gender_differs", _("Not the gender the victim asked for.")))
    free = max(0.0, 1.0 - _load(candidate))
    found.append(
        Reason(
            "load",
            _("Load: %(load)d open cases of %(capacity)d.")
            % {"load": candidate.caseload, "capacity": candidate.capacity},
            round(LOAD * free, 2),
        )
    )
    found.append(_rotation_reason(need, candidate))
    return found


def _language_reason(need: Need, candidate: Candidate) -> Reason:
    if not need.languages:
        return Reason("language_unknown", _("The victim's languages are not given."))
    spoken = [code for code in need.languages if code in candidate.languages]
    codes = {"languages": ", ".join(spoken)}
    if len(spoken) == len(need.languages):
        return Reason("language", _("Speaks %(languages)s.") % codes, LANGUAGE)
    if spoken:
        return Reason(
            "language_some",
            _("Speaks %(languages)s, not every language of the victim.") % codes,
            LANGUAGE_SOME,
        )
    return Reason("language_none", _("Speaks none of the victim's languages: interpreter needed."))


def _rotation_reason(need: Need, candidate: Candidate) -> Reason:
    if candidate.last_assigned_on is None:
        return Reason("rotation", _("Has not yet received a case."), ROTATION)
    days = max(0, (need.on - candidate.last_assigned_on).days)
    points = ROTATION * min(days, ROTATION_DAYS) / ROTATION_DAYS
    return Reason(
        "rotation",
        _("Last received a case %(days)d days ago.") % {"days": days},
        round(points, 2),
    )


def rank(need: Need, candidates: list[Candidate]) -> list[Ranked]:
    """The eligible candidates best first, then the excluded ones with why."""
    eligible, excluded = [], []
    for candidate in candidates:
        why_not = exclusions(need, candidate)
        why = reasons(need, candidate)
        score = round(sum(reason.points for reason in why), 2)
        item = Ranked(candidate, score, tuple(why), tuple(why_not))
        (excluded if why_not else eligible).append(item)
    eligible.sort(key=lambda item: _order(need, item))
    excluded.sort(key=lambda item: item.candidate.lawyer_id)
    return [
        Ranked(item.candidate, item.score, item.reasons, item.exclusions, rank=index)
        for index, item in enumerate(eligible, start=1)
    ] + excluded


def _order(need: Need, item: Ranked) -> tuple:
    last = item.candidate.last_assigned_on
    waited = (need.on - last).days if last else 10**6
    return (-item.score, item.load, -waited, item.candidate.lawyer_id)


@dataclass
class Spread:
    """How evenly work went round, for the fairness test and the board."""

    counts: dict[int, int] = field(default_factory=dict)

    def gini(self) -> float:
        values = sorted(self.counts.values())
        total = sum(values)
        if not values or total == 0:
            return 0.0
        n = len(values)
        weighted = sum((index + 1) * value for index, value in enumerate(values))
        return (2 * weighted) / (n * total) - (n + 1) / n

    def max_min_ratio(self) -> float:
        values = list(self.counts.values())
        return max(values) / min(values) if values and min(values) else float("inf")
