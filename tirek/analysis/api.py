"""``POST /api/v1/analysis``: the legal analysis of the facts of a case.

The input is the same JSON object ``tirek analyze`` reads, checked as
strictly: an unknown key or code is refused with the allowed values. The
answer is exactly what ``tirek analyze`` prints, in the request's language.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.analysis.access import ANALYSIS_USERS
from tirek.analysis.services import analysis_answer
from tirek.law import law_content
from tirek.law.facts import INPUT_KEYS, OLDEST_AGE
from tirek.law.model import Category


class CodeField(serializers.ChoiceField):
    """A vocabulary code; a wrong one is refused with the list of allowed codes."""

    def __init__(self, category: Category, **kwargs: Any) -> None:
        self.category = category
        super().__init__(choices=law_content().vocabulary.codes(category), **kwargs)

    def to_internal_value(self, data: Any) -> str:
        allowed = law_content().vocabulary.codes(self.category)
        if not isinstance(data, str) or data not in allowed:
            raise ValidationError(
                _("“%(code)s” is not a known code. Allowed values: %(allowed)s.")
                % {"code": data, "allowed": ", ".join(allowed)}
            )
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON number only: "12" and true are not ages (as in tirek analyze)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValidationError(_("Give a whole number of years, or null."))
        value: int = super().to_internal_value(data)
        return value


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise ValidationError(_("Give true, false or null."))
        return data


def codes(category: Category) -> serializers.ListField:
    return serializers.ListField(child=CodeField(category), required=False, allow_empty=True)


class AnalysisIn(serializers.Serializer):
    offence_date = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"]
    )
    victim_age = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=OLDEST_AGE
    )
    victim_birth_date = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"]
    )
    acts = codes("acts")
    means = codes("means")
    purposes = codes("purposes")
    circumstances = codes("circumstances")
    victim_consented = StrictBooleanField(required=False, allow_null=True)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(INPUT_KEYS))
            if unknown:
                message = _("Unknown field. Allowed fields: %(allowed)s.") % {
                    "allowed": ", ".join(INPUT_KEYS)
                }
                raise ValidationError({key: [message] for key in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        born, offence = attrs.get("victim_birth_date"), attrs.get("offence_date")
        if born and offence and born > offence:
            raise ValidationError(
                {"victim_birth_date": [_("The date of birth is after the offence date.")]}
            )
        return attrs

    def as_facts_json(self) -> dict[str, Any]:
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in self.validated_data.items()
        }


# --- The answer, described for the OpenAPI schema --------------------------------------------
# Documentation only: the view returns tirek.law.render's dictionary as it is,
# which is exactly what `tirek analyze` prints.


def _strings() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField())


def _objects() -> serializers.ListField:
    return serializers.ListField(child=serializers.DictField())


class AnalysisReasonOut(serializers.Serializer):
    text = serializers.CharField(help_text="the explanation, in the request's language")
    sources = serializers.ListField(
        child=serializers.CharField(), help_text="ids of the provisions and references relied on"
    )


class AnalysisElementOut(serializers.Serializer):
    satisfied = serializers.BooleanField()
    facts = _strings()
    required = serializers.BooleanField(required=False, help_text="means only")
    outside_list = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="means only"
    )
    arguable = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="purpose only"
    )
    reason = AnalysisReasonOut()


class AnalysisElementsOut(serializers.Serializer):
    act = AnalysisElementOut()
    means = AnalysisElementOut()
    purpose = AnalysisElementOut()


class AnalysisLawOut(serializers.Serializer):
    instrument = serializers.ChoiceField(choices=["kg-cc-1997", "kg-cc-2017", "kg-cc-2021"])
    instrument_title = serializers.CharField()
    article = serializers.CharField()
    part = serializers.CharField(allow_null=True)
    provision = serializers.CharField()
    reference = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    in_force_from = serializers.DateField(allow_null=True)
    in_force_to = serializers.DateField(allow_null=True)
    made_out = serializers.BooleanField(
        allow_null=True, help_text="null when the article's elements have not been read"
    )
    verification = serializers.ChoiceField(choices=["verified", "secondary", "unverified"])
    verification_note = serializers.CharField()
    penalty = serializers.CharField(allow_null=True)
    elements = AnalysisElementsOut(allow_null=True)
    reason = AnalysisReasonOut()
    notes = AnalysisReasonOut(many=True)
    alternatives = _objects()
    later_laws = _objects()


class AnalysisOut(serializers.Serializer):
    # A plain string: an enum of ky/ru/en would collide with preferred_language in the schema.
    language = serializers.CharField(help_text="ky, ru or en: the language of the explanations")
    facts = serializers.DictField(help_text="the facts as understood")
    victim_age_at_offence = serializers.IntegerField(allow_null=True)
    trafficking = serializers.BooleanField(
        help_text="trafficking under the international definition (Protocol art. 3)"
    )
    trafficking_reason = AnalysisReasonOut()
    child_victim = serializers.BooleanField(allow_null=True)
    child_victim_reason = AnalysisReasonOut()
    elements = AnalysisElementsOut()
    consent_relevant = serializers.BooleanField()
    consent_reason = AnalysisReasonOut()
    law = AnalysisLawOut(
        allow_null=True,
        help_text="the national trafficking article in force on the offence date; null without one",
    )
    law_reason = AnalysisReasonOut()
    divergence = AnalysisReasonOut(allow_null=True)
    aggravating = _objects()
    not_recognised = _objects()
    missing = _objects()
    evidence_suggestions = _objects()
    related_offences = _objects()
    victim_rights = _objects()
    time_limits = _objects()
    screening = _objects()
    warnings = AnalysisReasonOut(many=True)
    sources = _objects()


class AnalysisView(APIView):
    """Does this case make out trafficking, under which law, and what is missing."""

    route_access = ANALYSIS_USERS
    parser_classes = [JSONParser]

    @extend_schema(
        request=AnalysisIn,
        responses={200: AnalysisOut},
        summary="Analyse the facts of a case",
        description=(
            "The same input and answer as `tirek analyze`. Every conclusion carries "
            "its reason and sources; each provision shows its verification status "
            "(verified, secondary, unverified). Explanations are in the request's "
            "language (Accept-Language or the language cookie). Nothing is stored."
        ),
    )
    def post(self, request: Request) -> Response:
        given = AnalysisIn(data=request.data)
        given.is_valid(raise_exception=True)
        return Response(analysis_answer(given.as_facts_json()))
