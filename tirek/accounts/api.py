"""The accounts part of the REST API: who am I, tokens, users, organisations.

One class per operation group, explicit input and output serializers, and
every write through the same actions the pages use.
"""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    NotFound,
    ValidationError,
)
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.accounts import actions, queries, second_factor
from tirek.accounts.models import Organisation, User
from tirek.accounts.regions import Region
from tirek.accounts.roles import OrganisationKind, Role
from tirek.protection.policy import PUBLIC, SIGNED_IN, roles

ADMINISTRATORS = roles(Role.ADMINISTRATOR)


def _as_api_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "message_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


# --- Output shapes -------------------------------------------------------------


class OrganisationOut(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region", "parent", "is_active", "created_at"]
        read_only_fields = fields


class UserOut(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = OrganisationOut(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "roles",
            "preferred_language",
            "is_active",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields

    def get_roles(self, user: User) -> list[str]:
        return sorted(str(role) for role in user.roles)


# --- Who am I; tokens ----------------------------------------------------------


class MeView(APIView):
    route_access = SIGNED_IN

    @extend_schema(responses=UserOut, summary="The signed-in user")
    def get(self, request):
        user = queries.user_by_id(request.user.pk)
        return Response(UserOut(user).data)


class TokenIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12, help_text="The current code from the user's authenticator app."
    )


class SecondFactorThrottled(APIException):
    status_code = 429
    default_code = "throttled"

    def __init__(self, seconds: int) -> None:
        super().__init__(second_factor.throttled_message(seconds))
        self.wait = seconds


class TokenView(APIView):
    """Exchange a user name, password and authenticator code for an expiring API token.

    The token is shown once; the server keeps only its digest. Wrong
    passwords count towards the same lockout as the sign-in page; wrong codes
    towards the same throttle as the second step of signing in. A token
    counts as a verified session: it was issued for both factors.
    """

    route_access = PUBLIC
    authentication_classes: list = []

    @extend_schema(
        request=TokenIn,
        responses={
            200: inline_serializer(
                "TokenOut",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            )
        },
        summary="Obtain an API token",
    )
    def post(self, request):
        given = TokenIn(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(_("The user name or password is not right."))
        if not second_factor.has_confirmed_device(user):
            raise AuthenticationFailed(
                _("Set up your authenticator app by signing in to Tirek in a browser first.")
            )
        try:
            device = second_factor.totp_check(user=user, code=given.validated_data["otp"])
        except second_factor.SecondFactorThrottled as throttled:
            raise SecondFactorThrottled(throttled.seconds) from None
        if device is None:
            raise AuthenticationFailed(
                _("The code from the authenticator app is not right, or it has been used already.")
            )
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenRevokeView(APIView):
    route_access = SIGNED_IN

    @extend_schema(request=None, responses={204: None}, summary="Revoke the token in use")
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=204)


# --- Organisations -------------------------------------------------------------


class OrganisationIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class OrganisationListView(GenericAPIView):
    route_access = ADMINISTRATORS
    serializer_class = OrganisationOut

    @extend_schema(
        summary="List organisations",
        operation_id="organisations_list",
        parameters=[
            inline_serializer(
                "OrganisationFilter",
                {
                    "q": serializers.CharField(required=False),
                    "kind": serializers.ChoiceField(OrganisationKind.choices, required=False),
                    "region": serializers.ChoiceField(Region.choices, required=False),
                },
            )
        ],
    )
    def get(self, request):
        filters = _Filter(
            data=request.query_params,
            fields={"q": 100, "kind": OrganisationKind.values, "region": Region.values},
        ).values()
        items = queries.organisations_for_administration(
            search=filters["q"], kind=filters["kind"], region=filters["region"]
        )
        page = self.paginate_queryset(items)
        return self.get_paginated_response(OrganisationOut(page, many=True).data)

    @extend_schema(request=OrganisationIn, responses={201: OrganisationOut}, summary="Add one")
    def post(self, request):
        given = OrganisationIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        data.pop("is_active", None)
        try:
            organisation = actions.organisation_create(actor=request.user, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(OrganisationOut(organisation).data, status=201)


class OrganisationDetailView(APIView):
    route_access = ADMINISTRATORS

    def _get(self, pk: int) -> Organisation:
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise NotFound
        return organisation

    @extend_schema(responses=OrganisationOut, summary="One organisation")
    def get(self, request, pk: int):
        return Response(OrganisationOut(self._get(pk)).data)

    @extend_schema(request=OrganisationIn, responses=OrganisationOut, summary="Change one")
    def patch(self, request, pk: int):
        organisation = self._get(pk)
        given = OrganisationIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        current = {
            "name": organisation.name,
            "kind": organisation.kind,
            "region": organisation.region,
            "parent": organisation.parent,
            "is_active": organisation.is_active,
        }
        try:
            actions.organisation_update(
                actor=request.user,
                organisation=organisation,
                **(current | given.validated_data),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(OrganisationOut(organisation).data)


# --- Users ---------------------------------------------------------------------


class UserIn(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[User.username_validator])
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), allow_empty=True, max_length=6
    )
    preferred_language = serializers.ChoiceField(
        choices=[("", ""), ("ky", "ky"), ("ru", "ru"), ("en", "en")],
        required=False,
        allow_blank=True,
    )
    is_active = serializers.BooleanField(required=False)


class UserListView(GenericAPIView):
    route_access = ADMINISTRATORS
    serializer_class = UserOut

    @extend_schema(
        summary="List users",
        operation_id="users_list",
        parameters=[
            inline_serializer(
                "UserFilter",
                {
                    "q": serializers.CharField(required=False),
                    "role": serializers.ChoiceField(Role.choices, required=False),
                },
            )
        ],
    )
    def get(self, request):
        filters = _Filter(
            data=request.query_params, fields={"q": 100, "role": Role.values}
        ).values()
        items = queries.users_for_administration(search=filters["q"], role=filters["role"])
        page = self.paginate_queryset(items)
        return self.get_paginated_response(UserOut(page, many=True).data)

    @extend_schema(
        request=UserIn,
        responses={201: UserOut},
        summary="Add a user (they receive an e-mail to choose a password)",
    )
    def post(self, request):
        given = UserIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        data.pop("is_active", None)
        try:
            user = actions.user_create(actor=request.user, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(UserOut(queries.user_by_id(user.pk)).data, status=201)


class UserDetailView(APIView):
    route_access = ADMINISTRATORS

    def _get(self, pk: int) -> User:
        user = queries.user_by_id(pk)
        if user is None:
            raise NotFound
        return user

    @extend_schema(responses=UserOut, summary="One user")
    def get(self, request, pk: int):
        return Response(UserOut(self._get(pk)).data)

    @extend_schema(request=UserIn, responses=UserOut, summary="Change one (not the user name)")
    def patch(self, request, pk: int):
        user = self._get(pk)
        given = UserIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        if "username" in data and data.pop("username") != user.username:
            raise ValidationError({"username": [_("A user name cannot be changed.")]})
        current = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation,
            "roles": sorted(user.roles),
            "preferred_language": user.preferred_language,
            "is_active": user.is_active,
        }
        try:
            actions.user_update(actor=request.user, user=user, **(current | data))
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(UserOut(queries.user_by_id(user.pk)).data)


class _Filter:
    """Query-string filters: unknown values are an error, not silently ignored."""

    def __init__(self, *, data, fields: dict[str, int | list[str]]):
        self.data = data
        self.fields = fields

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        errors: dict[str, list[str]] = {}
        for name, rule in self.fields.items():
            value = self.data.get(name, "").strip()
            if isinstance(rule, int):
                if len(value) > rule:
                    errors[name] = [_("Use at most %(count)d characters.") % {"count": rule}]
            elif value and value not in rule:
                errors[name] = [
                    _("Unknown value. Allowed: %(values)s.") % {"values": ", ".join(rule)}
                ]
            out[name] = value
        if errors:
            raise ValidationError(errors)
        return out
