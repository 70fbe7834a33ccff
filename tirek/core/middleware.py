"""Request logging and the headers that keep pages private."""

import logging
import time
import uuid

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("tirek.request")


class RequestLogMiddleware:
    """One JSON line per request: method, path, route, status, time, user id.

    The user is logged by id only; the query string is never logged because
    a search may carry a name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "route": match.view_name if match else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else 0,
            },
        )
        response["X-Request-ID"] = request.request_id
        return response


PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class PrivacyHeadersMiddleware:
    """Nothing Tirek answers is kept by a browser or proxy cache.

    Every response, not only signed-in pages: an API response may carry a
    token, and a page's user may be unknown here (API views authenticate
    later). Static files are served before this middleware and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
