"""Conflict-of-interest check: one lawyer, one law office, one side.

A lawyer — and their law office — must not act for the victim and for an
accused in the same criminal case or a linked one, nor against a former
client in the same matter. People are matched through blind indexes (the
same keyed hashes of name and document number as everywhere), never by
reading names. A conflict blocks the lawyer unless a coordinator cleared it
in writing (ConflictClearance, audited).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from tirek.cases.models import (
    ConflictClearance,
    CriminalCase,
    LawyerRole,
    LegalAidCase,
    Party,
    PartyRole,
)

VICTIM_SIDE = frozenset(
    {LawyerRole.VICTIM_REPRESENTATIVE, LawyerRole.CIVIL_CLAIMANT_REPRESENTATIVE}
)
ACCUSED_SIDE = frozenset({LawyerRole.DEFENCE_COUNSEL})


@dataclass(frozen=True)
class Conflict:
    kind: str
    message: str


def side_of(role: str) -> frozenset:
    return VICTIM_SIDE if role in VICTIM_SIDE else ACCUSED_SIDE


def linked_cases(criminal_case: CriminalCase) -> list[int]:
    ids = {criminal_case.pk}
    if criminal_case.linked_to_id:
        ids.add(criminal_case.linked_to_id)
    ids |= set(CriminalCase.objects.filter(linked_to__in=ids).values_list("pk", flat=True))
    return sorted(ids)


def conflicts_for(
    *, lawyer, criminal_case: CriminalCase, role: str, ignore_case: LegalAidCase | None = None
) -> list[Conflict]:
    """What stops ``lawyer`` acting as ``role`` in ``criminal_case`` (empty: nothing)."""
    if ConflictClearance.objects.filter(lawyer=lawyer, criminal_case=criminal_case).exists():
        return []
    matter = linked_cases(criminal_case)
    colleagues = Q(lawyer=lawyer) | Q(law_office_id=lawyer.organisation_id)
    other_side = [r for r in LawyerRole.values if r not in side_of(role)]
    conflicts: list[Conflict] = []

    opposite = LegalAidCase.objects.filter(
        colleagues, criminal_case__in=matter, lawyer_role__in=other_side
    )
    if ignore_case is not None:
        opposite = opposite.exclude(pk=ignore_case.pk)
    if opposite.exists():
        conflicts.append(
            Conflict(
                "other_side",
                _(
                    "This lawyer or their law office already acts for the other side in this "
                    "criminal case or a linked one."
                ),
            )
        )

    opposing_role = PartyRole.ACCUSED if role in VICTIM_SIDE else PartyRole.VICTIM
    represented = Party.objects.filter(criminal_case__in=matter, role=opposing_role).filter(
        Q(represented_by=lawyer) | Q(represented_by__organisation_id=lawyer.organisation_id)
    )
    if represented.exists():
        conflicts.append(
            Conflict(
                "represents_opponent",
                _("This lawyer or their law office represents the opposing party in this matter."),
            )
        )

    if _former_client_among(lawyer, matter, opposing_role, ignore_case):
        conflicts.append(
            Conflict(
                "former_client",
                _(
                    "The opposing party is a client or former client of this lawyer or their "
                    "law office."
                ),
            )
        )
    return conflicts


def _former_client_among(lawyer, matter: list[int], role: str, ignore_case) -> bool:
    """Does an opposing party match (by blind index) a client of the lawyer's office?"""
    clients = LegalAidCase.objects.filter(
        Q(lawyer=lawyer) | Q(law_office_id=lawyer.organisation_id)
    )
    if ignore_case is not None:
        clients = clients.exclude(pk=ignore_case.pk)
    names = set(
        clients.exclude(client__full_name_index="").values_list(
            "client__full_name_index", flat=True
        )
    )
    documents = set(
        clients.exclude(client__document_number_index="").values_list(
            "client__document_number_index", flat=True
        )
    )
    if not names and not documents:
        return False
    opponents = Party.objects.filter(criminal_case__in=matter, role=role)
    return opponents.filter(
        Q(full_name_index__in=names) | Q(document_number_index__in=documents)
    ).exists()
