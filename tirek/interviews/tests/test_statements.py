"""Tell your story once: one account per person per case, every telling kept;
nothing a person said reaches a database column or the audit trail in clear."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tirek.audit.models import AppendOnlyError, AuditEvent
from tirek.interviews import actions
from tirek.interviews.models import StatementVersion

FIRST = "I was promised work in a bakery and taken to a construction site"
SECOND = "I was promised work in a bakery; the foreman kept my passport"
SECRETS = [
    FIRST,
    SECOND,
    "bakery",
    "Demo Witness-Nurlan",
    "Nurlan",
    "safe house kitchen",
    "stopped twice to cry",
    "transcript of the foreman",
    "prove the debt bondage",
]


def test_a_statement_keeps_every_version_and_never_overwrites(demo, lawyer):
    statement = actions.statement_create(actor=lawyer, case=demo["case.adult_labour"])
    first = actions.statement_add_version(actor=lawyer, statement=statement, text=FIRST)
    today = timezone.localdate()
    actions.statement_add_version(
        actor=lawyer, statement=statement, text=SECOND, reuse_consent=True, reuse_consent_on=today
    )
    versions = list(statement.versions.all())
    assert [(v.number, v.text) for v in versions] == [(1, FIRST), (2, SECOND)]
    assert statement.current().reuse_consent and statement.current().reuse_consent_on == today
    first.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        StatementVersion.objects.filter(pk=first.pk).update(reuse_consent=True)
    with pytest.raises(AppendOnlyError):
        first.delete()
    # No database trigger here, unlike the custody chain: erasure of the
    # person (tirek/protection/retention.py) must be able to blank the text.
    assert StatementVersion.objects.get(pk=first.pk).text == FIRST


def test_a_person_has_one_statement_per_case(demo, lawyer):
    case = demo["case.adult_labour"]
    actions.statement_create(actor=lawyer, case=case)
    actions.statement_create(actor=lawyer, case=case, witness_name="Demo Witness-Nurlan")
    with pytest.raises(ValidationError):
        actions.statement_create(actor=lawyer, case=case)
    with pytest.raises(ValidationError):
        actions.statement_create(actor=lawyer, case=case, witness_name=" demo witness-nurlan")
    actions.statement_create(actor=lawyer, case=demo["case.child"])


def test_consent_to_reuse_needs_its_date(demo, lawyer):
    statement = actions.statement_create(actor=lawyer, case=demo["case.adult_labour"])
    with pytest.raises(ValidationError):
        actions.statement_add_version(
            actor=lawyer, statement=statement, text=FIRST, reuse_consent=True
        )
    with pytest.raises(ValidationError):
        actions.statement_add_version(actor=lawyer, statement=statement, text="   ")
    assert not statement.versions.exists()


def _everything(demo, lawyer) -> None:
    case = demo["case.adult_labour"]
    plan = actions.plan_create(
        actor=lawyer,
        case=case,
        audience="witness",
        witness_name="Demo Witness-Nurlan",
        witness_age=34,
        purpose="prove the debt bondage",
        planned_on=timezone.localdate(),
        continuous_minutes=60,
        day_minutes=60,
        topics=["debts"],
    )
    actions.plan_finalise(actor=lawyer, plan=plan)
    actions.record_create(
        actor=lawyer,
        case=case,
        plan=plan,
        held_on=timezone.localdate(),
        place="safe house kitchen",
        deviations="stopped twice to cry",
        notes="transcript of the foreman",
        topics=["debts"],
    )
    statement = actions.statement_create(
        actor=lawyer, case=case, witness_name="Demo Witness-Nurlan"
    )
    actions.statement_add_version(
        actor=lawyer,
        statement=statement,
        text=FIRST,
        reuse_consent=True,
        reuse_consent_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def test_what_people_said_is_not_in_any_raw_column(demo, lawyer):
    _everything(demo, lawyer)
    stored = []
    with connection.cursor() as cursor:
        for table in (
            "interviews_interviewplan",
            "interviews_interviewrecord",
            "interviews_statement",
            "interviews_statementversion",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            stored += [str(value) for row in cursor.fetchall() for value in row]
    raw = " ".join(stored)
    assert not [secret for secret in SECRETS if secret in raw]


def test_the_audit_trail_holds_codes_and_field_names_only(demo, lawyer):
    _everything(demo, lawyer)
    events = AuditEvent.objects.filter(action__startswith="interviews.")
    assert {e.action for e in events} == {
        "interviews.plan_create",
        "interviews.plan_finalise",
        "interviews.record_create",
        "interviews.statement_create",
        "interviews.statement_version",
    }
    trail = " ".join(f"{e.changes} {e.fields} {e.reason}" for e in events)
    assert not [secret for secret in SECRETS if secret in trail]
    assert "34" not in str(events.get(action="interviews.plan_create").changes)
    assert "witness_name" in events.get(action="interviews.plan_create").fields
    assert "notes" in events.get(action="interviews.record_create").fields
