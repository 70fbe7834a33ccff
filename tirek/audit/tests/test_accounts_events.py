"""Every change to accounts and every sign-in leaves exactly one event (SECURITY.md, T14)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tirek.accounts import actions
from tirek.accounts.models import User
from tirek.accounts.roles import OrganisationKind, Role
from tirek.audit.log import ACTION_PATTERN, current_address
from tirek.audit.middleware import AuditAddressMiddleware
from tirek.audit.models import AuditEvent
from tirek.audit.verify import verify_trail

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))


def last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def assert_well_formed(event: AuditEvent, *, action: str, actor: User | None, target) -> None:
    assert event.action == action and ACTION_PATTERN.match(event.action)
    assert event.actor_id == (actor.pk if actor else None)
    assert (event.target_type, event.target_id) == (target._meta.label_lower, str(target.pk))
    assert event.created_at.utcoffset() == datetime.timedelta(0)
    assert set(event.changes) <= set(event.fields)
    assert all(len(pair) == 2 for pair in event.changes.values())
    assert event.computed_hash() == event.entry_hash


def one_event_of(call):
    """(what ``call`` returned, the one event it wrote)."""
    before = last_sequence()
    result = call()
    events = new_events(before)
    assert len(events) == 1, [event.action for event in events]
    return result, events[0]


def test_every_accounts_action_writes_exactly_one_well_formed_event(administrator, demo):
    organisation, event = one_event_of(
        lambda: actions.organisation_create(
            actor=administrator, name="Demo NGO «Jardam»", kind=OrganisationKind.NGO
        )
    )
    assert_well_formed(
        event, action="organisation.create", actor=administrator, target=organisation
    )
    assert event.changes["name"] == [None, "Demo NGO «Jardam»"]

    _, event = one_event_of(
        lambda: actions.organisation_update(
            actor=administrator,
            organisation=organisation,
            name="Demo NGO «Jardam»",
            kind=OrganisationKind.NGO,
            region="chui",
            parent=None,
            is_active=True,
        )
    )
    assert_well_formed(
        event, action="organisation.update", actor=administrator, target=organisation
    )
    assert event.changes == {"region": ["", "chui"]}

    user, event = one_event_of(
        lambda: actions.user_create(
            actor=administrator,
            username="demo-new-caseworker",
            email="new@tirek.invalid",
            organisation=organisation,
            roles=[Role.CASEWORKER],
            password=demo.password,
        )
    )
    assert_well_formed(event, action="user.create", actor=administrator, target=user)
    assert event.changes["roles"] == [None, ["caseworker"]]
    assert demo.password not in json.dumps(event.changes)

    _, event = one_event_of(
        lambda: actions.user_update(
            actor=administrator,
            user=user,
            email="changed@tirek.invalid",
            first_name="",
            last_name="",
            organisation=organisation,
            roles=[Role.CASEWORKER],
            preferred_language="",
            is_active=False,
        )
    )
    assert_well_formed(event, action="user.update", actor=administrator, target=user)
    assert event.changes == {
        "email": ["new@tirek.invalid", "changed@tirek.invalid"],
        "is_active": [True, False],
    }

    _, event = one_event_of(
        lambda: actions.user_update_profile(
            user=user, first_name="Asel", last_name="", preferred_language="ky"
        )
    )
    assert_well_formed(event, action="user.update_profile", actor=user, target=user)
    assert event.changes == {"first_name": ["", "Asel"], "preferred_language": ["", "ky"]}

    _, event = one_event_of(lambda: actions.user_set_language(user=user, language="ru"))
    assert_well_formed(event, action="user.set_language", actor=user, target=user)
    assert event.changes == {"preferred_language": ["ky", "ru"]}
    assert verify_trail().ok


def test_a_refused_change_leaves_no_event(administrator, lawyer):
    before = last_sequence()
    with pytest.raises(ValidationError):
        actions.user_update(
            actor=administrator,
            user=administrator,
            email=administrator.email,
            first_name="",
            last_name="",
            organisation=administrator.organisation,
            roles=[Role.ADMINISTRATOR],
            preferred_language="",
            is_active=False,
        )
    assert new_events(before) == []


def test_an_action_called_during_a_request_records_the_requests_address(administrator):
    # Actions are not handed the request; the middleware lends them its address.
    def view(request):
        actions.user_set_language(user=administrator, language="ky")
        return HttpResponse()

    before = last_sequence()
    AuditAddressMiddleware(view)(RequestFactory().post("/", REMOTE_ADDR="192.0.2.44"))
    (event,) = new_events(before)
    assert (event.action, event.address) == ("user.set_language", "192.0.2.44")
    assert current_address.get() == ""  # nothing left behind for the next request


def test_it_records_signing_in_and_out_with_the_address(client, lawyer, demo):
    before = last_sequence()
    client.post(
        LOGIN, {"username": "demo-lawyer", "password": demo.password}, REMOTE_ADDR="192.0.2.8"
    )
    client.post(LOGOUT, REMOTE_ADDR="192.0.2.8")
    signed_in, signed_out = new_events(before)
    assert_well_formed(signed_in, action="session.sign_in", actor=lawyer, target=lawyer)
    assert_well_formed(signed_out, action="session.sign_out", actor=lawyer, target=lawyer)
    assert signed_in.address == signed_out.address == "192.0.2.8"


def test_a_failed_sign_in_records_the_address_but_never_what_was_typed(client, lawyer):
    before = last_sequence()
    client.post(
        LOGIN, {"username": "demo-lawyer", "password": "my-secret-guess"}, REMOTE_ADDR="192.0.2.9"
    )
    client.post(
        LOGIN, {"username": "typed-password-here", "password": "x"}, REMOTE_ADDR="192.0.2.9"
    )
    known, unknown = new_events(before)
    for event in (known, unknown):
        assert event.action == "session.sign_in_failed"
        assert event.actor_id is None
        assert event.address == "192.0.2.9"
        stored = json.dumps(AuditEvent.objects.filter(pk=event.pk).values()[0], default=str)
        for typed in ("demo-lawyer", "my-secret-guess", "typed-password-here"):
            assert typed not in stored
    assert (known.target_type, known.target_id) == ("accounts.user", str(lawyer.pk))
    assert (unknown.target_type, unknown.target_id) == ("", "")
