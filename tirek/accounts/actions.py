"""Every change to organisations, users and roles goes through these actions.

Each validates the whole change first and raises ``ValidationError`` with
messages keyed by field (shown by forms and by the API alike), then writes
inside one transaction. Side effects (e-mail) happen only after commit.
"""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tirek.accounts.models import Organisation, RoleGrant, User
from tirek.accounts.queries import active_administrator_count
from tirek.accounts.roles import ROLE_ORGANISATION_KINDS, OrganisationKind, Role
from tirek.audit.log import audit, changed, snapshot

# Roles that see people's or cases' content.
DATA_ROLES = frozenset({Role.LAWYER, Role.COORDINATOR, Role.CASEWORKER})

# What the audit trail records of each change (never a password).
ORGANISATION_AUDITED = ("name", "kind", "region", "parent", "is_active")
USER_AUDITED = (
    "username",
    "email",
    "first_name",
    "last_name",
    "organisation",
    "preferred_language",
    "is_active",
)

# --- Organisations -----------------------------------------------------------


def _check_organisation(
    *,
    organisation: Organisation | None,
    name: str,
    kind: str,
    region: str,
    parent: Organisation | None,
    is_active: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors.setdefault("name", []).append(_("Enter the organisation's name."))
    same_name = Organisation.objects.filter(name__iexact=name)
    if organisation is not None:
        same_name = same_name.exclude(pk=organisation.pk)
    if name and same_name.exists():
        errors.setdefault("name", []).append(_("An organisation with this name already exists."))
    if kind == OrganisationKind.LEGAL_AID_REGIONAL_OFFICE:
        if parent is None or parent.kind != OrganisationKind.LEGAL_AID_SERVICE:
            errors.setdefault("parent", []).append(
                _("A regional office must belong to the Legal Aid Service.")
            )
        if not region:
            errors.setdefault("region", []).append(_("Choose the region this office serves."))
    if parent is not None and organisation is not None and _is_within(parent, organisation):
        errors.setdefault("parent", []).append(
            _("An organisation cannot belong to itself or to one of its own branches.")
        )
    if (
        organisation is not None
        and organisation.is_active
        and not is_active
        and organisation.users.filter(is_active=True).exists()
    ):
        errors.setdefault("is_active", []).append(
            _("Deactivate or move this organisation's users first.")
        )
    if organisation is not None and kind != organisation.kind:
        mismatched = _users_whose_roles_do_not_fit(organisation, kind)
        if mismatched:
            errors.setdefault("kind", []).append(
                _("%(count)d user(s) hold roles that this kind of organisation cannot have.")
                % {"count": mismatched}
            )
    if errors:
        raise ValidationError(errors)


def _is_within(candidate_parent: Organisation, organisation: Organisation) -> bool:
    seen: set[int] = set()
    node: Organisation | None = candidate_parent
    while node is not None and node.pk not in seen:
        if node.pk == organisation.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def _users_whose_roles_do_not_fit(organisation: Organisation, kind: str) -> int:
    not_allowed = [role for role, kinds in ROLE_ORGANISATION_KINDS.items() if kind not in kinds]
    return organisation.users.filter(role_grants__role__in=not_allowed).distinct().count()


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    region: str = "",
    parent: Organisation | None = None,
) -> Organisation:
    _check_organisation(
        organisation=None, name=name, kind=kind, region=region, parent=parent, is_active=True
    )
    organisation = Organisation.objects.create(
        name=name.strip(), kind=kind, region=region, parent=parent
    )
    after = snapshot(organisation, ORGANISATION_AUDITED)
    audit(
        actor=actor, action="organisation.create", target=organisation, changes=changed({}, after)
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    kind: str,
    region: str,
    parent: Organisation | None,
    is_active: bool,
) -> Organisation:
    _check_organisation(
        organisation=organisation,
        name=name,
        kind=kind,
        region=region,
        parent=parent,
        is_active=is_active,
    )
    before = snapshot(organisation, ORGANISATION_AUDITED)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.region = region
    organisation.parent = parent
    organisation.is_active = is_active
    organisation.save(update_fields=["name", "kind", "region", "parent", "is_active"])
    after = snapshot(organisation, ORGANISATION_AUDITED)
    audit(
        actor=actor,
        action="organisation.update",
        target=organisation,
        changes=changed(before, after),
    )
    return organisation


# --- Users -------------------------------------------------------------------


def _check_user(
    *,
    user: User | None,
    actor: User | None,
    username: str,
    email: str,
    organisation: Organisation | None,
    roles: frozenset[Role],
    is_active: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if user is None:
        if not username.strip():
            errors.setdefault("username", []).append(_("Choose a user name."))
        elif User.objects.filter(username__iexact=username.strip()).exists():
            errors.setdefault("username", []).append(_("This user name is already taken."))
    if not email.strip():
        errors.setdefault("email", []).append(
            _("Enter an e-mail address: it is needed to set and reset the password.")
        )
    else:
        same_email = User.objects.filter(email__iexact=email.strip())
        if user is not None:
            same_email = same_email.exclude(pk=user.pk)
        if same_email.exists():
            errors.setdefault("email", []).append(
                _("Another account already uses this e-mail address.")
            )
    if organisation is None:
        errors.setdefault("organisation", []).append(_("Choose the user's organisation."))
    else:
        if not organisation.is_active:
            errors.setdefault("organisation", []).append(_("This organisation is deactivated."))
        for role in sorted(roles):
            if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
                errors.setdefault("roles", []).append(
                    _("A %(role)s cannot work for a %(kind)s.")
                    % {
                        "role": Role(role).label,
                        "kind": OrganisationKind(organisation.kind).label,
                    }
                )
    if Role.ADMINISTRATOR in roles and roles & DATA_ROLES:
        errors.setdefault("roles", []).append(
            _(
                "An administrator cannot also be a lawyer, coordinator or caseworker: "
                "administrators see no case content except through emergency access."
            )
        )
    if user is not None and actor is not None and user.pk == actor.pk and roles != user.roles:
        errors.setdefault("roles", []).append(_("You cannot change your own roles."))
    if user is not None and actor is not None and user.pk == actor.pk:
        if not is_active:
            errors.setdefault("is_active", []).append(_("You cannot deactivate your own account."))
        if Role.ADMINISTRATOR in user.roles and Role.ADMINISTRATOR not in roles:
            errors.setdefault("roles", []).append(
                _("You cannot remove your own administrator role.")
            )
    if (
        user is not None
        and Role.ADMINISTRATOR in user.roles
        and (Role.ADMINISTRATOR not in roles or not is_active)
        and user.is_active
        and active_administrator_count() <= 1
    ):
        errors.setdefault("roles", []).append(
            _("Tirek must keep at least one active administrator.")
        )
    if errors:
        raise ValidationError(errors)


def _set_roles(*, user: User, roles: frozenset[Role], actor: User | None) -> None:
    current = {grant.role for grant in user.role_grants.all()}
    wanted = {str(role) for role in roles}
    RoleGrant.objects.filter(user=user, role__in=current - wanted).delete()
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=role, granted_by=actor) for role in sorted(wanted - current)]
    )
    user.__dict__.pop("roles", None)
    if hasattr(user, "_prefetched_objects_cache"):
        user._prefetched_objects_cache.pop("role_grants", None)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    organisation: Organisation | None,
    roles: Iterable[Role],
    preferred_language: str = "",
    password: str | None = None,
    send_invitation: bool = True,
) -> User:
    """Create an account; without a password, e-mail a link to choose one."""
    wanted = frozenset(Role(role) for role in roles)
    _check_user(
        user=None,
        actor=actor,
        username=username,
        email=email,
        organisation=organisation,
        roles=wanted,
        is_active=True,
    )
    user = User(
        username=username.strip(),
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    _set_roles(user=user, roles=wanted, actor=actor)
    after = snapshot(user, USER_AUDITED) | {"roles": sorted(wanted)}
    audit(actor=actor, action="user.create", target=user, changes=changed({}, after))
    if password is None and send_invitation:
        transaction.on_commit(partial(send_invitation_email, user_id=user.pk))
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation | None,
    roles: Iterable[Role],
    preferred_language: str,
    is_active: bool,
) -> User:
    wanted = frozenset(Role(role) for role in roles)
    _check_user(
        user=user,
        actor=actor,
        username=user.username,
        email=email,
        organisation=organisation,
        roles=wanted,
        is_active=is_active,
    )
    before = snapshot(user, USER_AUDITED) | {"roles": sorted(user.roles)}
    user.email = email.strip()
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.organisation = organisation
    user.preferred_language = preferred_language
    user.is_active = is_active
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "organisation",
            "preferred_language",
            "is_active",
        ]
    )
    _set_roles(user=user, roles=wanted, actor=actor)
    if not is_active:
        _end_sessions_of(user)
    after = snapshot(user, USER_AUDITED) | {"roles": sorted(wanted)}
    audit(actor=actor, action="user.update", target=user, changes=changed(before, after))
    return user


def _end_sessions_of(user: User) -> None:
    """A deactivated account is signed out everywhere at once.

    Sessions need nothing: Django's backend refuses an inactive user on the
    next request. API tokens are deleted so they cannot be revived.
    """
    from knox.models import AuthToken

    AuthToken.objects.filter(user=user).delete()


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    """Every API token of the user stops working (new password, new authenticator)."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).delete()[0]


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return
    before = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit(
        actor=user,
        action="user.set_language",
        target=user,
        changes={"preferred_language": (before, language)},
    )


# --- E-mail ------------------------------------------------------------------


def send_invitation_email(*, user_id: int) -> None:
    """Send a new user the link to choose their password, in their language."""
    user = User.objects.get(pk=user_id)
    link = settings.TIREK_SITE_URL.rstrip("/") + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Your Tirek account")
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_update_profile(
    *, user: User, first_name: str, last_name: str, preferred_language: str
) -> User:
    """What users may change about themselves (not roles, not organisation)."""
    if preferred_language and preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": [_("Choose one of the offered languages.")]})
    profile = ("first_name", "last_name", "preferred_language")
    before = snapshot(user, profile)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    audit(
        actor=user,
        action="user.update_profile",
        target=user,
        changes=changed(before, snapshot(user, profile)),
    )
    return user
