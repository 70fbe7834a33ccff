"""Every change to a case's interviews. Validated, atomic, audited; names,
purposes, notes and accounts (which tell what happened to a person) never
reach the audit trail, only the names of the fields touched and codes.

A plan is finalised only when the law engine (tirek/law/interviews.py) finds
no refusal in it, held against the person's earlier interviews in the case.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tirek.audit.log import audit
from tirek.cases.actions import _save_versioned
from tirek.cases.models import LegalAidCase
from tirek.evidence.models import EvidenceItem, EvidenceKind
from tirek.interviews.models import (
    CLIENT_AUDIENCES,
    Audience,
    ChecklistMoment,
    ChecklistTick,
    InterviewerGender,
    InterviewPlan,
    InterviewRecord,
    PlanState,
    Statement,
    StatementVersion,
)
from tirek.law import interviews as law
from tirek.law.content import law_content

PLAN_FIELDS = (
    "audience",
    "witness_name",
    "witness_age",
    "purpose",
    "elements",
    "topics",
    "planned_on",
    "continuous_minutes",
    "day_minutes",
    "present",
    "needs",
    "recording",
    "confrontation",
    "interviewer_gender",
)
PLAN_TEXT_FIELDS = ("witness_name", "purpose")
# Codes, numbers, dates and booleans: safe to value in the audit trail.
PLAN_AUDITED_VALUES = (
    "audience",
    "elements",
    "topics",
    "planned_on",
    "continuous_minutes",
    "day_minutes",
    "present",
    "needs",
    "recording",
    "confrontation",
    "interviewer_gender",
)
CODE_LISTS = ("elements", "topics", "present", "needs")
RECORD_TEXT_FIELDS = ("place", "deviations", "notes")
CHILD_AUDIENCES = (Audience.CHILD, Audience.WITNESS_CHILD)


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


# --- Content vocabulary --------------------------------------------------------------


def _vocabulary() -> dict[str, frozenset[str]]:
    bank = law_content().interviews
    accommodations = frozenset(a.code for a in bank.accommodations)
    return {
        "topics": frozenset(t.code for t in bank.topics),
        "elements": frozenset(e for t in bank.topics for e in t.elements),
        # Recording is the plan's own yes or no, not an entry of the list.
        "present": accommodations - {"recording"},
        "needs": accommodations,
    }


def _codes(values: Iterable[str]) -> list[str]:
    return sorted({str(v).strip() for v in values if str(v).strip()})


def _check_codes(values: dict, names: Iterable[str]) -> None:
    vocabulary = _vocabulary()
    for name in names:
        if name in values and not set(values[name]) <= vocabulary[name]:
            _refuse(name, _("Choose from the list."))


# --- Plans -------------------------------------------------------------------------


def _normalise_plan(values: dict) -> dict:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in CODE_LISTS:
        if name in values:
            values[name] = _codes(values[name])
    if values.get("audience") in CLIENT_AUDIENCES:
        # The client is the case's client: no name or age of their own here.
        values["witness_name"] = ""
        values["witness_age"] = None
    return values


def _check_plan(values: dict) -> None:
    """``values``: the whole plan as it would be saved."""
    if values["audience"] not in Audience.values:
        _refuse("audience", _("Say who is interviewed."))
    if values["audience"] not in CLIENT_AUDIENCES and not values["witness_name"]:
        _refuse("witness_name", _("Name the witness."))
    age = values["witness_age"]
    if age is not None and not 0 <= age <= 120:
        _refuse("witness_age", _("Enter the witness's age in years."))
    if not isinstance(values["planned_on"], datetime.date):
        _refuse("planned_on", _("Enter the date of the interview."))
    if values["continuous_minutes"] < 1:
        _refuse("continuous_minutes", _("Enter how long the interview runs without a break."))
    if values["day_minutes"] < values["continuous_minutes"]:
        _refuse("day_minutes", _("The day's total cannot be shorter than one stretch."))
    if values["interviewer_gender"] not in InterviewerGender.values:
        _refuse("interviewer_gender", _("Choose from the list."))
    _check_codes(values, CODE_LISTS)


@transaction.atomic
def plan_create(
    *,
    actor,
    case: LegalAidCase,
    audience: str,
    planned_on: datetime.date,
    continuous_minutes: int,
    day_minutes: int,
    witness_name: str = "",
    witness_age: int | None = None,
    purpose: str = "",
    elements: Iterable[str] = (),
    topics: Iterable[str] = (),
    present: Iterable[str] = (),
    needs: Iterable[str] = (),
    recording: bool = False,
    confrontation: bool = False,
    interviewer_gender: str = "",
) -> InterviewPlan:
    values = _normalise_plan(
        {
            "audience": audience,
            "witness_name": witness_name,
            "witness_age": witness_age,
            "purpose": purpose,
            "elements": elements,
            "topics": topics,
            "planned_on": planned_on,
            "continuous_minutes": continuous_minutes,
            "day_minutes": day_minutes,
            "present": present,
            "needs": needs,
            "recording": recording,
            "confrontation": confrontation,
            "interviewer_gender": interviewer_gender,
        }
    )
    _check_plan(values)
    plan = InterviewPlan.objects.create(case=case, created_by=actor, updated_by=actor, **values)
    audit(
        actor=actor,
        action="interviews.plan_create",
        target=plan,
        fields=[name for name in (*PLAN_TEXT_FIELDS, "witness_age") if values[name]],
        changes={
            "case": [None, case.number],
            **{name: [None, _audited(values[name])] for name in PLAN_AUDITED_VALUES},
        },
    )
    return plan


@transaction.atomic
def plan_update(*, actor, plan: InterviewPlan, expected_version: int, **values) -> InterviewPlan:
    """Change a plan not yet held. A finalised plan goes back to draft: what
    was checked is no longer what would be done, so it must be checked again."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not an interview plan field: {sorted(unknown)}")
    if plan.state == PlanState.HELD:
        _refuse("state", _("This interview has been held; its plan can no longer change."))
    merged = _normalise_plan({**{name: getattr(plan, name) for name in PLAN_FIELDS}, **values})
    _check_plan(merged)
    changed = [name for name in PLAN_FIELDS if getattr(plan, name) != merged[name]]
    if not changed:
        return plan
    for name in changed:
        setattr(plan, name, merged[name])
    fields = list(changed)
    if "witness_name" in changed:
        fields.append("witness_name_index")
    state_change = {}
    if plan.state == PlanState.FINALISED:
        state_change = {"state": [plan.state, PlanState.DRAFT.value]}
        plan.state, plan.finalised_at, plan.finalised_by = PlanState.DRAFT, None, None
        fields += ["state", "finalised_at", "finalised_by"]
    _save_versioned(plan, expected_version=expected_version, fields=fields, actor=actor)
    audit(
        actor=actor,
        action="interviews.plan_update",
        target=plan,
        fields=changed,
        changes={
            **{
                name: [None, _audited(merged[name])]
                for name in changed
                if name in PLAN_AUDITED_VALUES
            },
            **state_change,
        },
    )
    return plan


def _audited(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# --- Holding a plan against the law ------------------------------------------------


def plan_history(plan: InterviewPlan) -> list[InterviewRecord]:
    """The same person's interviews in the case held up to the planned day
    (the plan's own record left out): the client's, or the same witness's."""
    if plan.of_client:
        person = Q(plan__isnull=True) | Q(plan__audience__in=CLIENT_AUDIENCES)
    else:
        person = Q(plan__witness_name_index=plan.witness_name_index)
    records = (
        InterviewRecord.objects.filter(case_id=plan.case_id, held_on__lte=plan.planned_on)
        .filter(person)
        .exclude(plan_id=plan.pk)
        .select_related("evidence")
        .order_by("held_on", "pk")
    )
    return list(records)


def plan_facts(plan: InterviewPlan) -> law.PlanFacts:
    needs = set(plan.needs)
    if plan.interviewer_gender:
        needs.add("interviewer_gender")
    if plan.of_client and plan.case.interpreter_needed:
        needs.add("interpreter")
    history = tuple(
        law.Questioning(
            held_on=record.held_on,
            topics=frozenset(record.topics),
            recorded=record.recorded,
            statement=record.statement_pointer,
        )
        for record in plan_history(plan)
    )
    return law.PlanFacts(
        audience=plan.audience,
        age=plan.age,
        planned_on=plan.planned_on,
        continuous_minutes=plan.continuous_minutes,
        day_minutes=plan.day_minutes,
        present=frozenset(plan.present),
        recording=plan.recording,
        confrontation=plan.confrontation,
        topics=frozenset(plan.topics),
        needs=frozenset(needs),
        history=history,
    )


def plan_check(plan: InterviewPlan) -> law.PlanCheck:
    return law.check_plan(plan_facts(plan))


def _language() -> law.Lang:
    code = (translation.get_language() or "en")[:2]
    return code if code in ("ky", "ru", "en") else "en"  # type: ignore[return-value]


@transaction.atomic
def plan_finalise(*, actor, plan: InterviewPlan) -> tuple[law.Finding, ...]:
    """Finalise a draft plan and return the warnings it was finalised with.

    1. Hold the plan (as the caller loaded it: ``plan.version``) against the
       law and the person's history.
    2. Refuse, with every refusal as a sentence in the user's language, while
       any rule refuses it.
    3. Otherwise mark it finalised — refused by ``StaleEdit`` if someone
       changed it since it was loaded — and audit the warnings' codes.
    """
    if plan.state != PlanState.DRAFT:
        _refuse("state", _("Only a draft plan can be finalised."))
    check = plan_check(plan)
    if check.refusals:
        rendered = law.render_plan_check(check, _language())
        raise ValidationError(
            [
                ValidationError(finding["text"], code=finding["code"])
                for finding in rendered["refusals"]
            ]
        )
    plan.state = PlanState.FINALISED
    plan.finalised_at = timezone.now()
    plan.finalised_by = actor
    _save_versioned(
        plan,
        expected_version=plan.version,
        fields=["state", "finalised_at", "finalised_by"],
        actor=actor,
    )
    audit(
        actor=actor,
        action="interviews.plan_finalise",
        target=plan,
        changes={
            "state": [PlanState.DRAFT.value, PlanState.FINALISED.value],
            "warnings": [None, [finding.code for finding in check.warnings]],
        },
    )
    return check.warnings


# --- The interview held --------------------------------------------------------------


@transaction.atomic
def record_create(
    *,
    actor,
    case: LegalAidCase,
    held_on: datetime.date,
    plan: InterviewPlan | None = None,
    place: str = "",
    duration_minutes: int | None = None,
    present: Iterable[str] = (),
    topics: Iterable[str] = (),
    deviations: str = "",
    notes: str = "",
    recorded: bool = False,
    evidence: EvidenceItem | None = None,
) -> InterviewRecord:
    """Record an interview held: of a finalised ``plan`` (which becomes held),
    or without one an earlier questioning of the client."""
    if plan is not None and plan.case_id != case.pk:
        raise ValueError("the plan belongs to another case")
    values = {
        "held_on": held_on,
        "place": place.strip(),
        "duration_minutes": duration_minutes,
        "present": _codes(present),
        "topics": _codes(topics),
        "deviations": deviations.strip(),
        "notes": notes.strip(),
        "recorded": recorded,
        "evidence": evidence,
    }
    if held_on > timezone.localdate():
        _refuse("held_on", _("The date cannot be in the future."))
    if duration_minutes is not None and duration_minutes < 1:
        _refuse("duration_minutes", _("Enter how long the interview lasted."))
    _check_codes(values, ("present", "topics"))
    if evidence is not None and (
        evidence.case_id != case.pk or evidence.kind != EvidenceKind.TESTIMONY
    ):
        _refuse("evidence", _("Choose a testimony among this case's evidence."))
    previous_state = None
    if plan is not None:
        # Locked: two people recording the same plan at once get one record.
        locked = InterviewPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.state != PlanState.FINALISED:
            _refuse("plan", _("Only a finalised plan that has not been held can be recorded."))
        previous_state = locked.state
        locked.state = PlanState.HELD
        _save_versioned(locked, expected_version=locked.version, fields=["state"], actor=actor)
        plan.state, plan.version = locked.state, locked.version
    record = InterviewRecord.objects.create(case=case, plan=plan, created_by=actor, **values)
    audit(
        actor=actor,
        action="interviews.record_create",
        target=record,
        fields=[name for name in RECORD_TEXT_FIELDS if values[name]],
        changes={
            "case": [None, case.number],
            "plan": [None, plan.pk if plan else None],
            "plan_state": [previous_state, plan.state if plan else None],
            "held_on": [None, held_on.isoformat()],
            "duration_minutes": [None, duration_minutes],
            "present": [None, values["present"]],
            "topics": [None, values["topics"]],
            "recorded": [None, recorded],
            "evidence": [None, evidence.number if evidence else None],
        },
    )
    return record


# --- Checklists ----------------------------------------------------------------------


def _is_child(plan: InterviewPlan) -> bool:
    age = plan.age
    return plan.audience in CHILD_AUDIENCES or (
        age is not None and age < law_content().interviews.child_under
    )


@transaction.atomic
def checklist_tick(*, actor, plan: InterviewPlan, moment: str, item: str) -> ChecklistTick:
    if moment not in ChecklistMoment.values:
        _refuse("moment", _("Choose from the list."))
    items = {entry.id for entry in law.checklist_for(moment, child=_is_child(plan))}
    if item not in items:
        _refuse("item", _("Choose from the list."))
    tick, created = ChecklistTick.objects.get_or_create(
        plan=plan, moment=moment, item=item, defaults={"ticked_by": actor}
    )
    if created:
        audit(
            actor=actor,
            action="interviews.checklist_tick",
            target=plan,
            changes={"moment": [None, moment], "item": [None, item]},
        )
    return tick


@transaction.atomic
def checklist_untick(*, actor, plan: InterviewPlan, moment: str, item: str) -> None:
    deleted, _rows = ChecklistTick.objects.filter(plan=plan, moment=moment, item=item).delete()
    if deleted:
        audit(
            actor=actor,
            action="interviews.checklist_untick",
            target=plan,
            changes={"moment": [moment, None], "item": [item, None]},
        )


# --- Statements: tell your story once --------------------------------------------------


@transaction.atomic
def statement_create(*, actor, case: LegalAidCase, witness_name: str = "") -> Statement:
    """The statement of the client (no ``witness_name``) or of a witness."""
    witness_name = witness_name.strip()
    index = Statement._meta.get_field("witness_name_index").index_of(witness_name)
    if Statement.objects.filter(case=case, witness_name_index=index).exists():
        _refuse(
            "witness_name",
            _("This person already has a statement in this case: add a version to it."),
        )
    statement = Statement.objects.create(case=case, witness_name=witness_name, created_by=actor)
    audit(
        actor=actor,
        action="interviews.statement_create",
        target=statement,
        fields=["witness_name"] if witness_name else [],
        changes={"case": [None, case.number], "of_client": [None, not witness_name]},
    )
    return statement


@transaction.atomic
def statement_add_version(
    *,
    actor,
    statement: Statement,
    text: str,
    reuse_consent: bool = False,
    reuse_consent_on: datetime.date | None = None,
) -> StatementVersion:
    """Append the account as now told; earlier versions stay as they were."""
    text = text.strip()
    if not text:
        _refuse("text", _("Write the account."))
    if reuse_consent and reuse_consent_on is None:
        _refuse("reuse_consent_on", _("Enter the date the person gave their consent."))
    if reuse_consent_on is not None and reuse_consent_on > timezone.localdate():
        _refuse("reuse_consent_on", _("The date cannot be in the future."))
    # Numbers run 1, 2, 3 … per statement: the statement row is the lock.
    Statement.objects.select_for_update().filter(pk=statement.pk).first()
    number = (statement.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = StatementVersion.objects.create(
        statement=statement,
        number=number,
        text=text,
        reuse_consent=reuse_consent,
        reuse_consent_on=reuse_consent_on if reuse_consent else None,
        author=actor,
    )
    audit(
        actor=actor,
        action="interviews.statement_version",
        target=statement,
        fields=["text"],
        changes={"number": [None, number], "reuse_consent": [None, reuse_consent]},
    )
    return version
