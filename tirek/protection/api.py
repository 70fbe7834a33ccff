"""The route policy for the REST API, applied after token or session auth."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from tirek.protection.policy import RouteAccess


class RouteAccessPermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        rule = getattr(view, "route_access", None)
        if not isinstance(rule, RouteAccess):
            raise NotFound
        if rule.allows(request.user):
            return True
        if not request.user.is_authenticated:
            return False  # DRF answers 401 with how to authenticate
        raise NotFound
