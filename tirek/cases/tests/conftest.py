import pytest

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import OrganisationKind, Role
from tirek.cases import actions


@pytest.fixture
def aizada_case(demo, coordinator, lawyer):
    """The demo lawyer represents Aizada, the adult victim of labour exploitation."""
    return actions.case_open(
        actor=coordinator,
        client=demo["person.adult_labour"],
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
        basis_reference="NRM decision 12/2026",
    )


@pytest.fixture
def other_office_lawyer(demo):
    office = account_actions.organisation_create(
        actor=None,
        name="Demo Law Office «Adilet»",
        kind=OrganisationKind.LAW_OFFICE,
        region="chui",
    )
    return account_actions.user_create(
        actor=None,
        username="adilet-lawyer",
        email="adilet@tirek.invalid",
        organisation=office,
        roles=[Role.LAWYER],
        send_invitation=False,
    )


@pytest.fixture
def colleague(demo):
    """Another advocate of the demo lawyer's own law office."""
    return account_actions.user_create(
        actor=None,
        username="ak-jol-colleague",
        email="colleague@tirek.invalid",
        organisation=demo["org.law_office"],
        roles=[Role.LAWYER],
        send_invitation=False,
    )
