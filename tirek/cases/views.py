"""The lawyer's case workspace and the coordinators' views of cases.

Every fetch goes through tirek.protection.access: a lawyer's own cases, a
coordinator's region (metadata only, never notes or the client's identity).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.audit.queries import events_for_target
from tirek.cases import actions
from tirek.cases.forms import (
    ActionForm,
    CaseForm,
    ClearConflictForm,
    CriminalCaseForm,
    EventForm,
    NoteForm,
    PartyForm,
    SearchForm,
)
from tirek.cases.models import CriminalCase, Deadline, LegalAidCase
from tirek.cases.search import search_cases
from tirek.law import procedure
from tirek.protection.access import (
    can_read_notes,
    can_see_client_identity,
    case_for,
    cases_visible_to,
)
from tirek.protection.policy import roles, route_access

CASE_READERS = roles(Role.LAWYER, Role.COORDINATOR)
LAWYERS = roles(Role.LAWYER)
COORDINATORS = roles(Role.COORDINATOR)


def _label(text) -> str:
    """A three-language content label in the interface language."""
    language = (get_language() or "en")[:2]
    for attribute in ("in_", "get"):
        if hasattr(text, attribute):
            return getattr(text, attribute)(language)
    return str(text)


def _stage_choices():
    return [(stage.code, _label(stage.label)) for stage in procedure.stages()]


def _event_kind_choices():
    return [(kind.code, _label(kind.label)) for kind in procedure.event_kinds()]


def _decision_choices():
    return [(decision.code, _label(decision.label)) for decision in procedure.decisions()]


@route_access(CASE_READERS)
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    # Posted, not in the address: a search may be a party's name.
    search = SearchForm(request.POST or None, stages=_stage_choices())
    cases = cases_visible_to(request.user)
    if (
        request.method == "POST"
        and search.is_valid()
        and (search.cleaned_data["q"] or search.cleaned_data["stage"])
    ):
        cases = search_cases(
            request.user, search.cleaned_data["q"], stage=search.cleaned_data["stage"]
        )
    cases = cases.select_related("lawyer", "criminal_case").with_next_due().order_by("-opened_at")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    stage_names = dict(_stage_choices())
    for case in page.object_list:
        case.stage_name = stage_names.get(case.stage, case.stage)
    return render(request, "cases/case_list.html", {"page": page, "search": search})


@route_access(CASE_READERS)
@require_http_methods(["GET"])
def workspace(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number)
    own = case.lawyer_id == request.user.pk
    identity = can_see_client_identity(request.user, case)
    if identity:
        audit(
            actor=request.user,
            action="person.view",
            target=case.client,
            fields=["full_name", "birth_date"],
        )
    audit(actor=request.user, action="case.view", target=case)
    facts = actions.case_facts(case)
    context = {
        "case": case,
        "own": own,
        "identity": identity,
        "stage_name": dict(_stage_choices()).get(case.stage, case.stage),
        "stages": procedure.stages(),
        "parties": case.criminal_case.parties.select_related("represented_by").all()
        if case.criminal_case_id
        else [],
        "events": _named_decisions(case.events.select_related("recorded_by")[:100]),
        "deadlines": case.deadlines.filter(done_at__isnull=True).select_related("event")[:50],
        "next_actions": procedure.next_actions(facts) if own else (),
        "decided": case.actions.select_related("decided_by").all(),
        "notes": case.notes.select_related("author")[:50]
        if can_read_notes(request.user, case)
        else None,
        "history": events_for_target("cases.legalaidcase", case.pk, page=request.GET.get("page"))
        if own
        else None,
        "language": (get_language() or "en")[:2],
        "forms": {
            "criminal": CriminalCaseForm(initial=_criminal_initial(case.criminal_case)),
            "party": PartyForm(),
            "event": EventForm(decisions=_decision_choices(), kinds=_event_kind_choices()),
            "note": NoteForm(prefix="note"),  # its "kind" must not clash with the event's
        }
        if own
        else {},
    }
    return render(request, "cases/workspace.html", context)


def _named_decisions(events) -> list:
    names = dict(_decision_choices())
    kinds = dict(_event_kind_choices())
    events = list(events)
    for event in events:
        event.decision_name = names.get(event.decision, "")
        event.kind_name = kinds.get(event.kind, event.kind)
    return events


def _criminal_initial(criminal: CriminalCase | None) -> dict:
    if criminal is None:
        return {}
    return {
        "version": criminal.version,
        "register_number": criminal.register_number,
        "investigating_body": criminal.investigating_body,
        "investigator": criminal.investigator,
        "prosecutor": criminal.prosecutor,
        "judge": criminal.judge,
        "charges": ", ".join(
            c["article"] + (f".{c['part']}" if c.get("part") else "") for c in criminal.charges
        ),
        "offence_date": criminal.offence_date,
        "offence_place": criminal.offence_place,
    }


def _back(case: LegalAidCase, anchor: str) -> HttpResponse:
    return redirect(f"/cases/{case.number}/#{anchor}")


def _refused(request, case, form, anchor: str, error: ValidationError) -> HttpResponse:
    form.add_error(None, error)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "anchor": anchor})


@route_access(LAWYERS)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    initial = {name: getattr(case, name) for name in actions.CASE_FIELDS} | {
        "version": case.version
    }
    form = CaseForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.case_update(actor=request.user, case=case, expected_version=version, **data)
        except actions.StaleEdit as refused:
            stale = refused
            form = CaseForm(request.POST, initial=initial)
            form.data = form.data.copy()
            form.data["version"] = refused.current.version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case has been updated."))
            return redirect("cases:workspace", number=case.number)
    return render(request, "cases/case_edit.html", {"case": case, "form": form, "stale": stale})


@route_access(LAWYERS)
@require_http_methods(["POST"])
def criminal_case_link(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    form = CriminalCaseForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "criminal"}
        )
    data = dict(form.cleaned_data)
    data["expected_version"] = data.pop("version")
    try:
        actions.criminal_case_link(actor=request.user, case=case, **data)
    except actions.StaleEdit:
        form.add_error(
            None,
            _(
                "Someone changed this criminal case after you opened the page. Reload the "
                "case to see their changes, then enter yours again."
            ),
        )
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "criminal"}
        )
    except ValidationError as error:
        return _refused(request, case, form, "criminal", error)
    messages.success(request, _("The criminal case has been saved."))
    return _back(case, "criminal")


@route_access(LAWYERS)
@require_http_methods(["POST"])
def party_add(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    form = PartyForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "parties"}
        )
    try:
        actions.party_add(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, form, "parties", error)
    messages.success(request, _("The party has been added."))
    return _back(case, "parties")


@route_access(LAWYERS)
@require_http_methods(["POST"])
def event_record(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    form = EventForm(request.POST, decisions=_decision_choices(), kinds=_event_kind_choices())
    if not form.is_valid():
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "timeline"}
        )
    try:
        actions.event_record(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, form, "timeline", error)
    messages.success(
        request, _("The event has been recorded; deadlines and next actions are updated.")
    )
    return _back(case, "deadlines")


@route_access(LAWYERS)
@require_http_methods(["POST"])
def action_mark(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "next"}
        )
    try:
        actions.action_mark(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, form, "next", error)
    return _back(case, "next")


@route_access(LAWYERS)
@require_http_methods(["POST"])
def note_add(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for(request.user, number, change=True)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return render(
            request, "cases/form_page.html", {"case": case, "form": form, "anchor": "notes"}
        )
    try:
        actions.note_add(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, form, "notes", error)
    messages.success(request, _("The note has been saved."))
    return _back(case, "notes")


@route_access(LAWYERS)
@require_http_methods(["GET"])
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    deadlines = (
        Deadline.objects.filter(
            case__in=cases_visible_to(request.user).filter(lawyer=request.user),
            done_at__isnull=True,
        )
        .select_related("case", "event")
        .order_by("due_on")[:200]
    )
    hearings = (
        cases_visible_to(request.user)
        .filter(lawyer=request.user, events__kind="hearing", events__occurred_on__gte=today)
        .values("number", "events__occurred_on", "events__summary")
        .order_by("events__occurred_on")[:100]
    )
    return render(
        request,
        "cases/calendar.html",
        {"deadlines": deadlines, "hearings": hearings, "today": today},
    )


@route_access(COORDINATORS)
@require_http_methods(["GET"])
def overdue(request: HttpRequest) -> HttpResponse:
    deadlines = (
        Deadline.objects.filter(
            case__in=cases_visible_to(request.user),
            done_at__isnull=True,
            due_on__lt=timezone.localdate(),
        )
        .select_related("case", "responsible")
        .order_by("due_on")
    )
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    return render(request, "cases/overdue.html", {"page": page})


@route_access(COORDINATORS)
@require_http_methods(["GET", "POST"])
def conflict_clear(request: HttpRequest) -> HttpResponse:
    form = ClearConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Only proceedings that have a case in the coordinator's region; the same
        # answer for "no such number" and "not yours".
        criminal = (
            CriminalCase.objects.filter(
                register_number=data["register_number"],
                legal_aid_cases__in=cases_visible_to(request.user),
            )
            .distinct()
            .first()
        )
        if criminal is None:
            form.add_error(
                "register_number", _("No criminal case with this number is in your region.")
            )
        else:
            try:
                actions.conflict_clear(
                    actor=request.user,
                    lawyer=data["lawyer"],
                    criminal_case=criminal,
                    reason=data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The conflict has been cleared and recorded."))
                return redirect("cases:list")
    return render(request, "cases/conflict_clear.html", {"form": form})
