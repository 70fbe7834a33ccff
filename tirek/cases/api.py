"""The lawyer's case in the REST API: cases, criminal case, parties, timeline,
deadlines, next actions, notes; assignment and overdue deadlines for coordinators.

Thin, like the pages: every case is fetched through ``case_for`` or
``cases_visible_to`` (missing and not-yours answer the same 404), every write
goes through tirek.cases.actions, the client's identity is shown only to the
case's lawyer and notes are read by nobody else. An edit names the
``version`` it started from; if someone saved since, the answer is 409 with
what changed, and nothing is saved.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.accounts.models import User
from tirek.accounts.roles import Role
from tirek.audit.log import audit_request
from tirek.cases import actions
from tirek.cases.models import (
    ActionState,
    CaseEvent,
    CaseNote,
    CriminalCase,
    Deadline,
    LawyerRole,
    LegalAidBasis,
    NoteKind,
    Party,
    PartyRole,
    Safety,
)
from tirek.cases.search import search_cases
from tirek.law import law_content, procedure
from tirek.people.models import SpokenLanguage
from tirek.protection.access import (
    can_read_notes,
    can_see_client_identity,
    case_for,
    cases_visible_to,
)
from tirek.protection.policy import roles

CASE_READERS = roles(Role.LAWYER, Role.COORDINATOR)
LAWYERS = roles(Role.LAWYER)
COORDINATORS = roles(Role.COORDINATOR)

# Identity and whereabouts never travel in an error, not even to the lawyer.
UNREPEATED_FIELDS = frozenset({"safety_notes"})


def _as_api_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "message_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


class EditConflict(APIException):
    """409: someone saved the record after this edit began (actions.StaleEdit)."""

    status_code = 409
    default_code = "conflict"

    def __init__(self, stale: actions.StaleEdit) -> None:
        by = str(stale.by) if stale.by is not None else _("Someone else")
        super().__init__(
            _(
                "%(by)s saved this record after you began (it is now version %(version)d). "
                "Nothing was saved: review what changed, then send your edit again with "
                "version %(version)d."
            )
            % {"by": by, "version": stale.current.version}
        )
        # The one error shape: "fields" holds, per field, what it is now.
        self.fields = {
            name: [_now_message(stale.current, name, current)]
            for name, (_mine, current) in stale.changed.items()
        }


def _now_message(record: Any, name: str, current: Any) -> str:
    if name in UNREPEATED_FIELDS:
        return _("Changed since you began (not repeated here).")
    labels = dict(type(record)._meta.get_field(name).flatchoices)
    if isinstance(current, list):
        current = ", ".join(str(item) for item in current)
    elif isinstance(current, bool):
        current = _("yes") if current else _("no")
    else:
        current = labels.get(current, current)
    return _("Now: “%(value)s”.") % {"value": "" if current is None else current}


def _label(text: Any) -> str:
    """A three-language content text in the request's language."""
    language = (get_language() or "en")[:2]
    if hasattr(text, "in_"):
        return text.in_(language if language in ("ky", "ru", "en") else "en")
    return str(text or "")


def _stage_names() -> dict[str, str]:
    return {stage.code: _label(stage.label) for stage in procedure.stages()}


def _listed(cases: QuerySet) -> QuerySet:
    """Cases as a list shows them: one query whatever the number of rows."""
    return (
        cases.select_related("lawyer", "criminal_case")
        .with_next_due()
        .order_by("-opened_at", "-pk")
    )


# --- Output shapes -------------------------------------------------------------------


class PersonRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    username = serializers.CharField()


class CaseListOut(serializers.Serializer):
    number = serializers.CharField()
    version = serializers.IntegerField()
    stage = serializers.CharField(help_text="a stage code of the procedure content")
    stage_name = serializers.SerializerMethodField()
    lawyer = PersonRefOut()
    region = serializers.CharField()
    lawyer_role = serializers.CharField(help_text=", ".join(LawyerRole.values))
    register_number = serializers.CharField(
        source="criminal_case.register_number", allow_null=True, default=None
    )
    next_due = serializers.DateField(allow_null=True)
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_stage_name(self, case) -> str:
        return self.context["stage_names"].get(case.stage, case.stage)


class ChargeOut(serializers.Serializer):
    instrument = serializers.CharField()
    article = serializers.CharField()
    part = serializers.CharField(allow_blank=True)


class CriminalCaseOut(serializers.Serializer):
    register_number = serializers.CharField()
    version = serializers.IntegerField()
    investigating_body = serializers.CharField()
    investigator = serializers.CharField()
    prosecutor = serializers.CharField()
    judge = serializers.CharField()
    charges = ChargeOut(many=True)
    offence_date = serializers.DateField(allow_null=True)
    offence_place = serializers.CharField()
    linked_to = serializers.CharField(
        source="linked_to.register_number", allow_null=True, default=None
    )


class ClientOut(serializers.Serializer):
    record_key = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)


class CaseOut(CaseListOut):
    next_due = None  # one case shows its deadlines at …/deadlines
    legal_aid_basis = serializers.CharField(help_text=", ".join(LegalAidBasis.values))
    basis_reference = serializers.CharField()
    client_languages = serializers.ListField(child=serializers.CharField())
    interpreter_needed = serializers.BooleanField()
    safety = serializers.CharField(help_text=", ".join(Safety.values))
    safety_notes = serializers.SerializerMethodField(
        help_text="the case's lawyer only; null for everyone else"
    )
    client = serializers.SerializerMethodField(
        help_text="the client's identity: the case's lawyer only; null for everyone else"
    )
    criminal_case = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def _identity(self) -> bool:
        return bool(self.context.get("identity"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_safety_notes(self, case) -> str | None:
        return case.safety_notes if self._identity() else None

    @extend_schema_field(ClientOut(allow_null=True))
    def get_client(self, case) -> dict | None:
        return ClientOut(case.client).data if self._identity() else None

    @extend_schema_field(CriminalCaseOut(allow_null=True))
    def get_criminal_case(self, case) -> dict | None:
        if case.criminal_case is None:
            return None
        return CriminalCaseOut(case.criminal_case).data


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField(help_text=", ".join(PartyRole.values))
    full_name = serializers.SerializerMethodField(
        help_text="only for the lawyer who recorded the party; null for everyone else"
    )
    represented_by = PersonRefOut(allow_null=True)
    added_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_full_name(self, party) -> str | None:
        # Several lawyers (a victim's, an accused's) may share one criminal
        # case: each reads only the names they recorded themselves.
        reader = self.context.get("reader_id")
        if self.context.get("identity") and reader and party.added_by_id == reader:
            return party.full_name
        return None


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="an event kind code of the procedure content")
    decision = serializers.CharField(help_text="a decision code of the procedure content, or empty")
    occurred_on = serializers.DateField()
    received_on = serializers.DateField(allow_null=True)
    scheduled_at = serializers.DateTimeField(allow_null=True)
    summary = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class DeadlineOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.number")
    event = serializers.IntegerField(source="event_id")
    rule = serializers.CharField()
    due_on = serializers.DateField(
        allow_null=True, help_text="null: no computed date, check manually"
    )
    basis = serializers.CharField()
    verification = serializers.CharField(help_text="verified, secondary or unverified")
    responsible = PersonRefOut()
    done_at = serializers.DateTimeField(allow_null=True)


class EventRecordedOut(serializers.Serializer):
    event = EventOut()
    deadlines = DeadlineOut(many=True, help_text="the deadlines this event started")
    stage = serializers.CharField(help_text="the case's stage after the event")


class NextActionOut(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    basis = serializers.SerializerMethodField()
    verification = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)

    def get_title(self, action) -> str:
        return _label(action.title)

    def get_explanation(self, action) -> str:
        return _label(action.explanation)

    def get_basis(self, action) -> list[str]:
        return [getattr(source, "citation", str(source)) for source in action.basis]


class CaseActionOut(serializers.Serializer):
    step = serializers.CharField()
    state = serializers.CharField(help_text=", ".join(ActionState.values))
    reason = serializers.CharField()
    postponed_until = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField()


class NoteOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    kind = serializers.CharField(help_text=", ".join(NoteKind.values))
    title = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class OverdueOut(DeadlineOut):
    region = serializers.CharField(source="case.region")
    days_overdue = serializers.SerializerMethodField()

    def get_days_overdue(self, deadline) -> int:
        return (timezone.localdate() - deadline.due_on).days


# --- Input shapes --------------------------------------------------------------------


class CaseUpdateIn(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="the version you started from (from GET)"
    )
    lawyer_role = serializers.ChoiceField(choices=LawyerRole.choices, required=False)
    legal_aid_basis = serializers.ChoiceField(choices=LegalAidBasis.choices, required=False)
    basis_reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    client_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices), required=False, max_length=6
    )
    interpreter_needed = serializers.BooleanField(required=False)
    safety = serializers.ChoiceField(choices=Safety.choices, required=False)
    safety_notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssignIn(serializers.Serializer):
    record_key = serializers.UUIDField(help_text="the record key of the person the caseworker gave")
    lawyer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, role_grants__role=Role.LAWYER)
    )
    lawyer_role = serializers.ChoiceField(choices=LawyerRole.choices)
    legal_aid_basis = serializers.ChoiceField(choices=LegalAidBasis.choices)
    basis_reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    client_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices), required=False, max_length=6
    )
    interpreter_needed = serializers.BooleanField(required=False)


class ChargeIn(serializers.Serializer):
    instrument = serializers.CharField(
        max_length=40, default="kg-cc-2021", help_text="a criminal code of the law content"
    )
    article = serializers.RegexField(r"^\d{1,4}$", max_length=4)
    part = serializers.RegexField(r"^\d{0,2}$", max_length=2, required=False, allow_blank=True)

    def validate_instrument(self, value: str) -> str:
        codes = sorted(code for code in law_content().instruments if code.startswith("kg-cc-"))
        if value not in codes:
            raise ValidationError(
                _("Unknown value. Allowed: %(values)s.") % {"values": ", ".join(codes)}
            )
        return value


class CriminalCaseIn(serializers.Serializer):
    register_number = serializers.CharField(max_length=60)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="the criminal case's version you started from; needed to change the "
        "details of a criminal case that already exists",
    )
    investigating_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    investigator = serializers.CharField(max_length=200, required=False, allow_blank=True)
    prosecutor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    judge = serializers.CharField(max_length=200, required=False, allow_blank=True)
    charges = ChargeIn(many=True, required=False)
    offence_date = serializers.DateField(required=False, allow_null=True)
    offence_place = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PartyIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    full_name = serializers.CharField(max_length=300)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)


class EventIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [kind.code for kind in procedure.event_kinds()]

    decision = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="a decision code of the procedure content (for kind=decision)",
    )
    occurred_on = serializers.DateField()
    received_on = serializers.DateField(required=False, allow_null=True)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ActionIn(serializers.Serializer):
    step = serializers.CharField(max_length=60, help_text="a step of the next actions")
    state = serializers.ChoiceField(choices=ActionState.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postponed_until = serializers.DateField(required=False, allow_null=True)


class NoteIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoteKind.choices, required=False)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20000)


class NoteUpdateIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="the version you started from")
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20000)


class SearchIn(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="a register or case number, an article, a party's exact name, or words of "
        "your notes",
    )
    stage = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def validate_stage(self, value: str) -> str:
        allowed = [stage.code for stage in procedure.stages()]
        if value and value not in allowed:
            raise ValidationError(
                _("Unknown value. Allowed: %(values)s.") % {"values": ", ".join(allowed)}
            )
        return value


# --- Cases ---------------------------------------------------------------------------


def _write(call, *args, **kwargs):
    """Run an action; its refusals become the API's errors."""
    try:
        return call(*args, **kwargs)
    except actions.StaleEdit as stale:
        raise EditConflict(stale) from None
    except DjangoValidationError as error:
        raise _as_api_error(error) from None


def _case_out(request, case) -> dict:
    identity = can_see_client_identity(request.user, case)
    return CaseOut(case, context={"identity": identity, "stage_names": _stage_names()}).data


class CaseListView(GenericAPIView):
    """The cases you may see, newest first: your own (lawyer); your region's, or the
    whole country's for the national Legal Aid Service (coordinator)."""

    route_access = CASE_READERS
    serializer_class = CaseListOut

    @extend_schema(
        summary="List cases",
        operation_id="cases_list",
        parameters=[
            inline_serializer(
                "CaseListFilter",
                {"stage": serializers.CharField(required=False, help_text="a stage code")},
            )
        ],
    )
    def get(self, request):
        given = SearchIn(data={"stage": request.query_params.get("stage", "")})
        given.is_valid(raise_exception=True)
        cases = cases_visible_to(request.user)
        if given.validated_data.get("stage"):
            cases = cases.filter(stage=given.validated_data["stage"])
        return _page(self, request, _listed(cases))


def _page(view: GenericAPIView, request, cases: QuerySet) -> Response:
    page = view.paginate_queryset(cases)
    context = {"stage_names": _stage_names()}
    return view.get_paginated_response(CaseListOut(page, many=True, context=context).data)


class CaseSearchView(GenericAPIView):
    """Search the cases you may see. Notes are searched in your own cases only;
    parties only by their exact name."""

    route_access = CASE_READERS
    serializer_class = CaseListOut

    @extend_schema(summary="Search cases", operation_id="cases_search", parameters=[SearchIn])
    def get(self, request):
        given = SearchIn(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        cases = search_cases(request.user, data.get("q", ""), stage=data.get("stage", ""))
        return _page(self, request, _listed(cases))


class CaseDetailView(APIView):
    route_access = CASE_READERS

    @extend_schema(
        responses=CaseOut,
        summary="One case",
        description="The client's identity and the safety notes are shown to the case's "
        "lawyer only (and the reading is audited); a coordinator sees the metadata.",
    )
    def get(self, request, number: str):
        case = case_for(request.user, number)
        if can_see_client_identity(request.user, case):
            audit_request(
                request,
                action="person.view",
                target=case.client,
                fields=["full_name", "birth_date"],
            )
        audit_request(request, action="case.view", target=case)
        return Response(_case_out(request, case))

    @extend_schema(
        request=CaseUpdateIn,
        responses={200: CaseOut},
        summary="Change a case (its lawyer)",
        description="Send the `version` you started from and the fields to change. If the "
        "case was saved since, the answer is 409 `conflict`, with what each field is now "
        "in `fields`; nothing is saved.",
    )
    def patch(self, request, number: str):
        case = case_for(request.user, number, change=True)
        given = CaseUpdateIn(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        version = values.pop("version")
        _write(
            actions.case_update, actor=request.user, case=case, expected_version=version, **values
        )
        return Response(_case_out(request, case))


class CriminalCaseView(APIView):
    route_access = LAWYERS

    @extend_schema(
        request=CriminalCaseIn,
        responses={200: CriminalCaseOut},
        summary="Link the criminal case and set its details (the case's lawyer)",
        description="Links the criminal case with this register number (created if new). "
        "To change the details of one that exists, send its `version`; a stale version is "
        "answered 409 `conflict`. A conflict of interest is refused (400).",
    )
    def post(self, request, number: str):
        case = case_for(request.user, number, change=True)
        given = CriminalCaseIn(data=request.data)
        given.is_valid(raise_exception=True)
        details = dict(given.validated_data)
        register_number = details.pop("register_number")
        version = details.pop("version", None)
        if "charges" in details:
            details["charges"] = [dict(charge) for charge in details["charges"]]
        exists = _criminal_exists(register_number)
        if details and exists and version is None:
            raise ValidationError(
                {"version": [_("Send the version of the criminal case you started from.")]}
            )
        criminal = _write(
            actions.criminal_case_link,
            actor=request.user,
            case=case,
            register_number=register_number,
            expected_version=version,
            **details,
        )
        return Response(CriminalCaseOut(criminal).data)


def _criminal_exists(register_number: str) -> bool:
    return CriminalCase.objects.filter(register_number=register_number.strip()).exists()


class PartyListView(GenericAPIView):
    """The other parties of the case's criminal case. Their names are personal
    data: shown to the case's lawyer only."""

    route_access = CASE_READERS
    serializer_class = PartyOut

    @extend_schema(summary="Parties", operation_id="cases_parties_list")
    def get(self, request, number: str):
        case = case_for(request.user, number)
        if case.criminal_case_id is None:
            parties = Party.objects.none()
        else:
            parties = case.criminal_case.parties.select_related("represented_by").order_by(
                "role", "added_at", "pk"
            )
        page = self.paginate_queryset(parties)
        context = {
            "identity": can_see_client_identity(request.user, case),
            "reader_id": request.user.pk,
        }
        return self.get_paginated_response(PartyOut(page, many=True, context=context).data)

    @extend_schema(
        request=PartyIn,
        responses={201: PartyOut},
        summary="Add a party (the case's lawyer)",
        description="The conflict-of-interest check runs again; a conflict is refused (400).",
    )
    def post(self, request, number: str):
        case = case_for(request.user, number, change=True)
        given = PartyIn(data=request.data)
        given.is_valid(raise_exception=True)
        party = _write(actions.party_add, actor=request.user, case=case, **given.validated_data)
        return Response(
            PartyOut(party, context={"identity": True, "reader_id": request.user.pk}).data,
            status=201,
        )


class EventListView(GenericAPIView):
    route_access = CASE_READERS
    serializer_class = EventOut

    @extend_schema(summary="The timeline, newest first", operation_id="cases_events_list")
    def get(self, request, number: str):
        case = case_for(request.user, number)
        events = CaseEvent.objects.filter(case=case).order_by("-occurred_on", "-recorded_at", "-pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventOut(page, many=True).data)

    @extend_schema(
        request=EventIn,
        responses={201: EventRecordedOut},
        summary="Record an event (the case's lawyer)",
        description="A decision may move the case to another stage and start deadlines, "
        "computed from the law content; they are in the answer.",
    )
    def post(self, request, number: str):
        case = case_for(request.user, number, change=True)
        given = EventIn(data=request.data)
        given.is_valid(raise_exception=True)
        event = _write(actions.event_record, actor=request.user, case=case, **given.validated_data)
        deadlines = event.deadlines.select_related("case", "responsible").order_by("due_on", "pk")
        return Response(
            EventRecordedOut({"event": event, "deadlines": deadlines, "stage": case.stage}).data,
            status=201,
        )


class DeadlineListView(GenericAPIView):
    route_access = CASE_READERS
    serializer_class = DeadlineOut

    @extend_schema(summary="Open deadlines, soonest first", operation_id="cases_deadlines_list")
    def get(self, request, number: str):
        case = case_for(request.user, number)
        deadlines = (
            Deadline.objects.filter(case=case, done_at__isnull=True)
            .select_related("case", "responsible")
            .order_by("due_on", "pk")
        )
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(DeadlineOut(page, many=True).data)


class NextActionsView(APIView):
    """The algorithm of actions for the case's stage and facts (the case's lawyer)."""

    route_access = LAWYERS

    @extend_schema(
        responses=NextActionOut(many=True),
        summary="Next actions, with their legal basis and due dates",
    )
    def get(self, request, number: str):
        case = case_for(request.user, number, change=True)
        found = procedure.next_actions(actions.case_facts(case))
        return Response(NextActionOut(found, many=True).data)


class ActionMarkView(APIView):
    route_access = LAWYERS

    @extend_schema(
        request=ActionIn,
        responses={200: CaseActionOut},
        summary="Mark a next action done, not applicable (with a reason) or postponed",
    )
    def post(self, request, number: str):
        case = case_for(request.user, number, change=True)
        given = ActionIn(data=request.data)
        given.is_valid(raise_exception=True)
        marked = _write(actions.action_mark, actor=request.user, case=case, **given.validated_data)
        return Response(CaseActionOut(marked).data)


def _notes_case(request, number: str):
    case = case_for(request.user, number)
    if not can_read_notes(request.user, case):
        raise NotFound
    return case


class NoteListView(GenericAPIView):
    """Privileged work product: the case's own lawyer, nobody else — a coordinator
    gets 404 here, like for a case that does not exist."""

    route_access = LAWYERS
    serializer_class = NoteOut

    @extend_schema(summary="Notes, newest first", operation_id="cases_notes_list")
    def get(self, request, number: str):
        case = _notes_case(request, number)
        notes = CaseNote.objects.filter(case=case).order_by("-created_at", "-pk")
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(NoteOut(page, many=True).data)

    @extend_schema(request=NoteIn, responses={201: NoteOut}, summary="Write a note")
    def post(self, request, number: str):
        case = _notes_case(request, number)
        given = NoteIn(data=request.data)
        given.is_valid(raise_exception=True)
        note = _write(actions.note_add, actor=request.user, case=case, **given.validated_data)
        return Response(NoteOut(note).data, status=201)


class OverdueView(GenericAPIView):
    """Deadlines past due in the cases of your region (or the whole country)."""

    route_access = COORDINATORS
    serializer_class = OverdueOut

    @extend_schema(summary="Overdue deadlines, oldest first", operation_id="cases_overdue_list")
    def get(self, request):
        deadlines = (
            Deadline.objects.filter(
                case__in=cases_visible_to(request.user),
                done_at__isnull=True,
                due_on__lt=timezone.localdate(),
            )
            .select_related("case", "responsible")
            .order_by("due_on", "pk")
        )
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(OverdueOut(page, many=True).data)


class NoteDetailView(APIView):
    route_access = LAWYERS

    def _note(self, request, number: str, note_id: int) -> CaseNote:
        case = _notes_case(request, number)
        note = CaseNote.objects.filter(case=case, pk=note_id).select_related("case").first()
        if note is None:
            raise NotFound
        return note

    @extend_schema(responses=NoteOut, summary="One note")
    def get(self, request, number: str, note_id: int):
        return Response(NoteOut(self._note(request, number, note_id)).data)

    @extend_schema(
        request=NoteUpdateIn,
        responses={200: NoteOut},
        summary="Change a note",
        description="Send the `version` you started from; a stale one is answered 409 "
        "`conflict` and nothing is saved.",
    )
    def patch(self, request, number: str, note_id: int):
        note = self._note(request, number, note_id)
        given = NoteUpdateIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        _write(
            actions.note_update,
            actor=request.user,
            note=note,
            expected_version=data["version"],
            title=data["title"],
            body=data["body"],
        )
        return Response(NoteOut(note).data)
