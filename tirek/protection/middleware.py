"""Enforces the route policy for every page (API views enforce it themselves).

A signed-in user whose session has not passed the second factor is sent to
give it (or to enrol an authenticator) before any route that needs it.
"""

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url

from tirek.protection.policy import is_api_view, rule_for_view, second_factor_passed

log = logging.getLogger("tirek.protection")

SECOND_FACTOR_URL = "accounts:second-factor"


class RouteAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if is_api_view(view_func):
            return None
        rule = rule_for_view(view_func)
        if rule is None:
            log.error("route declares no access rule", extra={"path": request.path})
            raise Http404
        next_part = f"?next={quote(request.get_full_path())}"
        if rule.allows(request.user):
            if rule.needs_second_factor and not second_factor_passed(request.user):
                return HttpResponseRedirect(resolve_url(SECOND_FACTOR_URL) + next_part)
            return None
        if not request.user.is_authenticated:
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL) + next_part)
        raise Http404
