"""The authorisation matrix: every route by every persona, from the URL configuration.

Nothing here lists the routes by hand. The resolver is walked; each route's
declared ``RouteAccess`` says who should get in; every persona tries it. A
route added without a rule, or with path parameters the test cannot fill,
fails the test until it is declared.

Outcomes:
- allowed: anything but "not found", "sign in first" or 401;
- refused while signed in: 404, exactly like a missing page (no existence leak);
- refused while anonymous: redirect to sign-in with ``?next=`` (pages) or
  401 (API).
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tirek.accounts.models import User
from tirek.conftest import client_for
from tirek.protection.policy import is_api_view, rule_for_view

# How to fill the parameters of routes that have them: route name → kwargs,
# from the demo's records. A new parametrised route must be added here.
SAMPLE_KWARGS = {
    "accounts:password-reset-confirm": lambda demo: {"uidb64": "MQ", "token": "set-password"},
    "accounts:user-edit": lambda demo: {"pk": demo["user.lawyer"].pk},
    "accounts:organisation-edit": lambda demo: {"pk": demo["org.shelter"].pk},
    "api:organisation": lambda demo: {"pk": demo["org.shelter"].pk},
    "api:user": lambda demo: {"pk": demo["user.lawyer"].pk},
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
]


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
    if name == "deactivated":
        user = demo["user.lawyer_osh"]
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        return user
    return demo[f"user.{name}"]


def outcome(response, *, api: bool) -> str:
    if response.status_code == 404:
        return "refused"
    if response.status_code == 401:
        return "refused"
    if response.status_code == 302 and response.get("Location", "").startswith(
        "/accounts/login/?next="
    ):
        return "refused"
    return "allowed"


@pytest.mark.django_db
def test_it_covers_every_route_and_leaks_nothing(demo, outsider):
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
        kwargs = SAMPLE_KWARGS[route.name](demo) if route.name in SAMPLE_KWARGS else {}
        url = reverse(route.name, kwargs=kwargs)
        for persona, user in users.items():
            client = client_for(user)
            response = client.get(url)
            if response.status_code == 405:
                response = (
                    client.post(url, {}, content_type="application/json" if api else None)
                    if api
                    else client.post(url, {})
                )
            expected = "allowed" if rule.allows(user or _Anonymous()) else "refused"
            got = outcome(response, api=api)
            cells += 1
            cell = f"{route.name} as {persona}: {response.status_code}"
            if expected == got == "allowed":
                allowed_ok += 1
            elif expected == got == "refused":
                refused_ok += 1
                if user is not None and user.is_active:
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
