"""Fictional people for the demo: invented names, numbers and places."""

import datetime
import random

from tirek.accounts.models import User
from tirek.core.demo import DemoData, Volume
from tirek.people import actions
from tirek.people.models import ConsentPurpose, Person

# (record name, full name, birth date, document, phone, address, whereabouts, sex)
PEOPLE = [
    (
        "person.adult_labour",
        "Aizada Demo-Tursunova",
        datetime.date(1996, 4, 11),
        "ID0000001",
        "+996 700 000 001",
        "Demo street 1, Tokmok",
        "Safe house Demo-7, Bishkek",
        "female",
    ),
    (
        "person.child",
        "Bekzat Demo-Asanov",
        datetime.date(2010, 9, 2),
        "KG0000002",
        "",
        "Demo lane 2, Kara-Balta",
        "Safe house Demo-7, Bishkek",
        "male",
    ),
    (
        "person.refused_case",
        "Cholpon Demo-Ismailova",
        datetime.date(1989, 1, 23),
        "AN0000003",
        "+996 555 000 003",
        "Demo avenue 3, Jalal-Abad",
        "Family home Demo-9, Suzak",
        "female",
    ),
]


def load(demo: DemoData) -> None:
    caseworker = demo["user.caseworker"]
    for key, name, born, document, phone, address, whereabouts, sex in PEOPLE:
        person = Person.objects.matching(document_number=document).first()
        if person is None:
            person = actions.person_register(
                actor=caseworker,
                full_name=name,
                birth_date=born,
                document_number=document,
                phone=phone,
                address=address,
                whereabouts=whereabouts,
                sex=sex,
            )
            actions.consent_record(
                actor=caseworker,
                person=person,
                purpose=ConsentPurpose.LEGAL_REPRESENTATION,
                given_on=datetime.date(2026, 10, 1),
                explained_in="ky",
            )
            actions.consent_record(
                actor=caseworker,
                person=person,
                purpose=ConsentPurpose.SHARING,
                scope=["identity", "document", "contact", "whereabouts", "situation"],
                recipient=demo["org.ngo"],
                given_on=datetime.date(2026, 10, 1),
                explained_in="ru",
            )
            actions.person_share(actor=caseworker, person=person, organisation=demo["org.ngo"])
        demo.records[key] = person


def generate(volume: Volume, demo: DemoData) -> None:
    """Bulk fictional people ("Gen Person …"), encrypted like any other.

    One in a hundred is registered by the demo shelter, so its caseworker's
    list has a realistic length; the rest spread over generated caseworkers.
    Idempotent in a benchmark database (which holds only the demo and
    generated people): only the missing number is made.
    """
    existing = Person.objects.count() - len(PEOPLE)
    missing = volume.people - existing
    if missing <= 0:
        return
    rng = random.Random(volume.seed)  # noqa: S311  repeatable demo data, not secrets
    workers = list(
        User.objects.filter(username__startswith="gen-caseworker-").select_related("organisation")
    ) or [demo["user.caseworker"]]
    batch: list[Person] = []
    for number in range(existing + 1, volume.people + 1):
        worker = demo["user.caseworker"] if number % 100 == 0 else rng.choice(workers)
        batch.append(
            Person(
                full_name=f"Gen Person {number:06d}",
                birth_date=datetime.date(1970, 1, 1)
                + datetime.timedelta(days=rng.randrange(15000)),
                document_number=f"GEN{number:07d}",
                phone=f"+996 700 {number:06d}",
                whereabouts=f"Gen place {number % 500}",
                sex=rng.choice(["female", "male", "undisclosed"]),
                registered_by=worker,
                organisation_id=worker.organisation_id,
            )
        )
        if len(batch) == 2000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
