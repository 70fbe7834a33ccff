"""The authorisation matrix: every route by every persona, from the URL configuration.

Nothing here lists the routes by hand. The resolver is walked; each route's
declared ``RouteAccess`` says who should get in; every persona tries it. A
route added without a rule, or with path parameters the test cannot fill,
fails the test until it is declared.

Outcomes:
- allowed: anything but "not found", "sign in first" or 401;
- refused while signed in: 404, exactly like a missing page (no existence leak);
- refused while anonymous: redirect to sign-in with ``?next=`` (pages) or
  401 (API);
- refused while signed in with a password but no second factor yet (the
  ``…-password-only`` personas): 404 if the role may not use the route
  either, else a redirect to the second step (pages) or 401 (API). Such a
  session reaches only ``PUBLIC`` and ``SIGNED_IN_UNVERIFIED`` routes.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tirek.accounts.models import User
from tirek.conftest import client_for
from tirek.protection.policy import is_api_view, rule_for_view


def _person(name):
    return lambda demo: {"key": demo[name].record_key}


def _consent(name):
    return lambda demo: {
        "key": demo[name].record_key,
        "consent_id": demo[name].consents.order_by("pk").first().pk,
    }


MISSING_PERSON = "00000000-0000-4000-8000-000000000000"

# A person's routes are tried on three objects: one the caseworker persona's
# organisation registered ("own"), one another organisation registered
# ("other"), and one that does not exist ("missing").
PERSON_OBJECTS = {
    "own": _person("person.adult_labour"),
    "other": _person("person.other_organisation"),
    "missing": lambda demo: {"key": MISSING_PERSON},
}
CONSENT_OBJECTS = {
    "own": _consent("person.adult_labour"),
    "other": _consent("person.other_organisation"),
    "missing": lambda demo: {"key": MISSING_PERSON, "consent_id": 1},
}
MISSING_CASE = "TK-0000-999999"
MISSING_NOTE = 999_999_999


def _case(name):
    return lambda demo: {"number": _with_cases(demo)[name].number}


def _note(case_name, note_name):
    return lambda demo: {
        "number": _with_cases(demo)[case_name].number,
        "note_id": demo[note_name].pk,
    }


def _with_cases(demo):
    """The sample cases, made on first use (other tests fill routes from here too)."""
    if "case.own" not in demo.records:
        cases_of_two_lawyers(demo)
    return demo


# A case's routes are tried on a case of the demo lawyer ("own"), one of
# another lawyer in another region ("other") and a missing number; its notes
# (privileged work product) on the same, plus the own case's address with
# the other case's note ("crossed").
CASE_OBJECTS = {
    "case-own": _case("case.own"),
    "case-other": _case("case.other"),
    "case-missing": lambda demo: {"number": MISSING_CASE},
}
NOTES_OBJECTS = {
    "notes-own": _case("case.own"),
    "notes-other": _case("case.other"),
    "notes-missing": lambda demo: {"number": MISSING_CASE},
}
NOTE_OBJECTS = {
    "notes-own": _note("case.own", "note.own"),
    "notes-other": _note("case.other", "note.other"),
    "notes-missing": lambda demo: {"number": MISSING_CASE, "note_id": MISSING_NOTE},
    "notes-crossed": _note("case.own", "note.other"),
}
# A register entry's routes (coordinators') are tried on the demo lawyer's
# entry (Bishkek), the Osh lawyer's and a missing one; the persona is the
# national coordinator, who sees both (a regional one: tirek/registry/tests).
ENTRY_OBJECTS = {
    "entry-bishkek": lambda demo: {"pk": demo["entry.lawyer"].pk},
    "entry-osh": lambda demo: {"pk": demo["entry.lawyer_osh"].pk},
    "entry-missing": lambda demo: {"pk": 999_999_999},
}
# Who may see each kind of object, whatever the route allows by role. A case:
# its lawyer, and the national coordinator (metadata; routes that change a
# case are the lawyer's by role). Notes: the case's lawyer, nobody else.
OBJECT_VISIBLE_TO = {
    "own": {"caseworker"},
    "other": set(),
    "missing": set(),
    "any": None,
    "case-own": {"lawyer", "coordinator"},
    "case-other": {"coordinator"},
    "case-missing": set(),
    "notes-own": {"lawyer"},
    "notes-other": set(),
    "notes-missing": set(),
    "notes-crossed": set(),
    "entry-bishkek": {"coordinator"},
    "entry-osh": {"coordinator"},
    "entry-missing": set(),
    "referral-sent": {"caseworker"},
    "referral-received": {"caseworker"},
    "referral-missing": set(),
    "request-sent": {"coordinator", "caseworker"},
    "request-missing": set(),
    "offer-own": {"lawyer"},
    "order-own": {"lawyer", "coordinator"},
    "evidence-own": {"lawyer"},
    "evidence-other": set(),
    "evidence-missing": set(),
    "evidence-crossed": set(),
    "order-missing": set(),
    "offer-missing": set(),
}


def _referral_received(demo):
    """A referral another organisation sent to the caseworker persona's shelter."""
    from tirek.nrm import actions as nrm
    from tirek.nrm.models import Referral
    from tirek.people import actions as people_actions

    person = demo["person.other_organisation"]
    found = Referral.objects.filter(person=person).first()
    if found is None:
        people_actions.consent_record(
            actor=person.registered_by,
            person=person,
            purpose="sharing",
            recipient=demo["org.shelter"],
            scope=["identity"],
            given_on=person.created_at.date(),
            explained_in="ky",
        )
        found = nrm.referral_send(
            actor=person.registered_by,
            person=person,
            service="shelter",
            to_organisation=demo["org.shelter"],
        )
    return {"pk": found.pk}


def _referral_sent(demo):
    from tirek.nrm.models import Referral

    return {"pk": Referral.objects.filter(person=demo["person.waiting_request"]).first().pk}


def _offer(demo):
    """The demo request offered to the demo lawyer."""
    from tirek.assignment import actions as assignment_actions
    from tirek.assignment.models import Assignment

    found = Assignment.objects.filter(lawyer=demo["user.lawyer"]).first()
    if found is None:
        found = assignment_actions.assignment_offer(
            actor=demo["user.coordinator"],
            request=demo["request.waiting"],
            lawyer_id=demo["user.lawyer"].pk,
        )
    return {"pk": found.pk}


def _order(demo):
    """An order for a request the demo lawyer accepted."""
    from tirek.assignment import actions as assignment_actions
    from tirek.assignment.models import AssignmentOrder

    found = AssignmentOrder.objects.filter(assignment__lawyer=demo["user.lawyer"]).first()
    if found is None:
        request = assignment_actions.request_create(
            actor=demo["user.caseworker"],
            person=demo["person.child"],
            region="bishkek",
            basis="legal_aid_law",
            languages=["ky"],
        )
        offer = assignment_actions.assignment_offer(
            actor=demo["user.coordinator"], request=request, lawyer_id=demo["user.lawyer"].pk
        )
        _case, found = assignment_actions.assignment_accept(
            actor=demo["user.lawyer"], assignment=offer
        )
    return {"pk": found.pk, "language": "ky", "file_format": "pdf"}


MISSING = 999_999_999
REFERRAL_OBJECTS = {
    "referral-sent": _referral_sent,
    "referral-received": _referral_received,
    "referral-missing": lambda demo: {"pk": MISSING},
}
REFERRAL_RECEIVED = {
    "referral-missing": lambda demo: {"pk": MISSING},
    "referral-received": _referral_received,
}
REFERRAL_SENT = {
    "referral-sent": _referral_sent,
    "referral-missing": lambda demo: {"pk": MISSING},
}
REQUEST_OBJECTS = {
    "request-sent": lambda demo: {"number": demo["request.waiting"].number},
    "request-missing": lambda demo: {"number": "RQ-0000-999999"},
}


def _decision(person_name):
    def build(demo):
        own = demo["person.waiting_request"].status_decisions.first()
        return {"key": demo[person_name].record_key, "decision_id": own.pk}

    return build


# A status decision's routes: the own person's decision, and the same
# decision's id under another organisation's person (crossed).
DECISION_OBJECTS = {
    "own": _decision("person.waiting_request"),
    "other": _decision("person.other_organisation"),
    "missing": lambda demo: {"key": MISSING_PERSON, "decision_id": MISSING},
}


def _evidence_item(case_name):
    def build(demo):
        from tirek.evidence import actions as evidence_actions

        case = _with_cases(demo)[case_name]
        item = case.evidence.first() or evidence_actions.item_create(
            actor=case.lawyer, case=case, kind="document", description="Matrix item"
        )
        return {"number": case.number, "item": item.number}

    return build


def _evidence_file(case_name):
    def build(demo):
        from tirek.evidence.files import EvidenceWriter, file_add
        from tirek.evidence.models import EvidenceFile

        case = _with_cases(demo)[case_name]
        found = EvidenceFile.objects.filter(item__case=case).first()
        if found is None:
            item_number = _evidence_item(case_name)(demo)["item"]
            writer = EvidenceWriter()
            writer.write(b"%PDF-1.7 matrix\n%%EOF\n")
            found = file_add(
                actor=case.lawyer,
                item=case.evidence.get(number=item_number),
                stored=writer.finish(),
                original_name="matrix.pdf",
            )
        return {"number": case.number, "pk": found.pk}

    return build


# Evidence is its case's lawyer's alone (coordinators see metadata, never
# evidence): the own case's, the other lawyer's, and a missing one; an item
# route also with the other case's item number under the own case (crossed).
EVIDENCE_CASE = {
    "evidence-own": _case("case.own"),
    "evidence-other": _case("case.other"),
    "evidence-missing": lambda demo: {"number": MISSING_CASE},
}


def _as_pdf(build):
    return lambda demo: {**build(demo), "file_format": "pdf"}


EVIDENCE_EXPORT = {relation: _as_pdf(build) for relation, build in EVIDENCE_CASE.items()}
EVIDENCE_ITEM = {
    "evidence-own": _evidence_item("case.own"),
    "evidence-other": _evidence_item("case.other"),
    "evidence-missing": lambda demo: {"number": MISSING_CASE, "item": 1},
    "evidence-crossed": lambda demo: {
        "number": _with_cases(demo)["case.own"].number,
        "item": 999_999,
    },
}
EVIDENCE_FILE = {
    "evidence-own": _evidence_file("case.own"),
    "evidence-other": _evidence_file("case.other"),
    "evidence-missing": lambda demo: {"number": MISSING_CASE, "pk": MISSING},
    "evidence-crossed": lambda demo: {
        "number": _with_cases(demo)["case.own"].number,
        "pk": _evidence_file("case.other")(demo)["pk"],
    },
}
ORDER_OBJECTS = {
    "order-own": _order,
    "order-missing": lambda demo: {"pk": MISSING, "language": "ky", "file_format": "pdf"},
}
OFFER_OBJECTS = {
    "offer-own": _offer,
    "offer-missing": lambda demo: {"pk": MISSING},
}


def _duplicate_signal(demo):
    """A possible duplicate between the shelter's person and another organisation's."""
    from tirek.nrm.models import DuplicateSignal

    signal, _ = DuplicateSignal.objects.get_or_create(
        person=demo["person.adult_labour"], known_as=demo["person.other_organisation"]
    )
    return signal


# How to fill the parameters of routes that have them: route name → kwargs
# (or relation → kwargs), from the demo's records. A new parametrised route
# must be added here.
SAMPLE_KWARGS = {
    "people:detail": PERSON_OBJECTS,
    "people:edit": PERSON_OBJECTS,
    "people:consent-create": PERSON_OBJECTS,
    "people:share": PERSON_OBJECTS,
    "people:consent-withdraw": CONSENT_OBJECTS,
    "accounts:password-reset-confirm": lambda demo: {"uidb64": "MQ", "token": "set-password"},
    "accounts:user-edit": lambda demo: {"pk": demo["user.lawyer"].pk},
    "accounts:organisation-edit": lambda demo: {"pk": demo["org.shelter"].pk},
    "api:organisation": lambda demo: {"pk": demo["org.shelter"].pk},
    "api:user": lambda demo: {"pk": demo["user.lawyer"].pk},
    "cases:workspace": CASE_OBJECTS,
    "cases:edit": CASE_OBJECTS,
    "cases:criminal-case": CASE_OBJECTS,
    "cases:party-add": CASE_OBJECTS,
    "cases:event-record": CASE_OBJECTS,
    "cases:action-mark": CASE_OBJECTS,
    "cases:note-add": NOTES_OBJECTS,
    "api:case": CASE_OBJECTS,
    "api:case-criminal-case": CASE_OBJECTS,
    "api:case-parties": CASE_OBJECTS,
    "api:case-events": CASE_OBJECTS,
    "api:case-deadlines": CASE_OBJECTS,
    "api:case-next-actions": CASE_OBJECTS,
    "api:case-actions": CASE_OBJECTS,
    "api:case-notes": NOTES_OBJECTS,
    "api:case-note": NOTE_OBJECTS,
    "registry:edit": ENTRY_OBJECTS,
    "api:register-entry": ENTRY_OBJECTS,
    "nrm:referral": REFERRAL_OBJECTS,
    "nrm:referral-answer": REFERRAL_RECEIVED,
    "nrm:referral-withdraw": REFERRAL_SENT,
    "nrm:referral-create": PERSON_OBJECTS,
    "nrm:status-record": PERSON_OBJECTS,
    "nrm:screening-create": PERSON_OBJECTS,
    "assignment:request-create": PERSON_OBJECTS,
    "assignment:request": REQUEST_OBJECTS,
    "assignment:request-status": REQUEST_OBJECTS,
    "assignment:request-acknowledge": REQUEST_OBJECTS,
    "assignment:request-assign": REQUEST_OBJECTS,
    "assignment:request-withdraw": REQUEST_OBJECTS,
    "nrm:status-challenge": DECISION_OBJECTS,
    "assignment:offer": OFFER_OBJECTS,
    "assignment:offer-answer": OFFER_OBJECTS,
    "assignment:order-download": ORDER_OBJECTS,
    "evidence:list": EVIDENCE_CASE,
    "evidence:create": EVIDENCE_CASE,
    "evidence:matrix": EVIDENCE_CASE,
    "evidence:bundle": EVIDENCE_CASE,
    "evidence:export": EVIDENCE_EXPORT,
    "evidence:item": EVIDENCE_ITEM,
    "evidence:edit": EVIDENCE_ITEM,
    "evidence:status": EVIDENCE_ITEM,
    "evidence:link": EVIDENCE_ITEM,
    "evidence:custody": EVIDENCE_ITEM,
    "evidence:upload": EVIDENCE_ITEM,
    "evidence:download": EVIDENCE_FILE,
    "nrm:duplicate-introduce": lambda demo: {"pk": _duplicate_signal(demo).pk},
}

PERSONAS = [
    "anonymous",
    "lawyer",
    "coordinator",
    "caseworker",
    "trainer",
    "analyst",
    "administrator",
    "outsider",
    "deactivated",
    *(f"{role}-password-only" for role in ("lawyer", "caseworker", "administrator")),
]
PASSWORD_ONLY_SUFFIX = "-password-only"
SECOND_FACTOR_PREFIX = "/accounts/second-factor/?next="


@dataclass
class Route:
    name: str
    callback: object


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                routes.append(Route(f"{namespace}{entry.name or entry.pattern}", entry.callback))

    walk(get_resolver().url_patterns, "")
    return routes


def persona_user(name: str, demo, outsider: User) -> User | None:
    if name == "anonymous":
        return None
    if name == "outsider":
        return outsider
    if name.endswith(PASSWORD_ONLY_SUFFIX):
        return demo[f"user.{name.removesuffix(PASSWORD_ONLY_SUFFIX)}"]
    if name == "deactivated":
        user = demo["user.lawyer_osh"]
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        return user
    return demo[f"user.{name}"]


def outcome(response, *, api: bool, rule=None) -> str:
    if response.status_code == 404:
        return "refused"
    if response.status_code == 401:
        return "refused"
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith("/accounts/login/?next="):
        return "refused"
    # Sent to the second step: refused on a route that needs it; on the sign-in
    # routes themselves (sign-in, enrolment) it is the way onward.
    if location.startswith(SECOND_FACTOR_PREFIX) and (rule is None or rule.needs_second_factor):
        return "refused"
    return "allowed"


def samples(name: str, demo) -> dict[str, dict]:
    sample = SAMPLE_KWARGS.get(name, lambda demo: {})
    if callable(sample):
        return {"any": sample(demo)}
    return {relation: build(demo) for relation, build in sample.items()}


def person_of_another_organisation(demo):
    from tirek.accounts import actions as account_actions
    from tirek.accounts.roles import OrganisationKind, Role
    from tirek.people import actions as people_actions

    other = account_actions.organisation_create(
        actor=None, name="Demo Social Service Talas", kind=OrganisationKind.SOCIAL_SERVICE
    )
    worker = account_actions.user_create(
        actor=None,
        username="talas-caseworker",
        email="talas@tirek.invalid",
        organisation=other,
        roles=[Role.CASEWORKER],
        send_invitation=False,
    )
    person = people_actions.person_register(actor=worker, full_name="Other Demo-Person")
    people_actions.consent_record(
        actor=worker,
        person=person,
        purpose="statistics",
        given_on=person.created_at.date(),
        explained_in="ky",
    )
    return person


def cases_of_two_lawyers(demo) -> None:
    """A case (with a note) of the demo lawyer, and one of a lawyer of another
    law office in another region (Osh)."""
    from tirek.cases import actions as case_actions

    for key, lawyer, client in (
        ("own", demo["user.lawyer"], demo["person.adult_labour"]),
        ("other", demo["user.lawyer_osh"], demo["person.refused_case"]),
    ):
        case = case_actions.case_open(
            actor=demo["user.coordinator"],
            client=client,
            lawyer=lawyer,
            lawyer_role="victim_representative",
            legal_aid_basis="nrm_victim_status",
        )
        demo.records[f"case.{key}"] = case
        demo.records[f"note.{key}"] = case_actions.note_add(
            actor=lawyer, case=case, title="Matrix note", body="Privileged work product."
        )


@pytest.mark.django_db
def test_it_covers_every_route_and_leaks_nothing(demo, outsider):
    demo.records["person.other_organisation"] = person_of_another_organisation(demo)
    _with_cases(demo)
    routes = all_routes()
    undeclared = [route.name for route in routes if rule_for_view(route.callback) is None]
    assert not undeclared, f"routes without an access rule: {undeclared}"

    users = {name: persona_user(name, demo, outsider) for name in PERSONAS}
    cells = allowed_ok = refused_ok = 0
    leaks: list[str] = []
    over_denied: list[str] = []
    for route in routes:
        rule = rule_for_view(route.callback)
        api = is_api_view(route.callback)
        for relation, kwargs in samples(route.name, demo).items():
            url = reverse(route.name, kwargs=kwargs)
            visible_to = OBJECT_VISIBLE_TO[relation]
            for persona, user in users.items():
                verified = not persona.endswith(PASSWORD_ONLY_SUFFIX)
                client = client_for(user, verified=verified)
                response = client.get(url)
                if response.status_code == 405:
                    response = (
                        client.post(url, {}, content_type="application/json" if api else None)
                        if api
                        else client.post(url, {})
                    )
                role = persona.removesuffix(PASSWORD_ONLY_SUFFIX)
                may = (
                    rule.allows(user or _Anonymous())
                    and (verified or not rule.needs_second_factor)
                    and (visible_to is None or (role in visible_to and user is not None))
                )
                expected = "allowed" if may else "refused"
                got = outcome(response, api=api, rule=rule)
                cells += 1
                cell = f"{route.name} [{relation}] as {persona}: {response.status_code}"
                if expected == got == "allowed":
                    allowed_ok += 1
                elif expected == got == "refused":
                    refused_ok += 1
                    if user is not None and user.is_active:
                        if not verified and rule.allows(user):
                            asks = response.status_code == 401 or response.get(
                                "Location", ""
                            ).startswith(SECOND_FACTOR_PREFIX)
                            assert asks, f"must ask for the second factor: {cell}"
                        else:
                            assert response.status_code == 404, f"refusal must look missing: {cell}"
                elif expected == "refused":
                    leaks.append(cell)
                else:
                    over_denied.append(cell)

    print(
        f"\nauthorisation matrix: routes={len(routes)} personas={len(users)} cells={cells} "
        f"allowed_ok={allowed_ok} refused_ok={refused_ok} leaks={len(leaks)} "
        f"over_denied={len(over_denied)}"
    )
    assert not leaks, f"leaks: {leaks}"
    assert not over_denied, f"over-denied: {over_denied}"


def test_it_knows_how_to_fill_every_parametrised_route():
    missing = [
        route.name
        for route in all_routes()
        if "<" in str(_pattern_text(route.name)) and route.name not in SAMPLE_KWARGS
    ]
    assert not missing, f"add sample parameters for: {missing}"


def _pattern_text(name: str) -> str:
    try:
        reverse(name)
    except Exception:
        return "<needs parameters>"
    return ""


class _Anonymous:
    is_authenticated = False
    is_active = False
    roles = frozenset()
