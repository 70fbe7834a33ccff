"""Reads of accounts and organisations (for administrators' pages and the API)."""

from django.db.models import Count, Q, QuerySet

from tirek.accounts.models import Organisation, RoleGrant, User


def users_for_administration(
    *,
    search: str = "",
    role: str = "",
    organisation_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    users = User.objects.select_related("organisation").prefetch_related("role_grants")
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        users = users.filter(role_grants__role=role)
    if organisation_id is not None:
        users = users.filter(organisation_id=organisation_id)
    if active is not None:
        users = users.filter(is_active=active)
    return users.order_by("username").distinct()


def organisations_for_administration(
    *, search: str = "", kind: str = "", region: str = ""
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("parent").annotate(
        user_count=Count("users", filter=Q(users__is_active=True))
    )
    if search:
        organisations = organisations.filter(name__icontains=search)
    if kind:
        organisations = organisations.filter(kind=kind)
    if region:
        organisations = organisations.filter(region=region)
    return organisations.order_by("name")


def administration_summary() -> dict[str, int]:
    return {
        "active_users": User.objects.filter(is_active=True).count(),
        "inactive_users": User.objects.filter(is_active=False).count(),
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users_without_role": User.objects.filter(is_active=True, role_grants__isnull=True).count(),
    }


def user_by_id(user_id: int) -> User | None:
    return (
        User.objects.select_related("organisation")
        .prefetch_related("role_grants")
        .filter(pk=user_id)
        .first()
    )


def active_administrator_count() -> int:
    return (
        RoleGrant.objects.filter(role="administrator", user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )
