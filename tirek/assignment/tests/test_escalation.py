"""Escalation: overdue referrals are escalated and offers expire, once each."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tirek.assignment.escalation import escalate, offer_expire
from tirek.assignment.models import AssignmentState, RequestState
from tirek.assignment.tests import board_rows as rows
from tirek.audit.models import AuditEvent

NAME = "Asel Escaltest-Bekova"
OSH_NAME = "Nuriza Escaltest-Mamatova"


@pytest.fixture
def coordinator_osh(demo):
    return demo["user.coordinator_osh"]


@pytest.fixture
def overdue(demo, caseworker, coordinator_osh):
    """A referral from the Chui shelter two days overdue, one from an Osh NGO
    overdue, one still in time; an Osh request offered to the Osh lawyer with
    the answer two hours late.

    ``baseline`` is what the demo itself leaves to escalate (a dry run before
    these rows), so the counts below are the rows' own.
    """
    baseline = escalate(dry_run=True)
    osh_caseworker = rows.osh_ngo_caseworker()
    person = rows.person(caseworker, NAME)
    osh_person = rows.person(osh_caseworker, OSH_NAME)
    chui = rows.referral(
        person=person,
        sent_by=caseworker,
        to_organisation=demo["org.ngo"],
        sent_at=rows.ago(5),
        acknowledge_by=rows.ago(2),
    )
    osh = rows.referral(
        person=osh_person,
        sent_by=osh_caseworker,
        to_organisation=demo["org.shelter"],
        sent_at=rows.ago(3),
        acknowledge_by=rows.ago(1),
    )
    in_time = rows.referral(
        person=person,
        sent_by=caseworker,
        to_organisation=demo["org.ngo"],
        sent_at=rows.ago(0, 1),
        acknowledge_by=rows.ago(-2),
    )
    request = rows.legal_aid_request(
        demo, person=osh_person, requested_by=osh_caseworker, region="osh", received_at=rows.ago(3)
    )
    offer = rows.offer(
        request=request,
        lawyer=demo["user.lawyer_osh"],
        chosen_by=demo["user.coordinator"],
        offered_at=rows.ago(2),
        respond_by=rows.ago(0, 2),
    )
    return {
        "chui": chui,
        "osh": osh,
        "in_time": in_time,
        "request": request,
        "offer": offer,
        "osh_caseworker": osh_caseworker,
        "baseline": (baseline.referrals, baseline.assignments, baseline.emails),
    }


def _names(subject: str, number: int) -> bool:
    """The subject names referral ``number`` (in the recipient's language:
    "No. 3", "№ 3")."""
    return re.search(rf"(No\.|№) {number}\b", subject) is not None


def _plus(overdue, referrals: int, assignments: int, emails: int) -> tuple[int, int, int]:
    base = overdue["baseline"]
    return (base[0] + referrals, base[1] + assignments, base[2] + emails)


def _counts(report) -> tuple[int, int, int]:
    return (report.referrals, report.assignments, report.emails)


def _run(capture, **kwargs):
    with capture(execute=True):
        return escalate(**kwargs)


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_it_escalates_an_overdue_referral_once(
    overdue, demo, caseworker, coordinator, coordinator_osh, django_capture_on_commit_callbacks
):
    report = _run(django_capture_on_commit_callbacks)
    assert _counts(report) == _plus(overdue, 2, 1, 7)
    chui = overdue["chui"]
    chui.refresh_from_db()
    assert chui.escalated_at is not None and chui.state == "sent"
    overdue["in_time"].refresh_from_db()
    assert overdue["in_time"].escalated_at is None
    event = AuditEvent.objects.get(action="referral.escalate", changes__referral=[None, chui.pk])
    assert event.actor_id is None
    assert (event.target_type, event.target_id) == ("people.person", str(chui.person_id))
    # Chui's sender: the national coordinator and the sender, not Osh's coordinator.
    about_chui = [m for m in mail.outbox if _names(m.subject, chui.pk)]
    assert sorted(m.to[0] for m in about_chui) == sorted([coordinator.email, caseworker.email])
    # Osh's: Osh's coordinator too.
    about_osh = [m for m in mail.outbox if _names(m.subject, overdue["osh"].pk)]
    assert sorted(m.to[0] for m in about_osh) == sorted(
        [coordinator.email, coordinator_osh.email, overdue["osh_caseworker"].email]
    )
    assert report.emails == len(mail.outbox)

    # A second run finds nothing to do and sends nothing.
    sent = len(mail.outbox)
    again = _run(django_capture_on_commit_callbacks)
    assert _counts(again) == (0, 0, 0)
    assert len(mail.outbox) == sent
    assert AuditEvent.objects.filter(action="referral.escalate").count() == report.referrals


def test_the_referral_e_mail_names_organisations_and_dates_never_the_person(
    overdue, caseworker, django_capture_on_commit_callbacks
):
    _run(django_capture_on_commit_callbacks)
    [message] = [m for m in _to(caseworker.email) if _names(m.subject, overdue["chui"].pk)]
    assert "Demo Shelter No. 1" in message.body
    assert "Demo NGO «Koldoo»" in message.body
    assert "Shelter" in message.body
    for message in mail.outbox:
        for text in (message.subject, message.body):
            assert "Escaltest" not in text
            assert str(overdue["chui"].person.record_key) not in text


def test_an_expired_offer_reopens_the_request(
    overdue, demo, coordinator, coordinator_osh, django_capture_on_commit_callbacks
):
    report = _run(django_capture_on_commit_callbacks)
    assert report.assignments == _plus(overdue, 0, 1, 0)[1]
    offer, request = overdue["offer"], overdue["request"]
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.state == AssignmentState.EXPIRED
    assert offer.escalated_at is not None and offer.answered_at is None
    assert request.state == RequestState.OPEN
    event = AuditEvent.objects.get(action="assignment.expire", target_id=str(request.pk))
    assert (event.target_type, event.target_id) == ("assignment.legalaidrequest", str(request.pk))
    assert event.changes == {"assignment": [None, offer.pk], "state": ["offered", "open"]}
    # The coordinator who chose, and Osh region's coordinators.
    about = [m for m in mail.outbox if request.number in m.subject]
    assert sorted(m.to[0] for m in about) == sorted([coordinator.email, coordinator_osh.email])
    for message in about:
        assert "Gulnara Demo" in message.body
        assert OSH_NAME not in message.body and "Escaltest" not in message.body

    again = _run(django_capture_on_commit_callbacks)
    assert again.assignments == 0
    assert (
        AuditEvent.objects.filter(action="assignment.expire", target_id=str(request.pk)).count()
        == 1
    )


def test_an_offer_answered_meanwhile_is_left_alone(overdue, django_capture_on_commit_callbacks):
    """The lawyer accepted between the listing and the lock: nothing expires."""
    offer = overdue["offer"]
    offer.state = AssignmentState.ACCEPTED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["state", "answered_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_expire(assignment_id=offer.pk, now=timezone.now(), coordinators=[]) is None
    offer.refresh_from_db()
    assert offer.state == AssignmentState.ACCEPTED and offer.escalated_at is None
    assert not AuditEvent.objects.filter(action="assignment.expire").exists()


def test_an_acknowledged_referral_is_not_escalated(overdue, django_capture_on_commit_callbacks):
    chui = overdue["chui"]
    chui.state = "acknowledged"
    chui.acknowledged_at = timezone.now()
    chui.save(update_fields=["state", "acknowledged_at"])
    report = _run(django_capture_on_commit_callbacks)
    assert report.referrals == _plus(overdue, 1, 0, 0)[0]  # Osh's only
    chui.refresh_from_db()
    assert chui.escalated_at is None


def test_a_dry_run_writes_nothing_and_sends_nothing(overdue, django_capture_on_commit_callbacks):
    events = AuditEvent.objects.count()
    report = _run(django_capture_on_commit_callbacks, dry_run=True)
    assert _counts(report) == _plus(overdue, 2, 1, 7)
    assert report.dry_run
    assert mail.outbox == []
    assert AuditEvent.objects.count() == events
    overdue["chui"].refresh_from_db()
    overdue["offer"].refresh_from_db()
    overdue["request"].refresh_from_db()
    assert overdue["chui"].escalated_at is None
    assert overdue["offer"].state == AssignmentState.OFFERED
    assert overdue["request"].state == RequestState.OFFERED
    # The real run then does what the dry run counted.
    real = _run(django_capture_on_commit_callbacks)
    assert _counts(real) == _plus(overdue, 2, 1, 7)
    assert len(mail.outbox) == real.emails


def test_the_command_prints_a_one_line_summary(overdue, django_capture_on_commit_callbacks):
    expected = "escalate: referrals={} assignments={} emails={}".format(*_plus(overdue, 2, 1, 7))
    out = io.StringIO()
    call_command("escalate", "--dry-run", stdout=out)
    assert out.getvalue().startswith(f"{expected} (dry run")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate", stdout=out)
    assert out.getvalue().strip() == expected
    assert len(mail.outbox) == _plus(overdue, 2, 1, 7)[2]


def test_each_e_mail_is_in_its_recipient_s_language(
    overdue, coordinator_osh, django_capture_on_commit_callbacks, monkeypatch
):
    """The Osh coordinator reads Kyrgyz: their message is built with Kyrgyz active."""
    from django.utils import translation

    from tirek.assignment import escalation

    languages = {}
    original = escalation._referral_message

    def spy(referral):
        languages.setdefault(referral.pk, []).append(translation.get_language())
        return original(referral)

    monkeypatch.setattr(escalation, "_referral_message", spy)
    _run(django_capture_on_commit_callbacks)
    # National coordinator (ru), Osh coordinator (ky), Osh caseworker (no preference: default).
    assert sorted(languages[overdue["osh"].pk]) == sorted(["ru", "ky", "ky"])
