"""Session lifecycle: the verified sign-in, idle expiry, and re-authentication.

- ``complete_sign_in(request, device)`` ends signing in: a new session
  key (so a key planted before sign-in is worthless), the device recorded the
  way django-otp reads it (``request.user.is_verified()``), and the time of
  authentication for step-up checks.
- ``IdleTimeoutMiddleware`` signs out a session that has had no request for
  ``TIREK_IDLE_MINUTES``; the absolute lifetime is ``SESSION_COOKIE_AGE``.
- ``require_recent_authentication(minutes=5)`` guards sensitive pages: the
  user re-enters password and code, then comes back.
"""

import functools
import time
from collections.abc import Callable
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

# Session keys (epoch seconds).
AUTHENTICATED_AT = "tirek_authenticated_at"
LAST_ACTIVITY = "tirek_last_activity"

# Last activity is written at most this often, so that not every request
# writes the session; the idle timeout is exact to within this many seconds.
ACTIVITY_RESOLUTION_SECONDS = 10


def complete_sign_in(request: HttpRequest, device) -> None:
    """Mark the session verified by ``device``: new key, device, time."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[AUTHENTICATED_AT] = time.time()
    request.session[LAST_ACTIVITY] = time.time()


def recently_authenticated(request: HttpRequest, *, minutes: int) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return at is not None and time.time() - at <= minutes * 60


def safe_next(request: HttpRequest, fallback: str = "core:home") -> str:
    """The ``next`` parameter if it points into this site, else ``fallback``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(fallback)


def require_recent_authentication(minutes: int = 5) -> Callable:
    """Send the user to re-enter password and code unless they did within ``minutes``.

    For sensitive actions (exports, break-glass, key rotation, new recovery
    codes). Use it under the access rule on a function view::

        @route_access(roles(Role.COORDINATOR))
        @require_recent_authentication(minutes=5)
        def export(request): ...

    and with ``method_decorator`` on a class view. A refused POST is not
    replayed: the user comes back to the page (a GET) and submits again.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if recently_authenticated(request, minutes=minutes):
                return view(request, *args, **kwargs)
            target = reverse("accounts:reauthenticate")
            back = request.get_full_path() if request.method == "GET" else request.path
            return HttpResponseRedirect(f"{target}?next={quote(back)}")

        guarded.recent_authentication_minutes = minutes  # type: ignore[attr-defined]
        return guarded

    return decorate


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than ``TIREK_IDLE_MINUTES``.

    Runs before any view (and before the route policy's check), so an idle
    session reaches nothing: the user lands on the sign-in page with a
    message saying why. API requests with a token carry no session and are
    not affected (tokens expire on their own).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        minutes = settings.TIREK_IDLE_MINUTES
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - last > minutes * 60:
            logout(request)
            messages.warning(
                request,
                ngettext(
                    "You were signed out because nothing happened for %(minutes)d minute. "
                    "Sign in again to continue.",
                    "You were signed out because nothing happened for %(minutes)d minutes. "
                    "Sign in again to continue.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return
        if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY] = now
