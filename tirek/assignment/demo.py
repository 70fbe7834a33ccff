"""A demo request for legal aid waiting for a lawyer (fictional)."""

from tirek.assignment import actions
from tirek.assignment.models import LegalAidRequest
from tirek.core.demo import DemoData


def load(demo: DemoData) -> None:
    person = demo["person.waiting_request"]
    request = LegalAidRequest.objects.filter(person=person).first()
    if request is None:
        request = actions.request_create(
            actor=demo["user.caseworker"],
            person=person,
            region="bishkek",
            basis="victim_status",
            languages=["ky", "ru"],
            gender_preference="female",
            summary="Demo: eight months of wages unpaid; wants them back in the criminal case.",
        )
    demo.records["request.waiting"] = request


def generate(volume, demo: DemoData) -> None:
    from tirek.assignment.volume import generate as bulk

    bulk(volume, demo)
