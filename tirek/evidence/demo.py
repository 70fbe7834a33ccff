"""Demo evidence (fictional) in the child's case: the victim's own statement
and an independent record, linked to the elements they support."""

import datetime

from django.utils import timezone

from tirek.core.demo import DemoData
from tirek.evidence import actions


def load(demo: DemoData) -> None:
    case = demo["case.child"]
    if case.evidence.exists():
        return
    lawyer = case.lawyer
    today = timezone.localdate()
    statement = actions.item_create(
        actor=lawyer,
        case=case,
        kind="testimony",
        description="Demo: the child's recorded statement about the trip and the work",
        from_victim=True,
        obtained_on=today - datetime.timedelta(days=30),
        status="submitted",
        status_on=today - datetime.timedelta(days=25),
        procedural_act="Demo: record of questioning, attached to the case file",
    )
    actions.element_link(actor=lawyer, item=statement, element="act", strength="strong")
    actions.element_link(actor=lawyer, item=statement, element="purpose", strength="moderate")
    school = actions.item_create(
        actor=lawyer,
        case=case,
        kind="document",
        description="Demo: school attendance record showing the absence from class",
        source="Demo school No. 5",
        holder="The lawyer's office",
        obtained_on=today - datetime.timedelta(days=12),
        status="obtained",
    )
    actions.element_link(actor=lawyer, item=school, element="act", strength="moderate")
    actions.custody_record(
        actor=lawyer,
        item=school,
        kind="received",
        counterpart="Demo school No. 5, the head teacher",
        place="Kara-Balta",
        occurred_at=timezone.now() - datetime.timedelta(days=12),
    )
