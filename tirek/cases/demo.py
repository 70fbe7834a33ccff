"""Demo cases (fictional), at different stages; bulk volumes in volume.py."""

import datetime

from django.utils import timezone

from tirek.cases import actions
from tirek.cases.models import LegalAidCase
from tirek.cases.volume import generate  # noqa: F401  the demo registry looks here
from tirek.core.demo import DemoData


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def load(demo: DemoData) -> None:
    coordinator, lawyer = demo["user.coordinator"], demo["user.lawyer"]
    lawyer_osh = demo["user.lawyer_osh"]
    existing = {
        case.client_id: case
        for case in LegalAidCase.objects.filter(
            client__in=[
                demo["person.adult_labour"],
                demo["person.child"],
                demo["person.refused_case"],
            ]
        )
    }

    # 1. An adult exploited for labour abroad: under investigation.
    labour = existing.get(demo["person.adult_labour"].pk)
    if labour is None:
        labour = actions.case_open(
            actor=coordinator,
            client=demo["person.adult_labour"],
            lawyer=lawyer,
            lawyer_role="victim_representative",
            legal_aid_basis="nrm_victim_status",
            basis_reference="NRM decision DEMO-14/2026",
            client_languages=["ky", "ru"],
        )
        actions.criminal_case_link(
            actor=lawyer,
            case=labour,
            register_number="DEMO-ERPP-2026-0101",
            investigating_body="Demo investigative department, Bishkek",
            charges=[{"instrument": "kg-cc-2021", "article": "166", "part": "2"}],
            offence_date=_days_ago(200),
            offence_place="Demo construction site abroad",
        )
        actions.party_add(
            actor=lawyer, case=labour, role="accused", full_name="Demo Recruiter Number-One"
        )
        actions.event_record(
            actor=lawyer,
            case=labour,
            kind="meeting",
            occurred_on=_days_ago(40),
            summary="First meeting; rights explained",
        )
        actions.event_record(
            actor=lawyer,
            case=labour,
            kind="decision",
            decision="case_opened",
            occurred_on=_days_ago(35),
            received_on=_days_ago(34),
        )
        actions.note_add(
            actor=lawyer,
            case=labour,
            title="First meeting",
            body="Worked eleven months without pay; the employer kept her passport.",
        )
    demo.records["case.adult_labour"] = labour

    # 2. A child victim of sexual exploitation: the case is in court.
    child = existing.get(demo["person.child"].pk)
    if child is None:
        child = actions.case_open(
            actor=coordinator,
            client=demo["person.child"],
            lawyer=lawyer,
            lawyer_role="victim_representative",
            legal_aid_basis="nrm_victim_status",
            basis_reference="NRM decision DEMO-15/2026",
            client_languages=["ky"],
            safety="threatened",
        )
        actions.criminal_case_link(
            actor=lawyer,
            case=child,
            register_number="DEMO-ERPP-2026-0202",
            charges=[{"instrument": "kg-cc-2021", "article": "167", "part": "3"}],
            offence_date=_days_ago(150),
        )
        actions.event_record(
            actor=lawyer,
            case=child,
            kind="decision",
            decision="case_opened",
            occurred_on=_days_ago(120),
            received_on=_days_ago(119),
        )
        actions.event_record(
            actor=lawyer,
            case=child,
            kind="decision",
            decision="indictment_approved",
            occurred_on=_days_ago(10),
            received_on=_days_ago(9),
        )
    demo.records["case.child"] = child

    # 3. A refusal to open a criminal case, which the lawyer is challenging.
    refused = existing.get(demo["person.refused_case"].pk)
    if refused is None:
        refused = actions.case_open(
            actor=coordinator,
            client=demo["person.refused_case"],
            lawyer=lawyer_osh,
            lawyer_role="victim_representative",
            legal_aid_basis="legal_aid_decision",
            basis_reference="Legal aid decision DEMO-7",
            client_languages=["ky", "uz"],
            interpreter_needed=True,
            region="osh_city",
        )
        actions.event_record(
            actor=lawyer_osh,
            case=refused,
            kind="decision",
            decision="refusal_to_open",
            occurred_on=_days_ago(6),
            received_on=_days_ago(4),
        )
    demo.records["case.refused"] = refused
