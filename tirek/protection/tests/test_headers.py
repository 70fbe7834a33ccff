"""Every page carries the security headers; signed-in pages are never cached."""

import pytest
from django.urls import reverse

from tirek.conftest import client_for
from tirek.protection.policy import rule_for_view
from tirek.protection.tests.test_authorisation_matrix import (
    all_routes,
    person_of_another_organisation,
    samples,
)


@pytest.mark.django_db
def test_every_reachable_page_has_the_security_headers(demo, outsider):
    demo.records["person.other_organisation"] = person_of_another_organisation(demo)
    problems: list[str] = []
    checked = 0
    for route in all_routes():
        rule = rule_for_view(route.callback)
        persona = next(
            (
                demo[f"user.{role}"]
                for role in ("administrator", "caseworker", "lawyer")
                if rule.allows(demo[f"user.{role}"])
            ),
            None,
        )
        kwargs = next(iter(samples(route.name, demo).values()))
        response = client_for(persona).get(reverse(route.name, kwargs=kwargs))
        if response.status_code >= 500:
            problems.append(f"{route.name}: {response.status_code}")
            continue
        checked += 1
        csp = response.get("Content-Security-Policy", "")
        if "default-src 'none'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
            problems.append(f"{route.name}: CSP {csp!r}")
        if "frame-ancestors 'none'" not in csp or response.get("X-Frame-Options") != "DENY":
            problems.append(f"{route.name}: framing allowed")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{route.name}: no nosniff")
        if response.get("Referrer-Policy") != "same-origin":
            problems.append(f"{route.name}: referrer policy")
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{route.name}: cacheable")
    print(f"\nsecurity headers: pages={checked} problems={len(problems)}")
    assert not problems, problems


def test_production_cookies_are_secure_host_only_and_http_only():
    from tirek.core.tests.test_configuration import PRODUCTION_ENV, tirek

    result = tirek(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
        env=PRODUCTION_ENV | {"TIREK_KEY_FILE": "/nonexistent/keyring.json"},
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "True",
        "True",
        "True",
        "31536000",
        "True",
    ]
