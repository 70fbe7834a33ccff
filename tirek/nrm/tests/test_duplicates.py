"""Possible duplicates: a caseworker is warned without learning anything of the
other record; a coordinator, who sees only the two organisations, puts them in touch."""

import datetime
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import OrganisationKind, Role
from tirek.audit.models import AuditEvent
from tirek.nrm.duplicates import signal_duplicates
from tirek.nrm.models import DuplicateSignal
from tirek.people import actions
from tirek.people.models import Person
from tirek.protection.retention import person_erase

WARNING = "This person may already be known to another organisation."

# The record the other organisation keeps; every value here must stay unseen.
KNOWN = {
    "full_name": "Zarina Demo-Known",
    "birth_date": datetime.date(1994, 7, 15),
    "document_number": "AC1234567",
    "phone": "+996 777 123 456",
    "address": "Demo street 77, Talas",
    "whereabouts": "Crisis centre Demo-3, Talas",
}


@pytest.fixture
def elsewhere(demo):
    """A social service in Talas (outside the shelter's region and Osh)."""
    return account_actions.organisation_create(
        actor=None,
        name="Demo Social Service Talas",
        kind=OrganisationKind.SOCIAL_SERVICE,
        region="talas",
    )


@pytest.fixture
def elsewhere_caseworker(elsewhere):
    return account_actions.user_create(
        actor=None,
        username="talas-caseworker",
        email="talas-caseworker@tirek.invalid",
        organisation=elsewhere,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )


@pytest.fixture
def known(elsewhere_caseworker) -> Person:
    return actions.person_register(actor=elsewhere_caseworker, **KNOWN)


def register(client, **values):
    data = {"sex": "female", "phone": "", "address": "", "whereabouts": ""}
    data.update({name: str(value) for name, value in values.items()})
    return client.post(reverse("people:create"), data, follow=True)


def assert_nothing_of(known: Person, elsewhere, page: str) -> None:
    page = unescape(page)
    assert elsewhere.name not in page
    assert str(known.record_key) not in page
    for name in ("document_number", "phone", "address", "whereabouts"):
        assert KNOWN[name] not in page, name


def test_it_warns_on_a_name_and_birth_date_known_to_another_organisation(
    caseworker, as_user, known, elsewhere
):
    response = register(
        as_user(caseworker),
        full_name="  zarina demo-known ",
        birth_date="1994-07-15",
        document_number="ZZ0000009",
    )
    page = response.content.decode()
    assert WARNING in unescape(page)
    assert_nothing_of(known, elsewhere, page)
    signal = DuplicateSignal.objects.get()
    assert signal.known_as_id == known.pk
    assert signal.person.organisation == caseworker.organisation
    assert signal.matched_on == ["name_and_birth_date"]
    event = AuditEvent.objects.get(action="duplicate.signal")
    assert event.actor_id == caseworker.pk
    assert event.target_id == str(signal.person_id)
    assert event.changes == {"signal": [None, signal.pk]}


def test_it_warns_on_a_document_number_known_to_another_organisation(
    caseworker, as_user, known, elsewhere
):
    response = register(as_user(caseworker), full_name="Z. Demo", document_number="ac 123-4567")
    page = response.content.decode()
    assert WARNING in unescape(page)
    assert_nothing_of(known, elsewhere, page)
    assert KNOWN["full_name"] not in page
    assert DuplicateSignal.objects.get().matched_on == ["document_number"]


def test_it_names_both_indexes_when_both_match(caseworker, known):
    person = actions.person_register(actor=caseworker, **KNOWN)
    assert [s.matched_on for s in person.duplicate_signals] == [
        ["name_and_birth_date", "document_number"]
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"full_name": KNOWN["full_name"]},  # a name alone is not enough
        {"full_name": KNOWN["full_name"], "birth_date": datetime.date(1994, 7, 16)},
        {"full_name": "Someone Else", "birth_date": KNOWN["birth_date"]},
    ],
)
def test_it_does_not_warn_on_a_partial_match(caseworker, known, values):
    assert actions.person_register(actor=caseworker, **values).duplicate_signals == []
    assert not DuplicateSignal.objects.exists()


def test_it_does_not_warn_on_a_match_within_the_same_organisation(
    caseworker, as_user, elsewhere_caseworker
):
    actions.person_register(actor=caseworker, **KNOWN)
    response = register(
        as_user(caseworker),
        full_name=KNOWN["full_name"],
        birth_date="1994-07-15",
        document_number=KNOWN["document_number"],
    )
    assert WARNING not in unescape(response.content.decode())
    assert not DuplicateSignal.objects.exists()


def test_it_does_not_warn_on_an_erased_person(caseworker, as_user, known):
    person_erase(actor=None, person=known, reason="retention period ended")
    response = register(
        as_user(caseworker),
        full_name=KNOWN["full_name"],
        birth_date="1994-07-15",
        document_number=KNOWN["document_number"],
    )
    assert WARNING not in unescape(response.content.decode())
    assert not DuplicateSignal.objects.exists()


def test_an_edit_warns_once_for_a_new_pair_only(caseworker, as_user, demo, known, elsewhere):
    aizada = demo["person.adult_labour"]
    client = as_user(caseworker)
    url = reverse("people:edit", args=[aizada.record_key])
    form = {
        "full_name": aizada.full_name,
        "birth_date": str(aizada.birth_date),
        "sex": aizada.sex,
        "document_number": KNOWN["document_number"],
        "phone": aizada.phone,
        "address": aizada.address,
        "whereabouts": aizada.whereabouts,
    }
    page = client.post(url, form, follow=True).content.decode()
    assert WARNING in unescape(page)
    assert_nothing_of(known, elsewhere, page.replace(KNOWN["document_number"], ""))
    assert DuplicateSignal.objects.filter(person=aizada, known_as=known).count() == 1

    # Other fields, then the same number again: nothing new to say.
    again = client.post(url, form | {"phone": "+996 700 999 999"}, follow=True)
    assert WARNING not in unescape(again.content.decode())
    form["document_number"] = "ID0000001"
    client.post(url, form)
    form["document_number"] = KNOWN["document_number"]
    assert WARNING not in unescape(client.post(url, form, follow=True).content.decode())
    assert DuplicateSignal.objects.count() == 1


def test_a_pair_is_never_signalled_twice_in_either_direction(caseworker, known):
    person = actions.person_register(actor=caseworker, **KNOWN)
    assert len(person.duplicate_signals) == 1
    assert signal_duplicates(actor=None, person=known) == []
    assert signal_duplicates(actor=None, person=person) == []


# --- The coordinator's pages ------------------------------------------------------


@pytest.fixture
def signal(caseworker, known) -> DuplicateSignal:
    person = actions.person_register(actor=caseworker, **KNOWN)
    return person.duplicate_signals[0]


def test_the_coordinator_sees_the_two_organisations_and_nobody(coordinator, as_user, signal):
    page = unescape(as_user(coordinator).get(reverse("nrm:duplicates")).content.decode())
    assert "Demo Shelter No. 1" in page
    assert "Demo Social Service Talas" in page
    assert "Talas region" in page
    assert "name and date of birth" in page
    assert "document number" in page
    for person in (signal.person, signal.known_as):
        assert str(person.record_key) not in page
    for value in KNOWN.values():
        assert str(value) not in page
    assert str(KNOWN["birth_date"].year) not in page


@pytest.mark.parametrize("persona", ["caseworker", "lawyer", "administrator", "analyst"])
def test_nobody_else_opens_the_list(persona, demo, as_user, signal):
    assert as_user(demo[f"user.{persona}"]).get(reverse("nrm:duplicates")).status_code == 404


def test_introducing_tells_only_the_organisation_that_knew_the_person_first(
    coordinator, as_user, signal, caseworker, django_capture_on_commit_callbacks
):
    """The newcomer (who may be probing for where a victim is) learns nothing;
    the organisation that already holds the person judges whether to call."""
    url = reverse("nrm:duplicate-introduce", args=[signal.pk])
    client = as_user(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Please call each other this week."})
    assert response["Location"] == reverse("nrm:duplicates")

    assert [message.to for message in mail.outbox] == [["talas-caseworker@tirek.invalid"]]
    talas = mail.outbox[0].body
    assert str(signal.known_as.record_key) in talas
    assert str(signal.person.record_key) not in talas
    assert "Demo Shelter No. 1" in talas and caseworker.email in talas
    assert "Please call each other this week." in talas
    for value in KNOWN.values():
        assert str(value) not in talas

    signal.refresh_from_db()
    assert signal.introduced_at is not None and signal.introduced_by == coordinator
    event = AuditEvent.objects.get(action="duplicate.introduce")
    assert (event.actor_id, event.target_type) == (coordinator.pk, "nrm.duplicatesignal")
    assert "Please call" not in str(event.changes)

    # Once only: a second click sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": ""})
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="duplicate.introduce").count() == 1
    assert "Put in touch on" in unescape(client.get(reverse("nrm:duplicates")).content.decode())


def test_a_regional_coordinator_sees_and_introduces_only_their_region(demo, as_user, signal):
    osh = as_user(demo["user.coordinator_osh"])
    page = unescape(osh.get(reverse("nrm:duplicates")).content.decode())
    assert "Demo Social Service Talas" not in page
    url = reverse("nrm:duplicate-introduce", args=[signal.pk])
    assert osh.post(url, {"note": ""}).status_code == 404
    assert DuplicateSignal.objects.get().introduced_at is None

    # In the region if either organisation is: an Osh shelter's registration.
    osh_shelter = account_actions.organisation_create(
        actor=None, name="Demo Shelter Osh", kind=OrganisationKind.SHELTER, region="osh"
    )
    osh_worker = account_actions.user_create(
        actor=None,
        username="osh-caseworker",
        email="osh-caseworker@tirek.invalid",
        organisation=osh_shelter,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )
    actions.person_register(actor=osh_worker, **KNOWN)
    page = unescape(osh.get(reverse("nrm:duplicates")).content.decode())
    assert "Demo Shelter Osh" in page
    assert page.count("Demo Social Service Talas") == 1  # its signal, not the Chui one


def test_the_list_takes_the_same_number_of_queries_for_1_or_20_signals(
    coordinator, as_user, caseworker, elsewhere_caseworker, django_assert_max_num_queries
):
    client = as_user(coordinator)
    client.get(reverse("nrm:duplicates"))  # session, user, roles warmed up

    def add_signals(count: int) -> None:
        start = DuplicateSignal.objects.count()
        for number in range(start, start + count):
            actions.person_register(
                actor=elsewhere_caseworker, full_name="Known", document_number=f"Q{number}"
            )
            actions.person_register(
                actor=caseworker, full_name="Again", document_number=f"Q{number}"
            )

    add_signals(1)
    with django_assert_max_num_queries(12) as one:
        assert client.get(reverse("nrm:duplicates")).status_code == 200
    add_signals(19)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("nrm:duplicates")).content.decode()
    assert page.count("E-mail both organisations") == 20
