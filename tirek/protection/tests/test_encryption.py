"""Identity values are encrypted in the database and bound to their place."""

import datetime

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from tirek.lib.crypto import DecryptionError, Keyring, seal, unseal
from tirek.people.models import Person
from tirek.protection.fields import Sealed
from tirek.protection.keys import keyring


@pytest.fixture
def aizada(demo) -> Person:
    return demo["person.adult_labour"]


def raw_row(person: Person) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, birth_date, document_number, phone, address, whereabouts "
            "FROM people_person WHERE id = %s",
            [person.pk],
        )
        return cursor.fetchone()


def test_it_stores_only_ciphertext_and_reads_back_the_values(aizada):
    row = raw_row(aizada)
    assert all(value.startswith("v1:") for value in row)
    assert "Aizada" not in " ".join(row)
    fresh = Person.objects.get(pk=aizada.pk)
    assert fresh.full_name == "Aizada Demo-Tursunova"
    assert fresh.birth_date == datetime.date(1996, 4, 11)
    assert fresh.whereabouts == "Safe house Demo-7, Bishkek"


def test_it_never_returns_plaintext_from_values_queries(aizada):
    value = Person.objects.filter(pk=aizada.pk).values_list("full_name", flat=True).get()
    assert isinstance(value, Sealed)
    assert "Aizada" not in value.text


def test_it_refuses_to_search_an_encrypted_field_directly(aizada):
    with pytest.raises(FieldError):
        list(Person.objects.filter(full_name="Aizada Demo-Tursunova"))


def test_it_finds_a_person_by_blind_index_whatever_the_case_and_spacing(aizada):
    assert Person.objects.matching(full_name="  aizada   DEMO tursunova ").get() == aizada
    assert Person.objects.matching(document_number="id 000-0001").get() == aizada
    assert Person.objects.matching(birth_date=datetime.date(1996, 4, 11)).get() == aizada
    assert not Person.objects.matching(full_name="Aizada").exists()


def test_it_refuses_a_value_moved_to_another_persons_row(demo):
    first, second = demo["person.adult_labour"], demo["person.child"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET full_name = (SELECT full_name FROM people_person "
            "WHERE id = %s) WHERE id = %s",
            [first.pk, second.pk],
        )
    with pytest.raises(DecryptionError):
        _ = Person.objects.get(pk=second.pk).full_name


def test_it_refuses_a_value_moved_to_another_column(aizada):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET whereabouts = full_name WHERE id = %s", [aizada.pk]
        )
    with pytest.raises(DecryptionError):
        _ = Person.objects.get(pk=aizada.pk).whereabouts


def test_it_detects_a_single_altered_byte():
    ring = Keyring.generate()
    sealed = seal(ring, "Aizada", aad="people.person.full_name:x")
    altered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(DecryptionError):
        unseal(ring, altered, aad="people.person.full_name:x")


def test_it_uses_a_fresh_nonce_so_equal_names_look_different(demo):
    ring = keyring()
    one = seal(ring, "Same Name", aad="a")
    two = seal(ring, "Same Name", aad="a")
    assert one != two


def test_it_keeps_blind_indexes_in_step_when_saving_some_fields(aizada):
    aizada.full_name = "Aizada Renamed"
    aizada.save(update_fields=["full_name"])
    assert Person.objects.matching(full_name="aizada renamed").exists()
    assert not Person.objects.matching(full_name="Aizada Demo-Tursunova").exists()
