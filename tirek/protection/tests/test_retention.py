"""Expired records are erased without residue; legal hold is respected."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tirek.audit.models import AuditEvent
from tirek.people.models import Person

TEN_YEARS_AND_A_DAY = datetime.timedelta(days=10 * 365 + 1)


def test_a_dry_run_lists_what_is_due_and_erases_nothing(demo, capsys):
    with time_machine.travel(TEN_YEARS_AND_A_DAY):
        call_command("retention", "run", "--dry-run")
    printed = capsys.readouterr().out
    people = Person.objects.current().count()
    assert f"person: due {people}" in printed
    assert "Dry run: nothing was erased." in printed
    assert Person.objects.current().count() == people


def test_it_erases_expired_people_but_keeps_those_under_legal_hold(demo, capsys):
    held = demo["person.child"]
    Person.objects.filter(pk=held.pk).update(legal_hold=True)
    due = Person.objects.current().count() - 1
    with time_machine.travel(TEN_YEARS_AND_A_DAY):
        call_command("retention", "run")
    assert f"person: due {due}, erased {due}" in capsys.readouterr().out
    assert Person.objects.current().get() == held
    erased = Person.objects.get(pk=demo["person.adult_labour"].pk)
    assert (erased.full_name, erased.document_number, erased.birth_date) == ("", "", None)
    assert erased.full_name_index == "" and erased.document_number_index == ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, whereabouts FROM people_person WHERE id = %s", [erased.pk]
        )
        assert cursor.fetchone() == ("", "")
    tombstones = AuditEvent.objects.filter(action="person.erase")
    assert tombstones.count() == due
    assert "Aizada" not in str(list(tombstones.values()))


def test_nothing_is_due_before_its_time(demo, capsys):
    call_command("retention", "run")
    assert "person: due 0" in capsys.readouterr().out


def test_it_erases_one_person_on_request_with_a_report(demo, capsys):
    person = demo["person.refused_case"]
    call_command(
        "retention", "erase-person", str(person.record_key), "--reason", "the person asked"
    )
    report = capsys.readouterr().out
    assert "erased: full_name, birth_date, document_number, phone, address, whereabouts" in report
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_it_refuses_to_erase_a_person_under_legal_hold(demo):
    person = demo["person.child"]
    Person.objects.filter(pk=person.pk).update(legal_hold=True)
    with pytest.raises(CommandError, match="legal hold"):
        call_command(
            "retention", "erase-person", str(person.record_key), "--reason", "asked by her"
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["not-a-key", "--reason", "the person asked"], "not a record key"),
        (["00000000-0000-0000-0000-000000000000", "--reason", "the person asked"], "no person"),
        (["00000000-0000-0000-0000-000000000000", "--reason", "x"], "at least 10"),
    ],
)
def test_it_explains_bad_arguments(arguments, message, db):
    with pytest.raises(CommandError, match=message):
        call_command("retention", "erase-person", *arguments)


def test_erasing_a_person_also_clears_what_their_cases_say_about_them(demo):
    from tirek.cases import actions as case_actions
    from tirek.cases.models import CaseNote, LegalAidCase, Party
    from tirek.protection.retention import person_erase

    case = LegalAidCase.objects.get(client=demo["person.adult_labour"])
    case_actions.party_add(
        actor=case.lawyer, case=case, role="victim", full_name="Aizada Demo-Tursunova"
    )
    case_actions.case_update(
        actor=case.lawyer,
        case=case,
        expected_version=case.version,
        safety_notes="Safe house Demo-7, Bishkek",
    )
    person_erase(actor=None, person=demo["person.adult_labour"], reason="the person asked")
    case = LegalAidCase.objects.get(pk=case.pk)
    assert case.safety_notes == ""
    assert not CaseNote.objects.filter(case=case).exclude(body="").exists()
    names = {party.full_name for party in Party.objects.filter(criminal_case=case.criminal_case)}
    assert "Aizada Demo-Tursunova" not in names
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM cases_note_fts WHERE body LIKE '%passport%'")
            assert cursor.fetchone()[0] == 0


def test_erasure_destroys_the_person_s_evidence_files_and_texts(demo, settings):
    from tirek.evidence import actions as evidence
    from tirek.evidence.files import EvidenceWriter, evidence_storage, file_add
    from tirek.protection.retention import person_erase

    case = demo["case.adult_labour"]
    item = evidence.item_create(
        actor=case.lawyer, case=case, kind="document", description="Aizada's contract"
    )
    writer = EvidenceWriter()
    writer.write(b"%PDF-1.7 the contract\n%%EOF\n")
    stored = file_add(actor=case.lawyer, item=item, stored=writer.finish(), original_name="a.pdf")
    assert evidence_storage().exists(stored.storage_name)
    person_erase(actor=None, person=demo["person.adult_labour"], reason="on request")
    item.refresh_from_db()
    stored.refresh_from_db()
    assert item.description == "—" and stored.original_name == ""
    assert not evidence_storage().exists(stored.storage_name)
    assert stored.wrapped_key == "erased"


def test_erasure_blanks_interview_plans_records_and_the_person_s_statement(demo):
    import datetime

    from django.db import connection

    from tirek.interviews import actions as interviews
    from tirek.protection.retention import person_erase

    case = demo["case.adult_labour"]
    lawyer = case.lawyer
    plan = interviews.plan_create(
        actor=lawyer,
        case=case,
        audience="adult",
        planned_on=datetime.date(2026, 11, 1),
        continuous_minutes=60,
        day_minutes=60,
        purpose="Ask Aizada about the passport",
        present=["interpreter"],
    )
    statement = interviews.statement_create(actor=lawyer, case=case)
    interviews.statement_add_version(actor=lawyer, statement=statement, text="Aizada's account")
    person_erase(actor=None, person=demo["person.adult_labour"], reason="on request")
    plan.refresh_from_db()
    assert plan.purpose == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM interviews_statementversion")
        assert [row[0] for row in cursor.fetchall()] == [""]
