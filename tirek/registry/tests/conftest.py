import pytest

from tirek.accounts import actions as account_actions
from tirek.accounts.roles import Role

HEADER = (
    "user,licence_number,region,districts,languages,gender,specialisations,"
    "tip_certified_on,tip_certificate_expires_on,capacity,availability,on_leave_until,"
    "availability_reason,availability_changed_on"
)


@pytest.fixture
def coordinator_osh(demo):
    """The coordinator of the Osh regional office (region "osh")."""
    return demo["user.coordinator_osh"]


@pytest.fixture
def new_lawyers(demo):
    """Three lawyers of the demo law office, not yet in the register."""
    return [
        account_actions.user_create(
            actor=None,
            username=f"reg-lawyer-{number}",
            email=f"Reg.Lawyer.{number}@tirek.invalid",
            organisation=demo["org.law_office"],
            roles=[Role.LAWYER],
            send_invitation=False,
        )
        for number in range(1, 4)
    ]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()
