"""Demo identification and referral (fictional): a person screened, recognised
by a decision recorded from the authorised body, and referred for support."""

import datetime

from django.utils import timezone

from tirek.core.demo import DemoData
from tirek.nrm import actions
from tirek.nrm.models import ReferralState
from tirek.nrm.screening import screening_record
from tirek.people import actions as people
from tirek.people.models import ConsentPurpose, Person

DOCUMENT = "ID0000004"


def load(demo: DemoData) -> None:
    caseworker = demo["user.caseworker"]
    person = Person.objects.matching(document_number=DOCUMENT).first()
    if person is None:
        person = _register(demo, caseworker)
    demo.records["person.waiting_request"] = person


def _register(demo: DemoData, caseworker) -> Person:
    today = timezone.localdate()
    person = people.person_register(
        actor=caseworker,
        full_name="Dinara Demo-Kadyrova",
        birth_date=datetime.date(1999, 6, 15),
        document_number=DOCUMENT,
        phone="+996 700 000 004",
        whereabouts="Demo Shelter No. 1",
        sex="female",
    )
    for purpose, recipient, scope in (
        (ConsentPurpose.LEGAL_REPRESENTATION, None, []),
        (ConsentPurpose.SHARING, demo["org.las"], ["situation"]),
        (ConsentPurpose.SHARING, demo["org.ngo"], ["identity", "contact"]),
    ):
        people.consent_record(
            actor=caseworker,
            person=person,
            purpose=purpose,
            recipient=recipient,
            scope=scope,
            given_on=today - datetime.timedelta(days=6),
            explained_in="ky",
        )
    screening_record(
        actor=caseworker,
        person=person,
        screened_on=today - datetime.timedelta(days=5),
        facts={
            "offence_date": str(today - datetime.timedelta(days=200)),
            "victim_birth_date": "1999-06-15",
            "acts": ["recruitment", "transportation"],
            "means": ["deception"],
            "purposes": ["forced_labour"],
        },
        indicators=["ilo-forced-labour/2", "ilo-forced-labour/7", "ilo-forced-labour/8"],
        situation="Demo: promised work in a bakery abroad; passport taken on arrival.",
    )
    actions.status_record(
        actor=caseworker,
        person=person,
        outcome="recognised",
        decided_on=today - datetime.timedelta(days=3),
        authority="Demo interdepartmental commission, Chui region",
        decision_maker="Demo Chair, head of the commission",
        document_number="DEMO-NRM-21/2026",
        grounds="Demo grounds: recruitment by deception and retention of the passport.",
    )
    referral = actions.referral_send(
        actor=caseworker,
        person=person,
        service="psychological",
        to_organisation=demo["org.ngo"],
        message="Demo: counselling in Kyrgyz, twice a week.",
    )
    actions.referral_answer(actor=None, referral=referral, state=ReferralState.ACKNOWLEDGED)
    return person
