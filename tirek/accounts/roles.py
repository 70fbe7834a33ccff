"""The six roles of Tirek and the organisations each may belong to.

Kept apart from the models so the access policy can import it without
importing any model.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    TRAINER = "trainer", _("Trainer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class OrganisationKind(models.TextChoices):
    LEGAL_AID_SERVICE = "legal_aid_service", _("Legal Aid Service (national coordinator)")
    LEGAL_AID_REGIONAL_OFFICE = (
        "legal_aid_regional_office",
        _("Regional office of the Legal Aid Service"),
    )
    LAW_OFFICE = "law_office", _("Law office (advocates)")
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("Non-governmental organisation")
    SOCIAL_SERVICE = "social_service", _("Social service")
    TRAINING_CENTRE = "training_centre", _("Training Centre for Lawyers")
    PROGRAMME_OFFICE = "programme_office", _("Programme or ministry office")
    OPERATOR = "operator", _("System operator")


NRM_PROVIDER_KINDS = frozenset(
    {OrganisationKind.SHELTER, OrganisationKind.NGO, OrganisationKind.SOCIAL_SERVICE}
)
LEGAL_AID_KINDS = frozenset(
    {OrganisationKind.LEGAL_AID_SERVICE, OrganisationKind.LEGAL_AID_REGIONAL_OFFICE}
)

# Which organisations a person holding each role may work for. A guard
# against a slip of the mouse: a shelter's caseworker must never be given the
# lawyer's view of cases because an administrator ticked the wrong box.
ROLE_ORGANISATION_KINDS: dict[Role, frozenset[OrganisationKind]] = {
    Role.LAWYER: frozenset({OrganisationKind.LAW_OFFICE, *LEGAL_AID_KINDS}),
    Role.COORDINATOR: LEGAL_AID_KINDS,
    Role.CASEWORKER: NRM_PROVIDER_KINDS,
    Role.TRAINER: frozenset(
        {OrganisationKind.TRAINING_CENTRE, OrganisationKind.LAW_OFFICE, *LEGAL_AID_KINDS}
    ),
    Role.ANALYST: frozenset({OrganisationKind.PROGRAMME_OFFICE, *LEGAL_AID_KINDS}),
    Role.ADMINISTRATOR: frozenset({OrganisationKind.OPERATOR, OrganisationKind.LEGAL_AID_SERVICE}),
}


def roles_allowed_in(kind: str) -> list[Role]:
    return [role for role, kinds in ROLE_ORGANISATION_KINDS.items() if kind in kinds]
