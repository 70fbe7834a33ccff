"""From a caseworker's request to an open case, through the pages people use."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tirek.assignment import actions
from tirek.assignment.models import Assignment, AssignmentState, LegalAidRequest, RequestState
from tirek.audit.models import AuditEvent
from tirek.nrm.models import Referral, ReferralState
from tirek.people import actions as people

NAME = "Nurgul Testova-Requested"
STATUS = {
    "outcome": "recognised",
    "decided_on": "2026-11-20",
    "authority": "Demo interdepartmental commission",
    "decision_maker": "A. Demo, chair",
    "document_number": "NRM-77/2026",
    "grounds": "Indicators of forced labour confirmed by the commission",
}


@pytest.fixture
def person(demo, caseworker):
    person = people.person_register(
        actor=caseworker,
        full_name=NAME,
        birth_date=datetime.date(1995, 3, 4),
        sex="female",
    )
    people.consent_record(
        actor=caseworker,
        person=person,
        purpose="legal_representation",
        given_on=timezone.localdate(),
        explained_in="ky",
    )
    return person


def _request_page_post(client, person, **changes):
    data = {
        "region": "bishkek",
        "languages": ["ky", "ru"],
        "gender_preference": "",
        "lawyer_role": "victim_representative",
        "basis": "victim_status",
        "summary": "Unpaid wages and a passport kept by the employer",
        **changes,
    }
    return client.post(reverse("assignment:request-create", args=[person.record_key]), data)


def test_the_whole_path_from_request_to_an_open_case(
    demo, person, caseworker, coordinator, lawyer, as_user, django_capture_on_commit_callbacks
):
    worker = as_user(caseworker)
    response = _request_page_post(worker, person)
    item = LegalAidRequest.objects.get(person=person)
    assert response.status_code == 302
    assert item.state == RequestState.OPEN and item.legal_aid_office == demo["org.las"]

    # The coordinator opens it (needs shown, identity never) and acknowledges it.
    boss = as_user(coordinator)
    page = boss.get(reverse("assignment:request", args=[item.number])).content.decode()
    assert "Unpaid wages" in page and NAME not in page and "1995" not in page
    item.refresh_from_db()
    assert item.acknowledged_at is None  # reading is not acknowledging
    boss.post(reverse("assignment:request-acknowledge", args=[item.number]))
    item.refresh_from_db()
    assert item.acknowledged_at is not None
    assert "Record the decision" in page

    # Without a recognised status no lawyer can be offered.
    refused = boss.post(
        reverse("assignment:request-assign", args=[item.number]), {"lawyer": lawyer.pk}
    )
    assert refused.status_code == 400
    assert not Assignment.objects.exists()

    boss.post(reverse("assignment:request-status", args=[item.number]), STATUS)
    item.refresh_from_db()
    assert item.status_decision.document_number == "NRM-77/2026"

    page = boss.get(reverse("assignment:request", args=[item.number])).content.decode()
    assert "Serves the region." in page and lawyer.get_full_name() in page
    with django_capture_on_commit_callbacks(execute=True):
        boss.post(reverse("assignment:request-assign", args=[item.number]), {"lawyer": lawyer.pk})
    offer = Assignment.objects.get(request=item)
    assert offer.state == AssignmentState.OFFERED and offer.rank == 1
    assert [message.to for message in mail.outbox] == [[lawyer.email]]
    assert NAME not in mail.outbox[0].body

    # The lawyer reads the offer without identity, then accepts.
    advocate = as_user(lawyer)
    page = advocate.get(reverse("assignment:offer", args=[offer.pk])).content.decode()
    assert "Unpaid wages" in page and NAME not in page
    response = advocate.post(
        reverse("assignment:offer-answer", args=[offer.pk]), {"answer": "accept"}
    )
    item.refresh_from_db()
    assert item.state == RequestState.ASSIGNED and item.case.lawyer == lawyer
    assert response["Location"] == reverse("cases:workspace", args=[item.case.number])
    assert NAME in advocate.get(response["Location"]).content.decode()
    assert item.case.basis_reference == "NRM-77/2026"
    assert offer.__class__.objects.get(pk=offer.pk).order.number

    # The caseworker sees what happened.
    page = worker.get(reverse("assignment:request", args=[item.number])).content.decode()
    assert "Assigned" in page


def test_passing_over_the_first_ranked_needs_a_reason(demo, person, caseworker, coordinator):
    item = actions.request_create(
        actor=caseworker, person=person, region="osh", basis="legal_aid_law", languages=["uz"]
    )
    ranked = actions.proposal_for(coordinator, item)
    eligible = [entry for entry in ranked if entry.eligible]
    assert len(eligible) == 2
    second = eligible[1].candidate.lawyer_id
    with pytest.raises(Exception, match="ranks first"):
        actions.assignment_offer(actor=coordinator, request=item, lawyer_id=second)
    offer = actions.assignment_offer(
        actor=coordinator,
        request=item,
        lawyer_id=second,
        override_reason="The victim knows this lawyer's office and trusts it",
    )
    assert offer.rank == 2 and offer.first_ranked_id == eligible[0].candidate.lawyer_id
    assert offer.override_reason.startswith("The victim knows")
    # The trail records that a reason was given; the text stays on the
    # assignment, which erasure can clear.
    event = AuditEvent.objects.filter(action="assignment.offer").last()
    assert event.changes["override_reason_given"] == [None, True] and event.reason == ""


def test_a_decline_reopens_the_request_and_the_lawyer_is_not_proposed_again(
    demo, person, caseworker, coordinator, lawyer
):
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    offer = actions.assignment_offer(actor=coordinator, request=item, lawyer_id=lawyer.pk)
    with pytest.raises(Exception, match="Say why"):
        actions.assignment_decline(actor=lawyer, assignment=offer, reason="no")
    actions.assignment_decline(
        actor=lawyer, assignment=offer, reason="I represent the employer in another matter"
    )
    item.refresh_from_db()
    assert item.state == RequestState.OPEN
    mine = next(
        e for e in actions.proposal_for(coordinator, item) if e.candidate.lawyer_id == lawyer.pk
    )
    assert not mine.eligible and mine.exclusions[0].code == "declined"


def test_an_answer_after_the_time_limit_is_refused(demo, person, caseworker, coordinator, lawyer):
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    offer = actions.assignment_offer(actor=coordinator, request=item, lawyer_id=lawyer.pk)
    Assignment.objects.filter(pk=offer.pk).update(
        respond_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(Exception, match="ran out"):
        actions.assignment_accept(actor=lawyer, assignment=offer)
    item.refresh_from_db()
    assert item.case is None


def test_another_lawyer_cannot_see_or_answer_the_offer(
    demo, person, caseworker, coordinator, lawyer, as_user
):
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    offer = actions.assignment_offer(actor=coordinator, request=item, lawyer_id=lawyer.pk)
    other = as_user(demo["user.lawyer_osh"])
    assert other.get(reverse("assignment:offer", args=[offer.pk])).status_code == 404
    assert (
        other.post(
            reverse("assignment:offer-answer", args=[offer.pk]), {"answer": "accept"}
        ).status_code
        == 404
    )
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED


def test_a_request_needs_consent_to_legal_representation(demo, caseworker, as_user):
    person = people.person_register(actor=caseworker, full_name="No Consent Yet")
    response = _request_page_post(as_user(caseworker), person)
    assert response.status_code == 200
    assert "not consented to legal representation" in response.content.decode()
    assert not LegalAidRequest.objects.filter(person=person).exists()


def test_a_request_travels_as_a_referral_when_the_person_consented_to_share(
    demo, person, caseworker, coordinator, as_user
):
    people.consent_record(
        actor=caseworker,
        person=person,
        purpose="sharing",
        recipient=demo["org.las"],
        scope=["situation"],
        given_on=timezone.localdate(),
        explained_in="ky",
    )
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    assert item.referral.state == ReferralState.SENT
    as_user(coordinator).post(reverse("assignment:request-acknowledge", args=[item.number]))
    assert Referral.objects.get(pk=item.referral_id).state == ReferralState.ACKNOWLEDGED


def test_a_regional_coordinator_sees_only_their_region(demo, person, caseworker, as_user):
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    osh = as_user(demo["user.coordinator_osh"])
    assert osh.get(reverse("assignment:request", args=[item.number])).status_code == 404
    assert item.number not in osh.get(reverse("assignment:requests")).content.decode()


def test_the_sender_withdraws_a_waiting_request_and_the_offer_with_it(
    demo, person, caseworker, coordinator, lawyer, as_user
):
    item = actions.request_create(
        actor=caseworker, person=person, region="bishkek", basis="legal_aid_law", languages=["ky"]
    )
    offer = actions.assignment_offer(actor=coordinator, request=item, lawyer_id=lawyer.pk)
    url = reverse("assignment:request-withdraw", args=[item.number])
    assert as_user(coordinator).post(url, {"reason": "The person moved abroad"}).status_code == 404
    as_user(caseworker).post(url, {"reason": "x"})
    item.refresh_from_db()
    assert item.state == RequestState.OFFERED  # a reason of one letter is refused
    as_user(caseworker).post(url, {"reason": "The person moved abroad and asked to stop"})
    item.refresh_from_db()
    offer.refresh_from_db()
    assert item.state == RequestState.WITHDRAWN and offer.state == AssignmentState.WITHDRAWN
    with pytest.raises(Exception, match="no longer open"):
        actions.assignment_accept(actor=lawyer, assignment=offer)
