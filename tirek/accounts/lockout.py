"""What a person sees when signing in is paused after repeated failures."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tirek.core.api_errors import json_error


def cooloff_minutes() -> int:
    return max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    minutes = cooloff_minutes()
    if request.path.startswith("/api/"):
        response = json_error(
            429,
            "locked_out",
            _("Too many failed attempts. Wait %(minutes)d minutes and try again.")
            % {"minutes": minutes},
        )
        response["Retry-After"] = str(minutes * 60)
        return response
    response = render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
