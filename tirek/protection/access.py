"""Who may see and change which person (object-level rules of the one policy).

Route rules (policy.py) say who may open a page at all; these say which
records a page may show. Every fetch of a person goes through
``persons_visible_to`` or ``person_for`` — views never query Person
directly — so lists, search, counts and detail pages cannot disagree.

- caseworker: the people their organisation registered, and those shared
  with their organisation under the person's consent;
- lawyer: the clients of the cases assigned to them;
- coordinator: never identity; cases' metadata in their region (below);
- administrator: nobody, except one person at a time through break-glass;
- trainer, analyst: nobody, ever.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tirek.accounts.roles import Role


def persons_visible_to(user) -> QuerySet:
    from tirek.people.models import BreakGlass, Person, Share

    people = Person.objects.current()
    if not (user.is_authenticated and user.is_active):
        return people.none()
    # Sub-selects rather than joins: no duplicates to remove, and the
    # registering organisation's branch uses its index (national scale).
    visible = Q(pk__in=[])
    if Role.CASEWORKER in user.roles and user.organisation_id:
        visible |= Q(organisation_id=user.organisation_id)
        visible |= Q(
            pk__in=Share.objects.filter(organisation_id=user.organisation_id).values("person_id")
        )
    if Role.LAWYER in user.roles:
        visible |= Q(pk__in=cases_visible_to(user).filter(lawyer=user).values("client_id"))
    if Role.ADMINISTRATOR in user.roles:
        visible |= Q(
            pk__in=BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()).values(
                "person_id"
            )
        )
    return people.filter(visible)


def persons_changeable_by(user) -> QuerySet:
    """Only the registering organisation's caseworkers change a person's record."""
    from tirek.people.models import Person

    if not (user.is_authenticated and user.is_active and Role.CASEWORKER in user.roles):
        return Person.objects.none()
    return Person.objects.current().filter(organisation_id=user.organisation_id)


def person_for(user, record_key, *, change: bool = False):
    """The person, or 404 — the same for "does not exist" and "not yours"."""
    people = persons_changeable_by(user) if change else persons_visible_to(user)
    person = people.filter(record_key=record_key).first()
    if person is None:
        raise Http404
    return person


def reads_through_break_glass(user, person) -> bool:
    return Role.ADMINISTRATOR in user.roles and not (
        Role.CASEWORKER in user.roles and person.organisation_id == user.organisation_id
    )


# --- Cases ---------------------------------------------------------------------
#
# - lawyer: the cases assigned to them, in full (notes included);
# - coordinator: the cases of their region (the whole country for the national
#   Legal Aid Service) — metadata only: never notes, never the client's
#   identity (the pages show the case number, stage, lawyer and deadlines);
# - everyone else: none.


def cases_visible_to(user) -> QuerySet:
    from tirek.cases.models import LegalAidCase

    cases = LegalAidCase.objects.all()
    if not (user.is_authenticated and user.is_active):
        return cases.none()
    visible = Q(pk__in=[])
    if Role.LAWYER in user.roles:
        visible |= Q(lawyer=user)
    if Role.COORDINATOR in user.roles and user.organisation_id:
        region = user.organisation.region
        visible |= Q(region=region) if region else ~Q(pk__in=[])
    return cases.filter(visible)


def case_for(user, number: str, *, change: bool = False):
    """The case, or 404. Changing a case is its lawyer's alone."""
    cases = cases_visible_to(user)
    if change:
        cases = cases.filter(lawyer=user)
    case = cases.filter(number=number).select_related("client", "criminal_case").first()
    if case is None:
        raise Http404
    return case


def can_read_notes(user, case) -> bool:
    """Privileged work product: the case's own lawyer, nobody else — ever."""
    return case.lawyer_id == user.pk and Role.LAWYER in user.roles


def can_see_client_identity(user, case) -> bool:
    return case.lawyer_id == user.pk and Role.LAWYER in user.roles


# --- The register of lawyers ----------------------------------------------------
#
# - coordinator: the entries of their region (the whole country for the
#   national Legal Aid Service) — the same rule as cases;
# - lawyer: their own entry, to read;
# - everyone else: none.


def register_entries_visible_to(user) -> QuerySet:
    from tirek.registry.models import RegisterEntry

    entries = RegisterEntry.objects.all()
    if not (user.is_authenticated and user.is_active):
        return entries.none()
    visible = Q(pk__in=[])
    if Role.LAWYER in user.roles:
        visible |= Q(lawyer=user)
    if Role.COORDINATOR in user.roles and user.organisation_id:
        region = user.organisation.region
        visible |= Q(region=region) if region else ~Q(pk__in=[])
    return entries.filter(visible)


def register_entry_for(user, pk: int, *, change: bool = False):
    """The entry, or 404. Changing an entry is the coordinators' alone."""
    entries = register_entries_visible_to(user)
    if change:
        if Role.COORDINATOR not in user.roles:
            raise Http404
        entries = entries.exclude(lawyer=user)
    entry = entries.filter(pk=pk).select_related("lawyer").first()
    if entry is None:
        raise Http404
    return entry


# --- Referrals (the NRM) -----------------------------------------------------------
#
# - caseworker: the referrals their organisation sent, and those it received
#   (a recipient sees only what the person's consent let the referral carry);
# - coordinator: never a referral's page; the board counts them (no identity);
# - everyone else: none.


def referrals_visible_to(user) -> QuerySet:
    from tirek.nrm.models import Referral

    referrals = Referral.objects.all()
    if not (user.is_authenticated and user.is_active):
        return referrals.none()
    if Role.CASEWORKER not in user.roles or not user.organisation_id:
        return referrals.none()
    return referrals.filter(
        Q(from_organisation_id=user.organisation_id) | Q(to_organisation_id=user.organisation_id)
    ).filter(person__erased_at__isnull=True)


def referral_for(user, pk: int, *, sender: bool | None = None):
    """The referral, or 404. ``sender=True``: only the sending organisation's;
    ``False``: only the receiving one's."""
    referrals = referrals_visible_to(user)
    if sender is True:
        referrals = referrals.filter(from_organisation_id=user.organisation_id)
    elif sender is False:
        referrals = referrals.filter(to_organisation_id=user.organisation_id)
    referral = referrals.filter(pk=pk).select_related("person", "consent").first()
    if referral is None:
        raise Http404
    return referral


# --- Requests for legal aid and offers to lawyers ----------------------------------
#
# - coordinator: the requests of their region (all of them for the national
#   Legal Aid Service) — needs, never the person's identity;
# - caseworker: the requests their organisation sent (to follow them);
# - lawyer: a request offered to them, through the offer (no identity until
#   they accept; then the case workspace is theirs);
# - everyone else: none.


def legal_aid_requests_visible_to(user) -> QuerySet:
    from tirek.assignment.models import LegalAidRequest

    requests = LegalAidRequest.objects.filter(person__erased_at__isnull=True)
    if not (user.is_authenticated and user.is_active) or not user.organisation_id:
        return requests.none()
    visible = Q(pk__in=[])
    if Role.COORDINATOR in user.roles:
        region = user.organisation.region
        visible |= Q(region=region) if region else ~Q(pk__in=[])
    if Role.CASEWORKER in user.roles:
        visible |= Q(from_organisation_id=user.organisation_id)
    return requests.filter(visible)


def legal_aid_request_for(user, number: str, *, coordinator: bool = False):
    requests = legal_aid_requests_visible_to(user)
    if coordinator:
        if Role.COORDINATOR not in user.roles:
            raise Http404
        region = user.organisation.region
        requests = requests.filter(region=region) if region else requests
    request = requests.filter(number=number).first()
    if request is None:
        raise Http404
    return request


def offers_to(user) -> QuerySet:
    from tirek.assignment.models import Assignment

    if not (user.is_authenticated and user.is_active and Role.LAWYER in user.roles):
        return Assignment.objects.none()
    return Assignment.objects.filter(lawyer=user, request__person__erased_at__isnull=True)


def offer_for(user, pk: int):
    offer = offers_to(user).filter(pk=pk).select_related("request").first()
    if offer is None:
        raise Http404
    return offer


# --- Possible duplicates (the NRM) ---------------------------------------------------
#
# - coordinator: the signals of their region — a signal is in a region if
#   either person's organisation is (all of them for the national Legal Aid
#   Service) — and only the two organisations, never a person;
# - everyone else: none (a caseworker is only warned, once, when registering).
# A signal with an erased person is gone: there is nobody left to introduce.


def duplicate_signals_visible_to(user) -> QuerySet:
    from tirek.nrm.models import DuplicateSignal

    signals = DuplicateSignal.objects.filter(
        person__erased_at__isnull=True, known_as__erased_at__isnull=True
    )
    if not (user.is_authenticated and user.is_active) or not user.organisation_id:
        return signals.none()
    if Role.COORDINATOR not in user.roles:
        return signals.none()
    region = user.organisation.region
    if not region:
        return signals
    return signals.filter(
        Q(person__organisation__region=region) | Q(known_as__organisation__region=region)
    )


def duplicate_signal_for(user, pk: int):
    signal = duplicate_signals_visible_to(user).filter(pk=pk).first()
    if signal is None:
        raise Http404
    return signal


# --- Evidence -----------------------------------------------------------------------
#
# Evidence is the case's content: its lawyer's alone (coordinators see a case's
# metadata, never its evidence).


def evidence_case_for(user, number: str):
    """The case whose evidence the user may see and change, or 404."""
    if Role.LAWYER not in user.roles:
        raise Http404
    return case_for(user, number, change=True)


def evidence_item_for(user, number: str, item_number: int):
    case = evidence_case_for(user, number)
    item = case.evidence.filter(number=item_number).first()
    if item is None:
        raise Http404
    return case, item


def evidence_file_for(user, number: str, pk: int):
    from tirek.evidence.models import EvidenceFile

    case = evidence_case_for(user, number)
    found = EvidenceFile.objects.filter(pk=pk, item__case=case).select_related("item").first()
    if found is None:
        raise Http404
    return case, found
