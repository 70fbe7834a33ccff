"""Every change to the register of lawyers. Validated, atomic, audited.

The rules an entry must satisfy live in ``entry_problems`` alone: the edit
page, the API and the importer all ask it, so a file cannot put into the
register what the page would refuse. The audit trail records codes, ids and
dates only — never a name.
"""

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tirek.accounts.regions import Region
from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.people.models import SpokenLanguage
from tirek.registry.models import Availability, Gender, RegisterEntry, Specialisation

LICENCE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/.\-]{0,39}$")
MAX_CAPACITY = 100
MAX_DISTRICTS = 20
MAX_DISTRICT_LENGTH = 80


@dataclasses.dataclass(frozen=True)
class EntryValues:
    """What an entry says, as the page, the API and the importer give it."""

    licence_number: str
    region: str
    languages: tuple[str, ...]
    districts: tuple[str, ...] = ()
    gender: str = ""
    specialisations: tuple[str, ...] = ()
    tip_certified_on: datetime.date | None = None
    tip_certificate_expires_on: datetime.date | None = None
    capacity: int = 10
    availability: str = Availability.AVAILABLE
    on_leave_until: datetime.date | None = None
    availability_reason: str = ""
    availability_changed_on: datetime.date | None = None

    @classmethod
    def of(cls, entry: RegisterEntry) -> "EntryValues":
        return cls(
            **{
                field.name: _as_tuple(getattr(entry, field.name))
                for field in dataclasses.fields(cls)
            }
        )

    def stored(self) -> dict:
        """The values as the model keeps them (lists, not tuples)."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }


def _as_tuple(value):
    return tuple(value) if isinstance(value, list) else value


def _unknown(values, allowed) -> list[str]:
    return [value for value in values if value not in allowed]


def _allowed(choices) -> str:
    return ", ".join(choices.values)


def entry_problems(values: EntryValues) -> dict[str, list[str]]:
    """Every rule an entry breaks, per field (empty: none)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not LICENCE_NUMBER.match(values.licence_number or ""):
        add(
            "licence_number",
            _("Give the licence number: letters, digits, “-”, “/” or “.”, at most 40."),
        )
    if values.region not in Region.values:
        add("region", _("Unknown region. Allowed: %(values)s.") % {"values": _allowed(Region)})
    if not values.languages:
        add("languages", _("Name at least one language the lawyer works in."))
    elif bad := _unknown(values.languages, SpokenLanguage.values):
        add(
            "languages",
            _("Unknown language %(bad)s. Allowed: %(values)s.")
            % {"bad": ", ".join(bad), "values": _allowed(SpokenLanguage)},
        )
    if len(values.districts) > MAX_DISTRICTS or any(
        len(district) > MAX_DISTRICT_LENGTH for district in values.districts
    ):
        add(
            "districts",
            _("At most %(count)d districts of at most %(length)d characters each.")
            % {"count": MAX_DISTRICTS, "length": MAX_DISTRICT_LENGTH},
        )
    if values.gender and values.gender not in Gender.values:
        add("gender", _("Unknown value. Allowed: %(values)s.") % {"values": _allowed(Gender)})
    if bad := _unknown(values.specialisations, Specialisation.values):
        add(
            "specialisations",
            _("Unknown specialisation %(bad)s. Allowed: %(values)s.")
            % {"bad": ", ".join(bad), "values": _allowed(Specialisation)},
        )
    _certificate_problems(values, add)
    if not 0 <= values.capacity <= MAX_CAPACITY:
        add(
            "capacity",
            _("Capacity must be a whole number from 0 to %(max)d.") % {"max": MAX_CAPACITY},
        )
    _availability_problems(values, add)
    return problems


def _certificate_problems(values: EntryValues, add) -> None:
    issued, expires = values.tip_certified_on, values.tip_certificate_expires_on
    if bool(issued) != bool(expires):
        add(
            "tip_certificate_expires_on",
            _("Give both the date the TIP certificate was issued and the date it expires."),
        )
    elif issued and expires and expires <= issued:
        add(
            "tip_certificate_expires_on",
            _("The TIP certificate must expire after the date it was issued."),
        )


def _availability_problems(values: EntryValues, add) -> None:
    if values.availability not in Availability.values:
        add(
            "availability",
            _("Unknown value. Allowed: %(values)s.") % {"values": _allowed(Availability)},
        )
        return
    if values.availability == Availability.ON_LEAVE and not values.on_leave_until:
        add("on_leave_until", _("Say until when the lawyer is on leave."))
    if values.availability != Availability.ON_LEAVE and values.on_leave_until:
        add("on_leave_until", _("A return date is only for a lawyer on leave."))
    stopped = values.availability in (Availability.SUSPENDED, Availability.EXCLUDED)
    if stopped and not values.availability_reason.strip():
        add("availability_reason", _("Give the reason for the suspension or exclusion."))
    if stopped and not values.availability_changed_on:
        add("availability_changed_on", _("Give the date of the suspension or exclusion."))
    if len(values.availability_reason) > 300:
        add("availability_reason", _("At most 300 characters."))


def lawyer_problems(lawyer) -> list[str]:
    if not lawyer.is_active:
        return [_("This account is deactivated.")]
    if Role.LAWYER not in lawyer.roles:
        return [_("Only a user with the lawyer role can be in the register.")]
    return []


def region_problems(actor, region: str) -> list[str]:
    """A regional office's coordinator keeps its own region's entries only."""
    if actor is None or Role.COORDINATOR not in actor.roles:
        return []
    if not actor.organisation_id:
        return [_("You can keep the register of your own region only.")]
    own = actor.organisation.region
    if own and region != own:
        return [_("You can keep the register of your own region only.")]
    return []


def _changes(before: EntryValues | None, after: EntryValues) -> dict[str, list]:
    """Codes, numbers and dates only: the reason text stays out of the trail."""
    old = dataclasses.asdict(before) if before else {}
    changes = {}
    for name, value in dataclasses.asdict(after).items():
        if old.get(name) == value or (before is None and value in ("", (), None)):
            continue
        if name in ("availability_reason", "districts"):
            continue  # free text: named in ``fields`` only
        changes[name] = [_plain(old.get(name)), _plain(value)]
    return changes


def _changed_fields(before: EntryValues | None, after: EntryValues) -> list[str]:
    old = dataclasses.asdict(before) if before else {}
    return [name for name, value in dataclasses.asdict(after).items() if old.get(name) != value]


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _refuse(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError(problems)


def _licence_taken(licence_number: str, *, other_than: int | None) -> bool:
    taken = RegisterEntry.objects.filter(licence_number__iexact=licence_number)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


@transaction.atomic
def entry_create(*, actor, lawyer, values: EntryValues) -> RegisterEntry:
    problems = entry_problems(values)
    if bad := lawyer_problems(lawyer):
        problems["lawyer"] = bad
    elif RegisterEntry.objects.filter(lawyer=lawyer).exists():
        problems["lawyer"] = [_("This lawyer is already in the register.")]
    if bad := region_problems(actor, values.region):
        problems.setdefault("region", []).extend(bad)
    if _licence_taken(values.licence_number, other_than=None):
        problems.setdefault("licence_number", []).append(
            _("Another lawyer's entry has this licence number.")
        )
    _refuse(problems)
    entry = RegisterEntry.objects.create(lawyer=lawyer, **values.stored())
    audit(
        actor=actor,
        action="register.entry_create",
        target=entry,
        fields=_changed_fields(None, values),
        changes={"lawyer": [None, lawyer.pk], **_changes(None, values)},
    )
    return entry


@transaction.atomic
def entry_update(*, actor, entry: RegisterEntry, values: EntryValues) -> RegisterEntry:
    problems = entry_problems(values)
    if bad := region_problems(actor, values.region):
        problems.setdefault("region", []).extend(bad)
    if _licence_taken(values.licence_number, other_than=entry.pk):
        problems.setdefault("licence_number", []).append(
            _("Another lawyer's entry has this licence number.")
        )
    _refuse(problems)
    before = EntryValues.of(entry)
    fields = _changed_fields(before, values)
    if not fields:
        return entry
    for name, value in values.stored().items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated_at"])
    audit(
        actor=actor,
        action="register.entry_update",
        target=entry,
        fields=fields,
        changes=_changes(before, values),
    )
    return entry


@dataclasses.dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False


@transaction.atomic
def entries_import(
    *, actor, rows: list[tuple[object, EntryValues]], dry_run: bool = False
) -> ImportResult:
    """Write rows already validated as a whole (tirek/registry/transfer.py).

    One transaction: a row the actions refuse after all (a licence number
    taken in between) rolls back every row before it. A dry run rolls back
    at the end, so it exercises exactly the same path.
    """
    result = ImportResult(dry_run=dry_run)
    existing = {
        entry.lawyer_id: entry
        for entry in RegisterEntry.objects.filter(lawyer__in=[lawyer for lawyer, _v in rows])
    }
    # Swapped licence numbers between two rows must not trip the unique index.
    for lawyer, values in rows:
        entry = existing.get(lawyer.pk)
        if entry is not None and entry.licence_number != values.licence_number:
            RegisterEntry.objects.filter(pk=entry.pk).update(licence_number=f"~{entry.pk}")
            entry.licence_number = f"~{entry.pk}"
    for lawyer, values in rows:
        entry = existing.get(lawyer.pk)
        if entry is None:
            entry_create(actor=actor, lawyer=lawyer, values=values)
            result.created += 1
        elif _changed_fields(EntryValues.of(entry), values):
            entry_update(actor=actor, entry=entry, values=values)
            result.updated += 1
        else:
            result.unchanged += 1
    audit(
        actor=actor,
        action="register.import",
        target_type="registry.registerentry",
        changes={
            "created": [None, result.created],
            "updated": [None, result.updated],
            "unchanged": [None, result.unchanged],
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    return result
