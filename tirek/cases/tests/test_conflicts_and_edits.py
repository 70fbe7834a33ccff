"""Conflicts of interest block a lawyer; concurrent edits never overwrite each other."""

import pytest
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.cases import actions
from tirek.cases.models import ConflictClearance, LegalAidCase


def test_a_law_office_cannot_act_for_the_victim_and_the_accused(
    aizada_case, colleague, coordinator, demo
):
    criminal = actions.criminal_case_link(
        actor=aizada_case.lawyer, case=aizada_case, register_number="ERPP-2026-0001"
    )
    before = LegalAidCase.objects.count()
    with pytest.raises(actions.ConflictOfInterest, match="other side"):
        actions.case_open(
            actor=coordinator,
            client=demo["person.child"],
            lawyer=colleague,
            lawyer_role="defence_counsel",
            legal_aid_basis="appointment",
            criminal_case=criminal,
        )
    assert LegalAidCase.objects.count() == before


def test_a_coordinator_can_clear_a_conflict_with_a_written_reason(
    aizada_case, colleague, coordinator, demo
):
    criminal = actions.criminal_case_link(
        actor=aizada_case.lawyer, case=aizada_case, register_number="ERPP-2026-0002"
    )
    with pytest.raises(actions.ValidationError, match="at least 20"):
        actions.conflict_clear(
            actor=coordinator, lawyer=colleague, criminal_case=criminal, reason="fine"
        )
    reason = "Separate offices since 2025; the client agreed in writing on 3 November."
    actions.conflict_clear(
        actor=coordinator, lawyer=colleague, criminal_case=criminal, reason=reason
    )
    case = actions.case_open(
        actor=coordinator,
        client=demo["person.child"],
        lawyer=colleague,
        lawyer_role="defence_counsel",
        legal_aid_basis="appointment",
        criminal_case=criminal,
    )
    assert case.criminal_case == criminal
    assert ConflictClearance.objects.get().reason == reason
    assert AuditEvent.objects.filter(action="case.conflict_cleared", reason=reason).exists()


def test_a_former_client_as_the_accused_is_found_by_blind_index(
    aizada_case, coordinator, demo, lawyer
):
    # The lawyer once represented Cholpon; now she is the accused in Aizada's case.
    actions.case_open(
        actor=coordinator,
        client=demo["person.refused_case"],
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )
    actions.criminal_case_link(actor=lawyer, case=aizada_case, register_number="ERPP-2026-0003")
    with pytest.raises(actions.ConflictOfInterest, match="former client"):
        actions.party_add(
            actor=lawyer, case=aizada_case, role="accused", full_name="  cholpon demo-ismailova "
        )
    assert not aizada_case.criminal_case.parties.exists()


def test_another_office_has_no_conflict(aizada_case, other_office_lawyer, coordinator, demo):
    criminal = actions.criminal_case_link(
        actor=aizada_case.lawyer, case=aizada_case, register_number="ERPP-2026-0004"
    )
    case = actions.case_open(
        actor=coordinator,
        client=demo["person.child"],
        lawyer=other_office_lawyer,
        lawyer_role="defence_counsel",
        legal_aid_basis="appointment",
        criminal_case=criminal,
    )
    assert case.pk


def test_the_second_of_two_concurrent_edits_is_refused_and_shows_what_changed(
    aizada_case, lawyer, as_user
):
    first, second = as_user(lawyer), as_user(lawyer)
    url = reverse("cases:edit", args=[aizada_case.number])
    form = {
        "version": aizada_case.version,
        "lawyer_role": "victim_representative",
        "legal_aid_basis": "nrm_victim_status",
        "basis_reference": "NRM decision 12/2026",
        "safety": "no_known_threat",
        "safety_notes": "",
    }
    assert first.post(url, form | {"safety": "threatened"}).status_code == 302
    refused = second.post(url, form | {"basis_reference": "NRM decision 12/2026 (corrected)"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "saved this case after you opened it" in page
    assert "Threatened" in page or "threatened" in page
    assert "NRM decision 12/2026 (corrected)" in page  # the second user's input is kept
    case = LegalAidCase.objects.get(pk=aizada_case.pk)
    assert (case.safety, case.basis_reference) == ("threatened", "NRM decision 12/2026")
    # Saving again from the refreshed version succeeds.
    again = second.post(
        url,
        form
        | {
            "version": case.version,
            "safety": "threatened",
            "basis_reference": "NRM decision 12/2026 (corrected)",
        },
    )
    assert again.status_code == 302


def test_charges_belong_to_the_code_in_force_on_the_offence_date(aizada_case, lawyer):
    import datetime

    before_2019 = actions.criminal_case_link(
        actor=lawyer,
        case=aizada_case,
        register_number="ERPP-2018-0001",
        offence_date=datetime.date(2018, 6, 1),
        charges=[{"article": "124", "part": "1"}],
    )
    assert before_2019.charges == [{"article": "124", "part": "1", "instrument": "kg-cc-1997"}]
    assert before_2019.charge_codes == "kg-cc-1997 124.1"
    criminal = actions.criminal_case_link(
        actor=lawyer,
        case=aizada_case,
        register_number="ERPP-2018-0001",
        expected_version=before_2019.version,
        offence_date=datetime.date(2023, 4, 10),
        charges=[{"article": "166", "part": "2"}],
    )
    assert criminal.charge_codes == "kg-cc-2021 166.2"
