"""One error shape for the whole API.

    {"error": {"status": 400, "code": "invalid",
               "message": "Some fields are not valid.",
               "fields": {"name": ["This field is required."]}}}

``message`` is always a sentence a person can act on, in the language of the
request; ``fields`` appears only for validation errors.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response


def error_body(
    status_code: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "message": str(message)}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.NotFound()  # refused answers like missing: no existence leak
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handler answers (see api_server_error)

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            exc.status_code, "invalid", _("Some fields are not valid."), _fields(exc.detail)
        )
    elif isinstance(exc, exceptions.NotFound):
        body = error_body(404, "not_found", _("Not found."))
    elif isinstance(exc, exceptions.ParseError):
        # DRF's text quotes the parser's internals and is not translated.
        body = error_body(400, "parse_error", _("The request body is not valid JSON."))
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        # An exception may say which fields it concerns (409 conflict: what changed).
        body = error_body(
            exc.status_code, code, _detail_text(exc.detail), getattr(exc, "fields", None)
        )

    response = Response(body, status=exc.status_code)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response["WWW-Authenticate"] = 'Token realm="api"'
        response.status_code = status.HTTP_401_UNAUTHORIZED
        body["error"]["status"] = 401
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    return response


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return [str(item) for item in value]
        return [_flatten(item) for item in value]
    return [str(value)]


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return str(detail[0])
    if isinstance(detail, dict) and detail:
        return _detail_text(next(iter(detail.values())))
    return str(detail)


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status_code, code, message), status=status_code)
