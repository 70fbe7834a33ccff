"""Every change to a lawyer's case. Validated, atomic, audited.

Edits never overwrite each other: an update names the version it was made
from, and if someone saved in between it is refused with ``StaleEdit``,
which carries what they changed, so the page can show it and keep the
user's input.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.cases import search
from tirek.cases.conflicts import conflicts_for
from tirek.cases.models import (
    CaseAction,
    CaseEvent,
    CaseNote,
    ConflictClearance,
    CriminalCase,
    Deadline,
    EventKind,
    LegalAidCase,
    Party,
)
from tirek.law import procedure


class ConflictOfInterest(ValidationError):
    pass


@dataclass
class StaleEdit(Exception):
    """Someone saved the record after this edit began."""

    current: Any
    changed: dict[str, tuple[Any, Any]]
    by: Any


# --- Opening ---------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    client,
    lawyer,
    lawyer_role: str,
    legal_aid_basis: str,
    basis_reference: str = "",
    client_languages: list[str] | None = None,
    interpreter_needed: bool = False,
    safety: str = "no_known_threat",
    safety_notes: str = "",
    region: str = "",
    criminal_case: CriminalCase | None = None,
    assigned_by=None,
) -> LegalAidCase:
    """``assigned_by``: the coordinator who chose the lawyer, when the lawyer
    opens the case themselves by accepting the assignment (the actor)."""
    if Role.LAWYER not in lawyer.roles:
        raise ValidationError({"lawyer": [_("Only a lawyer can be assigned a case.")]})
    chooser = assigned_by or actor
    if chooser is not None and lawyer.pk == chooser.pk:
        raise ValidationError({"lawyer": [_("Nobody can assign a case to themselves.")]})
    # Locked, like a share: a withdrawal recorded at this moment waits for us.
    if (
        not client.consents.select_for_update()
        .filter(purpose="legal_representation", withdrawn_on__isnull=True)
        .exists()
    ):
        raise ValidationError(
            {
                "lawyer": [
                    _(
                        "The person has not consented to legal representation, or has "
                        "withdrawn that consent. Ask the referring caseworker to record it."
                    )
                ]
            }
        )
    if criminal_case is not None:
        _refuse_conflicts(lawyer=lawyer, criminal_case=criminal_case, role=lawyer_role)
    case = LegalAidCase(
        number=f"pending-{timezone.now().timestamp()}",
        client=client,
        lawyer=lawyer,
        law_office_id=lawyer.organisation_id,
        region=region or lawyer.organisation.region or "bishkek",
        lawyer_role=lawyer_role,
        legal_aid_basis=legal_aid_basis,
        basis_reference=basis_reference.strip(),
        client_languages=client_languages or [],
        interpreter_needed=interpreter_needed,
        safety=safety,
        safety_notes=safety_notes,
        criminal_case=criminal_case,
        stage=procedure.stages()[0].code,
        updated_by=actor,
    )
    case.save()
    # A readable number, unique because it carries the row's own id.
    case.number = f"TK-{timezone.localdate().year}-{case.pk:06d}"
    LegalAidCase.objects.filter(pk=case.pk).update(number=case.number)
    audit(
        actor=actor,
        action="case.open",
        target=case,
        changes={"lawyer": [None, lawyer.pk], "role": [None, lawyer_role]},
    )
    return case


def _refuse_conflicts(*, lawyer, criminal_case, role, ignore_case=None) -> None:
    found = conflicts_for(
        lawyer=lawyer, criminal_case=criminal_case, role=role, ignore_case=ignore_case
    )
    if found:
        raise ConflictOfInterest(
            {
                "lawyer": [conflict.message for conflict in found]
                + [_("A coordinator can clear it with a written reason.")]
            }
        )


# --- Versioned updates -------------------------------------------------------------


def _save_versioned(instance, *, expected_version: int, fields: list[str], actor) -> None:
    """Write ``fields`` only if nobody saved since ``expected_version``."""
    model = type(instance)
    instance.updated_by = actor
    values = {}
    for name in [*fields, "updated_by", "updated_at"]:
        field = model._meta.get_field(name)
        values[field.attname] = field.pre_save(instance, add=False)
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        current = model.objects.get(pk=instance.pk)
        changed = {
            name: (getattr(instance, name), getattr(current, name))
            for name in fields
            if getattr(instance, name) != getattr(current, name)
        }
        raise StaleEdit(current=current, changed=changed, by=current.updated_by)
    instance.version = expected_version + 1


CASE_FIELDS = (
    "lawyer_role",
    "legal_aid_basis",
    "basis_reference",
    "client_languages",
    "interpreter_needed",
    "safety",
    "safety_notes",
)


@transaction.atomic
def case_update(*, actor, case: LegalAidCase, expected_version: int, **values) -> LegalAidCase:
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"not a case field: {sorted(unknown)}")
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    old = {name: getattr(case, name) for name in changed}
    for name in changed:
        setattr(case, name, values[name])
    _save_versioned(case, expected_version=expected_version, fields=changed, actor=actor)
    audit(
        actor=actor,
        action="case.update",
        target=case,
        fields=changed,
        changes={n: [old[n], values[n]] for n in changed if n != "safety_notes"},
    )
    return case


@transaction.atomic
def criminal_case_link(
    *,
    actor,
    case: LegalAidCase,
    register_number: str,
    expected_version: int | None = None,
    **details,
) -> CriminalCase:
    """Link the criminal case (found by register number, or created) and fill its details."""
    register_number = register_number.strip()
    if not register_number:
        raise ValidationError({"register_number": [_("Enter the number in the Unified Register.")]})
    criminal = CriminalCase.objects.filter(register_number=register_number).first()
    if criminal is None:
        try:
            with transaction.atomic():  # two lawyers may link the same new number at once
                criminal = CriminalCase.objects.create(
                    register_number=register_number, updated_by=actor
                )
        except IntegrityError:
            criminal = CriminalCase.objects.get(register_number=register_number)
            details = {}  # the other one created it first: link only, as when joining
        else:
            expected_version = criminal.version
    elif case.criminal_case_id != criminal.pk:
        # Joining proceedings that already exist: link only. What others
        # recorded (investigator, charges, dates) is not overwritten by someone
        # who has not seen it yet — they edit it afterwards, from its version.
        details = {}
    elif details and expected_version is None:
        raise ValidationError(_("Say which version of the criminal case you are changing."))
    _refuse_conflicts(
        lawyer=case.lawyer, criminal_case=criminal, role=case.lawyer_role, ignore_case=case
    )
    if "charges" in details:
        # The articles belong to the code in force on the offence date.
        code = criminal_code_on(details.get("offence_date") or criminal.offence_date)
        details["charges"] = [{**c, "instrument": code} for c in details["charges"]]
        details["charge_codes"] = "; ".join(
            f"{c['instrument']} {c['article']}" + (f".{c['part']}" if c.get("part") else "")
            for c in details["charges"]
        )
    for name, value in details.items():
        setattr(criminal, name, value)
    if details:
        _save_versioned(
            criminal,
            expected_version=expected_version,
            fields=list(details),
            actor=actor,
        )
    if case.criminal_case_id != criminal.pk:
        case.criminal_case = criminal
        case.save(update_fields=["criminal_case"])
    audit(
        actor=actor,
        action="case.criminal_case",
        target=case,
        changes={"register_number": [None, register_number]},
    )
    return criminal


@transaction.atomic
def party_add(
    *,
    actor,
    case: LegalAidCase,
    role: str,
    full_name: str,
    document_number: str = "",
) -> Party:
    if case.criminal_case is None:
        raise ValidationError(_("Link the criminal case first."))
    if not full_name.strip():
        raise ValidationError({"full_name": [_("Enter the party's name.")]})
    party = Party.objects.create(
        criminal_case=case.criminal_case,
        role=role,
        full_name=full_name.strip(),
        document_number=document_number.strip(),
        added_by=actor,
    )
    # A new party can create a conflict (a former client turns out to be the accused).
    found = conflicts_for(
        lawyer=case.lawyer,
        criminal_case=case.criminal_case,
        role=case.lawyer_role,
        ignore_case=case,
    )
    if found:
        raise ConflictOfInterest(
            {
                "full_name": [c.message for c in found]
                + [
                    _(
                        "The party was not added. A coordinator can clear the conflict with a "
                        "written reason."
                    )
                ]
            }
        )
    audit(
        actor=actor,
        action="case.party_add",
        target=case,
        fields=["full_name"],
        changes={"role": [None, role]},
    )
    return party


@transaction.atomic
def conflict_clear(*, actor, lawyer, criminal_case: CriminalCase, reason: str) -> ConflictClearance:
    if Role.COORDINATOR not in actor.roles:
        raise ValidationError(_("Only a coordinator can clear a conflict of interest."))
    if len(reason.strip()) < 20:
        raise ValidationError(
            {"reason": [_("Explain in at least 20 characters why it is cleared.")]}
        )
    clearance = ConflictClearance.objects.create(
        lawyer=lawyer, criminal_case=criminal_case, reason=reason.strip(), cleared_by=actor
    )
    audit(
        actor=actor,
        action="case.conflict_cleared",
        target=criminal_case,
        reason=reason.strip(),
        changes={"lawyer": [None, lawyer.pk]},
    )
    return clearance


def criminal_code_on(day: datetime.date | None) -> str:
    """The criminal code in force on ``day`` (today if unknown), from the law content."""
    from tirek.law.content import law_content

    law = law_content()
    day = day or timezone.localdate()
    articles = law.articles_with_role(law.settings.trafficking_role)
    article = next((a for a in reversed(articles) if a.in_force_on(day)), articles[-1])
    return article.instrument_id


# --- Timeline, deadlines, next actions -----------------------------------------------


@transaction.atomic
def event_record(
    *,
    actor,
    case: LegalAidCase,
    kind: str,
    occurred_on: datetime.date,
    decision: str = "",
    received_on: datetime.date | None = None,
    summary: str = "",
    scheduled_at: datetime.datetime | None = None,
) -> CaseEvent:
    """Record a dated event; a decision may move the stage and start deadlines."""
    errors: dict[str, list[str]] = {}
    if kind not in {k.code for k in procedure.event_kinds()}:
        errors["kind"] = [_("Unknown kind of event.")]
    if kind == EventKind.DECISION and not decision:
        errors["decision"] = [_("Choose which decision was made.")]
    if decision and decision not in {d.code for d in procedure.decisions()}:
        errors["decision"] = [_("Unknown decision.")]
    if occurred_on > timezone.localdate() and kind != EventKind.HEARING:
        errors["occurred_on"] = [_("Only hearings can be recorded ahead of time.")]
    if received_on is not None and received_on < occurred_on:
        errors["received_on"] = [_("A decision cannot be received before it was made.")]
    if errors:
        raise ValidationError(errors)
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        decision=decision,
        occurred_on=occurred_on,
        received_on=received_on,
        summary=summary.strip(),
        scheduled_at=scheduled_at,
        recorded_by=actor,
    )
    computed = procedure.deadlines_for(
        procedure.ProceduralEvent(
            decision=decision or None,
            kind=kind,
            occurred_on=occurred_on,
            received_on=received_on,
            lawyer_role=case.lawyer_role,
        )
    )
    Deadline.objects.bulk_create(
        [
            Deadline(
                case=case,
                event=event,
                rule=item.rule,
                due_on=item.due_on,
                basis=str(item.basis.citation if hasattr(item.basis, "citation") else item.basis),
                verification=item.verification,
                responsible=case.lawyer,
            )
            for item in computed
        ]
    )
    if decision:
        moves_to = procedure.decision(decision).moves_to
        if moves_to and moves_to != case.stage:
            case.stage = moves_to
            case.save(update_fields=["stage"])
    audit(
        actor=actor,
        action="case.event",
        target=case,
        changes={"kind": [None, kind], "decision": [None, decision or None]},
    )
    return event


@transaction.atomic
def action_mark(
    *,
    actor,
    case: LegalAidCase,
    step: str,
    state: str,
    reason: str = "",
    postponed_until: datetime.date | None = None,
) -> CaseAction:
    if state == "not_applicable" and not reason.strip():
        raise ValidationError({"reason": [_("Say why this step does not apply.")]})
    if state == "postponed" and postponed_until is None:
        raise ValidationError({"postponed_until": [_("Say until when it is postponed.")]})
    action, _created = CaseAction.objects.update_or_create(
        case=case,
        step=step,
        defaults={
            "state": state,
            "reason": reason.strip(),
            "postponed_until": postponed_until,
            "decided_by": actor,
        },
    )
    audit(
        actor=actor,
        action="case.action",
        target=case,
        changes={"step": [None, step], "state": [None, state]},
    )
    return action


def case_facts(case: LegalAidCase, *, today: datetime.date | None = None):
    """The adapter from a case to the playbook's facts (tirek.law.procedure)."""
    today = today or timezone.localdate()
    birth = case.client.birth_date
    child = (
        None
        if birth is None
        else (today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)) < 18)
    )
    last = case.events.exclude(decision="").order_by("-occurred_on", "-recorded_at").first()
    decided = CaseAction.objects.filter(case=case).exclude(
        state="postponed", postponed_until__gt=today
    )
    return procedure.CaseFacts(
        stage=case.stage,
        lawyer_role=case.lawyer_role,
        client_is_child=child,
        client_threatened=case.safety != "no_known_threat",
        interpreter_needed=case.interpreter_needed,
        civil_claim_filed=case.events.filter(decision="civil_claim_filed").exists(),
        last_decision=last.decision if last else None,
        last_decision_received_on=last.received_on if last else None,
        # Some limits run from the day the decision was made, not received.
        last_decision_made_on=last.occurred_on if last else None,
        opened_on=timezone.localdate(case.opened_at),
        today=today,
        done_steps=frozenset(decided.values_list("step", flat=True)),
    )


# --- Notes -----------------------------------------------------------------------


@transaction.atomic
def note_add(*, actor, case: LegalAidCase, title: str, body: str, kind: str = "note") -> CaseNote:
    if case.lawyer_id != actor.pk:
        raise ValidationError(_("Only the case's lawyer writes its notes."))
    if not title.strip() or not body.strip():
        raise ValidationError({"body": [_("A note needs a title and a text.")]})
    note = CaseNote.objects.create(
        case=case,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        author=actor,
        updated_by=actor,
    )
    search.index_note(note)
    audit(actor=actor, action="case.note", target=case, changes={"note": [None, note.pk]})
    return note


@transaction.atomic
def note_update(*, actor, note: CaseNote, expected_version: int, title: str, body: str) -> CaseNote:
    note.title, note.body = title.strip(), body.strip()
    _save_versioned(note, expected_version=expected_version, fields=["title", "body"], actor=actor)
    search.index_note(note)
    audit(actor=actor, action="case.note", target=note.case, changes={"note": [note.pk, note.pk]})
    return note
