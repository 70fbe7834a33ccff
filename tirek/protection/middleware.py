"""Enforces the route policy for every page (API views enforce it themselves)."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url

from tirek.protection.policy import is_api_view, rule_for_view

log = logging.getLogger("tirek.protection")


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
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            login = resolve_url(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login}?next={quote(request.get_full_path())}")
        raise Http404
