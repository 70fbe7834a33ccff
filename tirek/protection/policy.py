"""The one access policy: who may use which route.

Every view and API endpoint declares a ``RouteAccess`` with ``@route_access``
(functions) or a ``route_access`` attribute (classes). Nothing else decides:
the middleware enforces it for pages, ``RouteAccessPermission`` for the API,
and the authorisation-matrix test reads the same declarations. A route that
declares nothing is refused (default deny), and the matrix test fails.

Refusals answer "not found", exactly like a route or object that does not
exist, so that probing reveals nothing.

Every route that is not ``PUBLIC`` also needs a session that has passed the
second factor (or an API token, which needs one to be issued). The only
exceptions are the steps of signing in itself, declared
``SIGNED_IN_UNVERIFIED``: entering the code and enrolling an authenticator.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tirek.accounts.roles import Role

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class RouteAccess:
    """Who may reach a route: everyone, any signed-in user, or some roles."""

    public: bool = False
    roles: frozenset[Role] | None = None  # None: any signed-in user
    # True only for the sign-in steps reached with a password and no code yet.
    before_second_factor: bool = False

    @property
    def needs_second_factor(self) -> bool:
        return not (self.public or self.before_second_factor)

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not (user.is_authenticated and user.is_active):
            return False
        if self.roles is None:
            return True
        return not self.roles.isdisjoint(user.roles)

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.before_second_factor:
            return "signed-in-unverified"
        if self.roles is None:
            return "signed-in"
        return "+".join(sorted(self.roles))


PUBLIC = RouteAccess(public=True)
SIGNED_IN = RouteAccess()
# Signed in with a password, second factor not yet given: the sign-in steps only.
SIGNED_IN_UNVERIFIED = RouteAccess(before_second_factor=True)


def roles(*allowed: Role) -> RouteAccess:
    if not allowed:
        raise ValueError("name at least one role; use SIGNED_IN for any signed-in user")
    return RouteAccess(roles=frozenset(allowed))


def route_access(rule: RouteAccess) -> Callable[[View], View]:
    """Declare who may use a function view."""

    def declare(view: View) -> View:
        view.route_access = rule  # type: ignore[attr-defined]
        return view

    return declare


def rule_for_view(view_func: Callable[..., Any]) -> RouteAccess | None:
    """The rule declared on a resolved view function, class view or API view."""
    for holder in (
        view_func,
        getattr(view_func, "view_class", None),
        getattr(view_func, "cls", None),
    ):
        rule = getattr(holder, "route_access", None)
        if isinstance(rule, RouteAccess):
            return rule
    return None


def second_factor_passed(user: Any) -> bool:
    """Has this session given its second factor (django-otp's OTPMiddleware)?"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def is_api_view(view_func: Callable[..., Any]) -> bool:
    """Django REST framework views check access themselves, after token auth."""
    return getattr(view_func, "cls", None) is not None
