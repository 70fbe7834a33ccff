"""Pages every user sees: home, language, health and the error pages."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tirek.accounts import queries as account_queries
from tirek.accounts.roles import Role
from tirek.core.api_errors import json_error
from tirek.protection.policy import PUBLIC, SIGNED_IN, route_access

log = logging.getLogger("tirek.core")


@route_access(SIGNED_IN)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"roles": sorted(user.roles, key=list(Role).index)}
    if Role.ADMINISTRATOR in user.roles:
        context["administration"] = account_queries.administration_summary()
    if Role.LAWYER in user.roles or Role.COORDINATOR in user.roles:
        from tirek.cases.queries import home_summary

        context.update(home_summary(user))
        from tirek.assignment.queries import home_summary as assignment_summary

        context.update(assignment_summary(user))
    return render(request, "core/home.html", context)


@route_access(PUBLIC)
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        from tirek.accounts.actions import user_set_language

        user_set_language(user=request.user, language=language)
    set_language_cookie(response, language)
    return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@route_access(PUBLIC)
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return json_error(404, "not_found", _("Not found."))
    return render(request, "core/error.html", _error_context(404), status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Refusals look exactly like missing pages: no existence leak.
    return page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return json_error(400, "bad_request", _("The request could not be understood."))
    return render(request, "core/error.html", _error_context(400), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return json_error(
            500, "server_error", _("Something went wrong on our side. Nothing was saved.")
        )
    # Rendered without the request context: the failure may be in it.
    from django.template.loader import render_to_string

    return HttpResponse(render_to_string("core/error.html", _error_context(500)), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _wants_json(request):
        return json_error(
            403, "csrf_failed", _("Your session form has expired. Reload the page and try again.")
        )
    return render(request, "core/error.html", _error_context(403), status=403)


def _error_context(status: int) -> dict[str, object]:
    titles = {
        400: _("The request could not be understood"),
        403: _("This form has expired"),
        404: _("Page not found"),
        500: _("Something went wrong"),
    }
    explanations = {
        400: _("Check the address or go back and try again."),
        403: _("For your security, forms expire. Go back, reload the page and send it again."),
        404: _(
            "The page does not exist, or you do not have access to it. "
            "If you followed a link from a colleague, ask them to check it."
        ),
        500: _(
            "The error has been recorded and nothing was saved. "
            "Try again in a few minutes; if it happens again, tell your administrator."
        ),
    }
    return {"status": status, "title": titles[status], "explanation": explanations[status]}
