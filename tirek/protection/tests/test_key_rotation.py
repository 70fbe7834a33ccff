"""`tirek keys rotate` seals everything anew; an old key retires only when unused."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tirek.people.models import Person
from tirek.protection.keys import keyring
from tirek.protection.rotation import keys_in_use


@pytest.fixture
def own_keyring(settings, tmp_path):
    settings.TIREK_KEYRING = ""
    settings.TIREK_KEY_FILE = str(tmp_path / "keyring.json")
    keyring.cache_clear()
    yield tmp_path / "keyring.json"
    keyring.cache_clear()


def test_it_rotates_reencrypts_and_retires_while_values_stay_readable(own_keyring, db, capsys):
    from tirek.core.demo import demo_load

    demo = demo_load()
    before = keys_in_use()
    assert set(before) == {"k1"}

    call_command("keys", "rotate", "--batch-size", "2")
    after = keys_in_use()
    assert set(after) == {"k2"}
    assert sum(after.values()) == sum(before.values())
    person = Person.objects.get(pk=demo["person.child"].pk)
    assert person.full_name == "Bekzat Demo-Asanov"

    call_command("keys", "retire", "k1")
    stored = json.loads(own_keyring.read_text())
    assert set(stored["keys"]) == {"k2"}
    assert Person.objects.get(pk=demo["person.child"].pk).document_number == "KG0000002"
    print(f"key rotation: values={sum(after.values())} on_retired_key=0")


def test_it_refuses_to_retire_a_key_still_in_use(own_keyring, db):
    from tirek.core.demo import demo_load
    from tirek.protection.keys import replace_keyring

    demo_load()
    # A new primary key, but the re-encryption has not run (or was interrupted).
    replace_keyring(keyring().with_new_primary())
    with pytest.raises(CommandError, match="still sealed with k1"):
        call_command("keys", "retire", "k1")
    with pytest.raises(CommandError, match="primary key cannot be retired"):
        call_command("keys", "retire", "k2")
    with pytest.raises(CommandError, match="there is no key"):
        call_command("keys", "retire", "k9")
    # Interrupted work resumes: values under k1 are still readable, then moved.
    assert Person.objects.first().full_name
    call_command("keys", "reencrypt")
    assert set(keys_in_use()) == {"k2"}


def test_a_running_process_follows_a_rotation_made_by_another(own_keyring, db):
    """A web worker keeps serving while `tirek keys rotate` runs elsewhere."""
    from django.db import connection

    from tirek.core.demo import demo_load
    from tirek.lib.crypto import seal, write_keyring

    demo = demo_load()
    cached = keyring()  # what this worker holds
    rotated = cached.with_new_primary()  # another process rotates…
    write_keyring(own_keyring, rotated)
    person = Person.objects.get(pk=demo["person.child"].pk)
    field = Person._meta.get_field("full_name")
    with connection.cursor() as cursor:  # …and re-seals a value under the new key
        cursor.execute(
            "UPDATE people_person SET full_name = %s WHERE id = %s",
            [seal(rotated, "Bekzat Demo-Asanov", aad=field.aad(person)), person.pk],
        )
    assert keyring() is cached  # this worker has not looked at the file yet
    assert Person.objects.get(pk=person.pk).full_name == "Bekzat Demo-Asanov"
    assert keyring().primary == rotated.primary  # and now seals under the new key


def test_evidence_files_follow_a_rotation_and_hold_back_a_retirement(own_keyring, db):
    from tirek.core.demo import demo_load
    from tirek.evidence import actions as evidence
    from tirek.evidence.files import EvidenceWriter, digest, file_add
    from tirek.protection.keys import replace_keyring

    demo = demo_load()
    case = demo["case.adult_labour"]
    item = evidence.item_create(actor=case.lawyer, case=case, kind="document", description="x")
    writer = EvidenceWriter()
    writer.write(b"%PDF-1.7 a scanned contract\n%%EOF\n")
    stored = file_add(actor=case.lawyer, item=item, stored=writer.finish(), original_name="c.pdf")
    replace_keyring(keyring().with_new_primary())
    assert keys_in_use()["k1"] >= 1
    with pytest.raises(CommandError, match="still sealed with k1"):
        call_command("keys", "retire", "k1")
    call_command("keys", "reencrypt")
    assert set(keys_in_use()) == {"k2"}
    call_command("keys", "retire", "k1")
    stored.refresh_from_db()
    assert digest(stored) == (stored.sha256, stored.size)  # still opens, unchanged
