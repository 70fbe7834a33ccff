"""The route policy for the REST API, applied after token or session auth."""

from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import BasePermission

from tirek.protection.policy import RouteAccess, second_factor_passed


class RouteAccessPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        rule = getattr(view, "route_access", None)
        if not isinstance(rule, RouteAccess):
            raise NotFound
        if rule.allows(request.user):
            if rule.needs_second_factor and not _second_factor_passed(request):
                raise NotAuthenticated(
                    _("Enter the code from your authenticator app to finish signing in first.")
                )
            return True
        if not request.user.is_authenticated:
            return False  # DRF answers 401 with how to authenticate
        raise NotFound


def _second_factor_passed(request) -> bool:
    # A token is issued only for a password and a code; a session must have
    # passed the second factor itself.
    if isinstance(request.auth, AuthToken):
        return True
    return second_factor_passed(request.user)
