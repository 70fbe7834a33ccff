"""The register in the REST API (coordinators): entries and the ranked proposal.

Thin, like the pages: entries come through ``register_entries_visible_to``
(a regional coordinator sees their region, the national Legal Aid Service
everything; missing and not-yours answer the same 404); every write goes
through tirek.registry.actions.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.accounts.regions import Region
from tirek.accounts.roles import Role
from tirek.cases.models import CriminalCase, LawyerRole
from tirek.people.models import SpokenLanguage
from tirek.protection.access import cases_visible_to, register_entry_for
from tirek.protection.policy import roles
from tirek.registry import actions
from tirek.registry.actions import MAX_CAPACITY, EntryValues
from tirek.registry.models import Availability, Gender, Specialisation
from tirek.registry.queries import Filters, entries_for, proposal
from tirek.registry.ranking import Need

COORDINATORS = roles(Role.COORDINATOR)


def _as_api_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "message_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def _codes(choices) -> str:
    return ", ".join(choices.values)


# --- Output shapes -------------------------------------------------------------------


class LawyerOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    username = serializers.CharField()


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    lawyer = LawyerOut()
    licence_number = serializers.CharField()
    region = serializers.CharField(help_text=_codes(Region))
    districts = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=_codes(SpokenLanguage)
    )
    gender = serializers.CharField(help_text=f"{_codes(Gender)} or empty")
    specialisations = serializers.ListField(
        child=serializers.CharField(), help_text=_codes(Specialisation)
    )
    tip_certified_on = serializers.DateField(allow_null=True)
    tip_certificate_expires_on = serializers.DateField(allow_null=True)
    capacity = serializers.IntegerField()
    caseload = serializers.IntegerField(help_text="the lawyer's open cases, counted now")
    availability = serializers.CharField(help_text=_codes(Availability))
    on_leave_until = serializers.DateField(allow_null=True)
    availability_reason = serializers.CharField()
    availability_changed_on = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ReasonOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="in the request's language")
    points = serializers.FloatField()


class RankedOut(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="1 is the best; null: excluded")
    lawyer_id = serializers.IntegerField(source="candidate.lawyer_id")
    lawyer = serializers.CharField(source="candidate.label")
    score = serializers.FloatField()
    eligible = serializers.BooleanField()
    reasons = ReasonOut(many=True)
    exclusions = ReasonOut(many=True)


# --- Input shapes --------------------------------------------------------------------


def _language_code(value: str) -> str:
    if value not in SpokenLanguage.values:
        raise ValidationError(
            _("Unknown value. Allowed: %(values)s.") % {"values": _codes(SpokenLanguage)}
        )
    return value


class EntryFilterIn(serializers.Serializer):
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    language = serializers.CharField(
        max_length=8, required=False, help_text=f"a language code: {_codes(SpokenLanguage)}"
    )
    certified = serializers.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")],
        required=False,
        help_text="yes: TIP certificate in force today; no: not in force",
    )
    availability = serializers.ChoiceField(choices=Availability.choices, required=False)

    def validate_language(self, value: str) -> str:
        return _language_code(value)


class EntryIn(serializers.Serializer):
    licence_number = serializers.CharField(max_length=40)
    region = serializers.ChoiceField(choices=Region.choices)
    districts = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=20
    )
    # Codes checked by the action (entry_problems), like the importer's.
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8),
        min_length=1,
        max_length=6,
        help_text=_codes(SpokenLanguage),
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    specialisations = serializers.ListField(
        child=serializers.ChoiceField(choices=Specialisation.choices), required=False
    )
    tip_certified_on = serializers.DateField(required=False, allow_null=True)
    tip_certificate_expires_on = serializers.DateField(required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY)
    availability = serializers.ChoiceField(choices=Availability.choices)
    on_leave_until = serializers.DateField(required=False, allow_null=True)
    availability_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    availability_changed_on = serializers.DateField(required=False, allow_null=True)


class ProposalIn(serializers.Serializer):
    region = serializers.ChoiceField(choices=Region.choices)
    languages = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=f"the victim's languages, comma-separated: {_codes(SpokenLanguage)}",
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices,
        required=False,
        allow_blank=True,
        help_text="the lawyer's gender the victim asked for; empty: no preference",
    )
    on = serializers.DateField(required=False, help_text="the date of the request (today)")
    criminal_case = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="its number in the Unified Register, if known: checks conflicts of interest",
    )
    lawyer_role = serializers.ChoiceField(
        choices=LawyerRole.choices, required=False, default=LawyerRole.VICTIM_REPRESENTATIVE
    )

    def validate_languages(self, value: str) -> tuple[str, ...]:
        codes = tuple(code.strip() for code in value.split(",") if code.strip())
        bad = [code for code in codes if code not in SpokenLanguage.values]
        if bad:
            raise ValidationError(
                _("Unknown value. Allowed: %(values)s.") % {"values": _codes(SpokenLanguage)}
            )
        return codes


# --- Views ---------------------------------------------------------------------------


class EntryListView(GenericAPIView):
    """The register entries you may see: your region's, or the whole country's
    for the national Legal Aid Service."""

    route_access = COORDINATORS
    serializer_class = EntryOut

    @extend_schema(
        summary="List register entries",
        operation_id="registry_entries_list",
        parameters=[EntryFilterIn],
    )
    def get(self, request):
        given = EntryFilterIn(data=request.query_params)
        given.is_valid(raise_exception=True)
        entries = entries_for(request.user, Filters(**given.validated_data))
        page = self.paginate_queryset(entries.order_by("licence_number", "pk"))
        return self.get_paginated_response(EntryOut(page, many=True).data)


class EntryDetailView(APIView):
    route_access = COORDINATORS

    def _entry(self, request, pk: int, *, change: bool = False):
        entry = register_entry_for(request.user, pk, change=change)
        return entries_for(request.user).get(pk=entry.pk)

    @extend_schema(responses=EntryOut, summary="One register entry")
    def get(self, request, pk: int):
        return Response(EntryOut(self._entry(request, pk)).data)

    @extend_schema(
        request=EntryIn,
        responses={200: EntryOut},
        summary="Change a register entry",
        description="Send the whole entry (as GET shows it, without id, lawyer and caseload).",
    )
    def put(self, request, pk: int):
        entry = self._entry(request, pk, change=True)
        given = EntryIn(data=request.data)
        given.is_valid(raise_exception=True)
        values = EntryValues(
            **{
                name: tuple(value) if isinstance(value, list) else value
                for name, value in given.validated_data.items()
            }
        )
        try:
            actions.entry_update(actor=request.user, entry=entry, values=values)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None
        return Response(EntryOut(self._entry(request, pk)).data)


class ProposalView(APIView):
    """Lawyers ranked for a request, each with why: the eligible first (rank 1 is
    the best), then those excluded now, with the reason. The coordinator chooses."""

    route_access = COORDINATORS

    @extend_schema(
        parameters=[ProposalIn],
        responses=RankedOut(many=True),
        summary="Ranked proposal of lawyers",
    )
    def get(self, request):
        given = ProposalIn(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        criminal_case = None
        if data.get("criminal_case"):
            # Only a criminal case of a legal aid case the coordinator may see.
            criminal_case = CriminalCase.objects.filter(
                register_number=data["criminal_case"],
                pk__in=cases_visible_to(request.user).values("criminal_case_id"),
            ).first()
            if criminal_case is None:
                raise ValidationError({"criminal_case": [_("No criminal case has this number.")]})
        need = Need(
            region=data["region"],
            on=data.get("on") or timezone.localdate(),
            languages=data.get("languages", ()),
            gender=data.get("gender", ""),
        )
        ranked = proposal(
            request.user, need=need, criminal_case=criminal_case, lawyer_role=data["lawyer_role"]
        )
        return Response(RankedOut(ranked, many=True).data)
