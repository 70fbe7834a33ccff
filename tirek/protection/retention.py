"""Retention: what Tirek keeps, for how long, and erasure that leaves no identity.

Periods are settings (``TIREK_RETENTION_DAYS``; defaults in docs/security.md).
A person's identity is erased, not the row: references from cases, consents
and the audit trail stay valid, and an audit tombstone records that the
erasure happened — without any of the erased values. A person under legal
hold (for example, evidence needed in an open case) is never erased.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.log import audit


@dataclass
class RetentionReport:
    due: dict[str, int] = field(default_factory=dict)
    erased: dict[str, int] = field(default_factory=dict)
    held: int = 0


def _cutoff(kind: str) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.TIREK_RETENTION_DAYS[kind])


def retention_run(*, dry_run: bool) -> RetentionReport:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from knox.models import AuthToken

    from tirek.people.models import Person

    report = RetentionReport()
    people = Person.objects.current().filter(created_at__lt=_cutoff("person"))
    report.held = people.filter(legal_hold=True).count()
    expired_people = people.filter(legal_hold=False)
    report.due["person"] = expired_people.count()

    attempts_cutoff = _cutoff("sign_in_attempts")
    sign_in_records = [
        AccessAttempt.objects.filter(attempt_time__lt=attempts_cutoff),
        AccessLog.objects.filter(attempt_time__lt=attempts_cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=attempts_cutoff),
    ]
    report.due["sign_in_attempts"] = sum(q.count() for q in sign_in_records)
    report.due["expired_sessions"] = Session.objects.filter(expire_date__lt=timezone.now()).count()
    report.due["expired_api_tokens"] = AuthToken.objects.filter(expiry__lt=timezone.now()).count()
    if dry_run:
        return report

    erased = 0
    for person in expired_people.iterator(chunk_size=200):
        person_erase(actor=None, person=person, reason="retention period ended")
        erased += 1
    report.erased["person"] = erased
    report.erased["sign_in_attempts"] = sum(q.delete()[0] for q in sign_in_records)
    report.erased["expired_sessions"] = Session.objects.filter(
        expire_date__lt=timezone.now()
    ).delete()[0]
    report.erased["expired_api_tokens"] = AuthToken.objects.filter(
        expiry__lt=timezone.now()
    ).delete()[0]
    return report


@transaction.atomic
def person_erase(*, actor, person, reason: str) -> list[str]:
    """Erase a person's identity and location; returns the fields erased."""
    if person.legal_hold:
        raise ValidationError(
            _("This person is under legal hold and cannot be erased until the hold is lifted.")
        )
    if person.erased_at is not None:
        return []
    erased = [name for name in person.IDENTITY_FIELDS if getattr(person, name)]
    erased += _erase_from_cases(person)
    erased += _erase_from_referral(person)
    for name in person.IDENTITY_FIELDS:
        setattr(person, name, None if name == "birth_date" else "")
    person.erased_at = timezone.now()
    person.save(update_fields=[*person.IDENTITY_FIELDS, "erased_at"])
    audit(actor=actor, action="person.erase", target=person, fields=erased, reason=reason)
    return erased


def _erase_from_cases(person) -> list[str]:
    """What the person's cases say about them: safety notes, timeline
    summaries, the lawyer's notes (and their search index), and party records
    that match the person's name or document number."""
    from django.db import connection

    from tirek.cases.models import CaseEvent, CaseNote, LegalAidCase, Party

    cases = list(LegalAidCase.objects.filter(client=person))
    if not cases:
        return []
    for case in cases:
        if case.safety_notes:
            case.safety_notes = ""
            case.save(update_fields=["safety_notes"])
    LegalAidCase.objects.filter(client=person).update(basis_reference="")
    CaseEvent.objects.filter(case__in=cases).exclude(summary="").update(summary="")
    notes = CaseNote.objects.filter(case__in=cases)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for note_id in notes.values_list("pk", flat=True):
                cursor.execute("DELETE FROM cases_note_fts WHERE rowid = %s", [note_id])
    notes.update(title="—", body="")
    same_person = Party.objects.filter(
        criminal_case__in=[c.criminal_case_id for c in cases if c.criminal_case_id]
    ).filter(
        models.Q(full_name_index=person.full_name_index, full_name_index__gt="")
        | models.Q(document_number_index=person.document_number_index, document_number_index__gt="")
    )
    for party in same_person:
        party.full_name = "—"
        party.document_number = ""
        party.save(update_fields=["full_name", "document_number"])
    _erase_evidence(cases)
    _erase_interviews(cases)
    return [
        "cases.safety_notes",
        "cases.event_summaries",
        "cases.notes",
        "cases.parties",
        "evidence",
        "interviews",
    ]


def _erase_evidence(cases) -> None:
    """The evidence of the person's cases: its texts blanked, its files'
    keys destroyed and the stored ciphertext deleted (what legal hold exists
    to prevent while a case needs them)."""
    from tirek.evidence.files import evidence_storage
    from tirek.evidence.models import EvidenceFile, EvidenceItem
    from tirek.protection.rotation import ERASED_FILE_KEY

    for item in EvidenceItem.objects.filter(case__in=cases):
        for name in ("description", "source", "obtained_how", "admissibility_notes"):
            setattr(item, name, "—" if name == "description" else "")
        item.holder = ""
        item.save(
            update_fields=["description", "source", "obtained_how", "admissibility_notes", "holder"]
        )
    storage = evidence_storage()
    for evidence_file in EvidenceFile.objects.filter(item__case__in=cases):
        if storage.exists(evidence_file.storage_name):
            storage.delete(evidence_file.storage_name)
        evidence_file.original_name = ""
        evidence_file.wrapped_key = ERASED_FILE_KEY
        evidence_file.save(update_fields=["original_name", "wrapped_key"])


def _erase_from_referral(person) -> list[str]:
    """The free text identification and referral hold about the person: the
    situation seen at screening, the grounds of status decisions, messages to
    providers and what a request says the person needs."""
    from tirek.assignment.models import Assignment, LegalAidRequest
    from tirek.nrm.models import Referral, Screening, StatusDecision

    erased = []
    for model, column, label in (
        (Screening, "situation", "nrm.screenings"),
        (StatusDecision, "grounds", "nrm.status_grounds"),
        (Referral, "message", "nrm.referral_messages"),
        (LegalAidRequest, "summary", "assignment.request_summaries"),
    ):
        rows = list(model.objects.filter(person=person))
        for row in rows:
            setattr(row, column, "")
            row.save(update_fields=[column])
        if rows:
            erased.append(label)
    # What the person said happened, and what free text elsewhere may hold.
    Screening.objects.filter(person=person).update(facts={}, indicators=[])
    for referral in Referral.objects.filter(person=person):
        referral.answer = ""
        referral.save(update_fields=["answer"])
    for request in LegalAidRequest.objects.filter(person=person):
        request.basis_reference, request.criminal_case_number = "", ""
        request.save(update_fields=["basis_reference", "criminal_case_number"])
    Assignment.objects.filter(request__person=person).update(decline_reason="", override_reason="")
    return erased


def _erase_interviews(cases) -> None:
    """Plans, records and the person's own statement in the person's cases.

    Statement versions are append-only for everyone else (tirek/interviews);
    erasure is the one writer allowed to blank them, with a plain UPDATE."""
    from django.db import connection

    from tirek.interviews.models import InterviewPlan, InterviewRecord, StatementVersion

    for plan in InterviewPlan.objects.filter(case__in=cases):
        plan.purpose, plan.witness_name = "", ""
        plan.save(update_fields=["purpose", "witness_name", "witness_name_index"])
    for record in InterviewRecord.objects.filter(case__in=cases):
        record.place, record.deviations, record.notes = "", "", ""
        record.save(update_fields=["place", "deviations", "notes"])
    versions = list(
        StatementVersion.objects.filter(statement__case__in=cases).values_list("pk", flat=True)
    )
    table = StatementVersion._meta.db_table
    with connection.cursor() as cursor:
        for pk in versions:
            cursor.execute(f"UPDATE {table} SET text = '' WHERE id = %s", [pk])  # noqa: S608
