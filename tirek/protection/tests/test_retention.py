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
    assert "person: due 3" in printed
    assert "Dry run: nothing was erased." in printed
    assert Person.objects.current().count() == 3


def test_it_erases_expired_people_but_keeps_those_under_legal_hold(demo, capsys):
    held = demo["person.child"]
    Person.objects.filter(pk=held.pk).update(legal_hold=True)
    with time_machine.travel(TEN_YEARS_AND_A_DAY):
        call_command("retention", "run")
    assert "person: due 2, erased 2" in capsys.readouterr().out
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
    assert tombstones.count() == 2
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
