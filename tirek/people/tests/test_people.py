"""Registering people, need-to-know access, consent-checked sharing, break-glass."""

import datetime
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import Role
from tirek.audit.models import AuditEvent
from tirek.people import actions
from tirek.people.demo import PEOPLE
from tirek.people.models import ConsentPurpose, Person
from tirek.protection.access import persons_visible_to


@pytest.fixture
def aizada(demo) -> Person:
    return demo["person.adult_labour"]


@pytest.fixture
def ngo_caseworker(demo):
    """A caseworker of the NGO the demo people agreed to share with."""
    return account_actions.user_create(
        actor=None,
        username="ngo-caseworker",
        email="ngo-caseworker@tirek.invalid",
        organisation=demo["org.ngo"],
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )


@pytest.fixture
def other_caseworker(demo):
    """A caseworker of an organisation nobody shared anything with."""
    from tirek.accounts.roles import OrganisationKind

    other = account_actions.organisation_create(
        actor=None, name="Demo Social Service Naryn", kind=OrganisationKind.SOCIAL_SERVICE
    )
    return account_actions.user_create(
        actor=None,
        username="other-caseworker",
        email="other@tirek.invalid",
        organisation=other,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )


def detail(person) -> str:
    return reverse("people:detail", args=[person.record_key])


def test_a_caseworker_registers_a_person_whose_identity_is_then_shown_to_them(caseworker, as_user):
    client = as_user(caseworker)
    response = client.post(
        reverse("people:create"),
        {
            "full_name": "Dinara Demo-New",
            "birth_date": "2001-02-03",
            "sex": "female",
            "document_number": "ID7777777",
            "phone": "",
            "address": "",
            "whereabouts": "",
        },
    )
    person = Person.objects.matching(document_number="ID7777777").get()
    assert response["Location"] == detail(person)
    assert "Dinara Demo-New" in client.get(detail(person)).content.decode()


def test_it_refuses_a_birth_date_in_the_future_and_keeps_the_form(caseworker, as_user):
    response = as_user(caseworker).post(
        reverse("people:create"),
        {"full_name": "Dinara Demo-New", "birth_date": "2999-01-01", "sex": "female"},
    )
    page = response.content.decode()
    assert "A date of birth cannot be in the future." in page
    assert 'value="Dinara Demo-New"' in page


def test_it_lists_people_with_masked_names_only(caseworker, as_user):
    page = as_user(caseworker).get(reverse("people:list")).content.decode()
    assert "A••• D•••" in page
    assert "Aizada" not in page


def test_it_finds_a_person_only_by_exact_values(caseworker, as_user, aizada):
    client = as_user(caseworker)
    found = client.post(reverse("people:list"), {"full_name": "aizada demo-tursunova"})
    assert detail(aizada) in found.content.decode()
    fragment = client.post(reverse("people:list"), {"full_name": "aizada"})
    assert detail(aizada) not in fragment.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "trainer", "analyst", "administrator"])
def test_no_other_role_sees_a_person_without_a_reason(persona, demo, aizada, as_user):
    assert as_user(demo[f"user.{persona}"]).get(detail(aizada)).status_code == 404
    assert not persons_visible_to(demo[f"user.{persona}"]).exists()


def test_another_organisation_sees_nothing_and_learns_nothing(other_caseworker, aizada, as_user):
    client = as_user(other_caseworker)
    assert client.get(detail(aizada)).status_code == 404
    missing = reverse("people:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404
    page = client.post(reverse("people:list"), {"full_name": "Aizada Demo-Tursunova"})
    assert detail(aizada) not in page.content.decode()


def test_an_organisation_shared_with_reads_but_cannot_change(ngo_caseworker, aizada, as_user):
    client = as_user(ngo_caseworker)
    assert client.get(detail(aizada)).status_code == 200
    assert client.get(reverse("people:edit", args=[aizada.record_key])).status_code == 404


def test_sharing_without_consent_for_that_provider_is_refused(caseworker, aizada, other_caseworker):
    with pytest.raises(actions.ValidationError, match="has not consented"):
        actions.person_share(
            actor=caseworker, person=aizada, organisation=other_caseworker.organisation
        )
    assert not aizada.shares.filter(organisation=other_caseworker.organisation).exists()


def test_a_consent_to_part_of_the_record_never_shares_the_whole_record(
    caseworker, aizada, other_caseworker
):
    actions.consent_record(
        actor=caseworker,
        person=aizada,
        purpose=ConsentPurpose.SHARING,
        scope=["situation"],
        recipient=other_caseworker.organisation,
        given_on=datetime.date(2026, 11, 1),
        explained_in="ky",
    )
    with pytest.raises(actions.ValidationError, match="Send a referral instead"):
        actions.person_share(
            actor=caseworker, person=aizada, organisation=other_caseworker.organisation
        )
    assert not aizada.shares.filter(organisation=other_caseworker.organisation).exists()


def test_a_withdrawal_stops_the_next_sharing_and_is_shown_to_the_recipient(
    caseworker, ngo_caseworker, demo, as_user
):
    child = demo["person.child"]
    other = account_actions.organisation_create(
        actor=None, name="Demo Shelter No. 2", kind="shelter"
    )
    consent = actions.consent_record(
        actor=caseworker,
        person=child,
        purpose=ConsentPurpose.SHARING,
        scope=["identity"],
        recipient=other,
        given_on=datetime.date(2026, 11, 1),
        explained_in="ky",
    )
    ngo_consent = child.consents.get(recipient=demo["org.ngo"])
    actions.consent_withdraw(
        actor=caseworker, consent=consent, withdrawn_on=datetime.date(2026, 11, 2)
    )
    actions.consent_withdraw(
        actor=caseworker, consent=ngo_consent, withdrawn_on=datetime.date(2026, 11, 2)
    )
    with pytest.raises(actions.ValidationError, match="withdrawn that consent"):
        actions.person_share(actor=caseworker, person=child, organisation=other)
    page = unescape(as_user(ngo_caseworker).get(detail(child)).content.decode())
    assert "withdrew their consent to share with your organisation" in page


def test_every_read_and_change_is_audited_without_identity_values(caseworker, aizada, as_user):
    before = AuditEvent.objects.filter(target_type="people.person").count()
    client = as_user(caseworker)
    client.get(detail(aizada))
    client.post(
        reverse("people:edit", args=[aizada.record_key]),
        {
            "full_name": "Aizada Demo-Tursunova",
            "sex": "female",
            "phone": "+996 700 999 999",
            "birth_date": "1996-04-11",
            "document_number": "ID0000001",
            "address": "Demo street 1, Tokmok",
            "whereabouts": "Safe house Demo-8, Osh",
        },
    )
    events = list(
        AuditEvent.objects.filter(target_type="people.person").order_by("sequence")[before:]
    )
    assert [e.action for e in events] == ["person.view", "person.update"]
    assert events[0].target_id == str(aizada.pk) and "full_name" in events[0].fields
    assert set(events[1].fields) == {"phone", "whereabouts"}
    dump = " ".join(str(e.__dict__) for e in AuditEvent.objects.all())
    for _, name, _, document, _phone, address, whereabouts, _ in PEOPLE:
        for value in (name, document, address, whereabouts, "+996 700 999 999", "Demo-8"):
            assert value not in dump


def test_break_glass_needs_a_recent_sign_in_and_a_reason(administrator, aizada, as_user):
    from tirek.accounts.sessions import AUTHENTICATED_AT

    client = as_user(administrator)
    session = client.session
    session[AUTHENTICATED_AT] -= 6 * 60  # signed in six minutes ago
    session.save()
    page = reverse("people:break-glass")
    assert client.get(page)["Location"].startswith("/accounts/reauthenticate/?next=")

    client = as_user(administrator)  # just signed in again
    refused = client.post(page, {"record_key": aizada.record_key, "reason": "need it"})
    assert "at least 20 characters" in refused.content.decode()
    assert client.get(detail(aizada)).status_code == 404


def test_break_glass_opens_for_thirty_minutes_audited_and_notified(
    administrator, aizada, as_user, demo, django_capture_on_commit_callbacks
):
    client = as_user(administrator)
    reason = "The caseworker reports the record shows the wrong shelter after an import."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:break-glass"),
            {"record_key": aizada.record_key, "reason": reason},
        )
    assert response["Location"] == detail(aizada)
    page = client.get(detail(aizada)).content.decode()
    assert "through emergency access" in page
    event = AuditEvent.objects.filter(action="break_glass.open").get()
    assert event.reason == reason
    assert mail.outbox and mail.outbox[0].to == [demo["user.coordinator"].email]
    assert "Aizada" not in mail.outbox[0].body
    with time_machine.travel(datetime.timedelta(minutes=31)):
        assert as_user(administrator).get(detail(aizada)).status_code == 404


def test_the_list_costs_the_same_number_of_queries_for_many_people(
    caseworker, as_user, django_assert_num_queries, django_assert_max_num_queries
):
    client = as_user(caseworker)
    client.get(reverse("people:list"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("people:list"))
    for number in range(15):
        actions.person_register(actor=caseworker, full_name=f"Demo Person {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("people:list"))


def test_a_lawyer_sees_the_clients_of_their_own_cases_only(demo, as_user):
    lawyer, other = demo["user.lawyer"], demo["user.lawyer_osh"]
    assert set(persons_visible_to(lawyer)) == {demo["person.adult_labour"], demo["person.child"]}
    assert set(persons_visible_to(other)) == {demo["person.refused_case"]}
    assert as_user(other).get(detail(demo["person.adult_labour"])).status_code == 404
