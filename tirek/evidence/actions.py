"""Every change to a case's evidence. Validated, atomic, audited; the
description, sources and notes (which may name people) never reach the
audit trail, only the names of the fields touched.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.log import audit
from tirek.cases.actions import _save_versioned
from tirek.cases.models import LegalAidCase
from tirek.evidence.models import (
    CustodyEvent,
    CustodyKind,
    ElementLink,
    EvidenceItem,
    EvidenceKind,
    EvidenceStatus,
    EvidenceStatusChange,
    Strength,
)

TEXT_FIELDS = ("description", "source", "obtained_how", "admissibility_notes")
ITEM_FIELDS = (
    "kind",
    "description",
    "source",
    "obtained_how",
    "obtained_on",
    "holder",
    "from_victim",
    "admissibility_notes",
)


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


def _check(values: dict) -> None:
    if "kind" in values and values["kind"] not in EvidenceKind.values:
        _refuse("kind", _("Choose the kind of evidence."))
    if "description" in values and not (values["description"] or "").strip():
        _refuse("description", _("Describe the item so that anyone can tell what it is."))
    obtained = values.get("obtained_on")
    if obtained is not None and obtained > timezone.localdate():
        _refuse("obtained_on", _("The date cannot be in the future."))


def _clean(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def item_create(
    *,
    actor,
    case: LegalAidCase,
    kind: str,
    description: str,
    source: str = "",
    obtained_how: str = "",
    obtained_on: datetime.date | None = None,
    holder: str = "",
    from_victim: bool = False,
    admissibility_notes: str = "",
    status: str = EvidenceStatus.TO_OBTAIN,
    status_on: datetime.date | None = None,
    procedural_act: str = "",
) -> EvidenceItem:
    values = _clean(
        {
            "kind": kind,
            "description": description,
            "source": source,
            "obtained_how": obtained_how,
            "obtained_on": obtained_on,
            "holder": holder,
            "from_victim": from_victim,
            "admissibility_notes": admissibility_notes,
        }
    )
    _check(values)
    # Numbers run 1, 2, 3 … in a case: the case row is the lock.
    LegalAidCase.objects.select_for_update().filter(pk=case.pk).first()
    number = (case.evidence.aggregate(last=Max("number"))["last"] or 0) + 1
    item = EvidenceItem.objects.create(case=case, number=number, created_by=actor, **values)
    audit(
        actor=actor,
        action="evidence.create",
        target=item,
        fields=[name for name in TEXT_FIELDS if values[name]],
        changes={"kind": [None, kind], "case": [None, case.number]},
    )
    _status(actor, item, status, status_on or timezone.localdate(), procedural_act)
    return item


@transaction.atomic
def item_update(*, actor, item: EvidenceItem, expected_version: int, **values) -> EvidenceItem:
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not an evidence field: {sorted(unknown)}")
    values = _clean(values)
    _check(values)
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, values[name])
    _save_versioned(item, expected_version=expected_version, fields=changed, actor=actor)
    audit(
        actor=actor,
        action="evidence.update",
        target=item,
        fields=changed,
        changes={
            name: [None, str(values[name])]
            for name in changed
            if name in ("kind", "from_victim", "obtained_on")
        },
    )
    return item


@transaction.atomic
def item_set_status(
    *, actor, item: EvidenceItem, status: str, on: datetime.date, procedural_act: str = ""
) -> EvidenceItem:
    if status not in EvidenceStatus.values:
        _refuse("status", _("Choose a status."))
    if on > timezone.localdate():
        _refuse("on", _("The date cannot be in the future."))
    if status in (EvidenceStatus.SUBMITTED, EvidenceStatus.ADMITTED, EvidenceStatus.REJECTED) and (
        not procedural_act.strip()
    ):
        _refuse(
            "procedural_act",
            _("Name the procedural act (motion, record or decision) and its date."),
        )
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    _status(actor, item, status, on, procedural_act.strip())
    return item


def _status(actor, item: EvidenceItem, status: str, on: datetime.date, act: str) -> None:
    previous = item.status if item.status_on else None
    EvidenceStatusChange.objects.create(
        item=item, status=status, on=on, procedural_act=act, recorded_by=actor
    )
    EvidenceItem.objects.filter(pk=item.pk).update(status=status, status_on=on, procedural_act=act)
    item.status, item.status_on, item.procedural_act = status, on, act
    audit(
        actor=actor,
        action="evidence.status",
        target=item,
        changes={"status": [previous, status], "on": [None, str(on)]},
    )


@transaction.atomic
def element_link(
    *, actor, item: EvidenceItem, element: str, strength: str, note: str = ""
) -> ElementLink:
    if strength not in Strength.values:
        _refuse("strength", _("Say how strongly the item supports the element."))
    if not element or len(element) > 60:
        _refuse("element", _("Choose an element."))
    link, _created = ElementLink.objects.update_or_create(
        item=item,
        element=element,
        defaults={"strength": strength, "note": note.strip(), "linked_by": actor},
    )
    audit(
        actor=actor,
        action="evidence.link",
        target=item,
        changes={"element": [None, element], "strength": [None, strength]},
    )
    return link


@transaction.atomic
def element_unlink(*, actor, item: EvidenceItem, element: str) -> None:
    deleted, _rows = ElementLink.objects.filter(item=item, element=element).delete()
    if deleted:
        audit(
            actor=actor, action="evidence.unlink", target=item, changes={"element": [element, None]}
        )


@transaction.atomic
def custody_record(
    *,
    actor,
    item: EvidenceItem,
    kind: str,
    occurred_at: datetime.datetime | None = None,
    counterpart: str = "",
    place: str = "",
    file=None,
    sha256_verified: str = "",
    hash_matched: bool | None = None,
) -> CustodyEvent:
    """Append one link to the chain of custody (never changed afterwards)."""
    if kind not in CustodyKind.values:
        _refuse("kind", _("Choose what happened to the item."))
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        _refuse("occurred_at", _("The date cannot be in the future."))
    if kind in (CustodyKind.RECEIVED, CustodyKind.HANDED, CustodyKind.RETURNED) and (
        not counterpart.strip()
    ):
        _refuse("counterpart", _("Say from or to whom."))
    event = CustodyEvent.objects.create(
        item=item,
        file=file,
        kind=kind,
        counterpart=counterpart.strip(),
        place=place.strip(),
        occurred_at=occurred_at,
        recorded_by=actor,
        sha256_verified=sha256_verified,
        hash_matched=hash_matched,
    )
    audit(
        actor=actor,
        action="evidence.custody",
        target=item,
        changes={"kind": [None, kind], "file": [None, file.pk if file else None]},
    )
    return event
