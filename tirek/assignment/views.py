"""Requests for legal aid, the coordinator's choice and the lawyer's answer.

Thin: fetches go through tirek.protection.access, changes through
tirek.assignment.actions. Coordinators and lawyers (before accepting) see a
request's needs, never the person's identity.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.roles import Role
from tirek.analysis.services import current_language
from tirek.assignment import actions
from tirek.assignment.forms import AnswerForm, ChooseForm, RequestForm, WithdrawRequestForm
from tirek.assignment.models import AssignmentState, RequestState
from tirek.cases.models import LegalAidCase
from tirek.core.forms import attach_errors
from tirek.law import law_content
from tirek.nrm import actions as nrm
from tirek.nrm.forms import StatusForm
from tirek.people.models import SpokenLanguage
from tirek.protection.access import (
    legal_aid_request_for,
    legal_aid_requests_visible_to,
    offer_for,
    offers_to,
    person_for,
)
from tirek.protection.policy import roles, route_access

CASEWORKERS = roles(Role.CASEWORKER)
COORDINATORS = roles(Role.COORDINATOR)
REQUEST_READERS = roles(Role.COORDINATOR, Role.CASEWORKER)
LAWYERS = roles(Role.LAWYER)
LEGAL_AID_LAW_PROVISION = "kg-law-legal-aid-2022/victims-category"
PROPOSAL_SHOWN = 20


def _legal_aid_law_basis() -> dict:
    """The legal aid law's category of victims, with its verification status."""
    law, lang = law_content(), current_language()
    provision = law.provision(LEGAL_AID_LAW_PROVISION)
    status = provision.verification.status
    return {
        "instrument": law.instrument_of(provision).short_title.in_(lang),
        "title": provision.title.in_(lang),
        "summary": provision.summary.in_(lang),
        "status": status,
        "status_label": law.formats[f"status_{status}"].in_(lang),
        "note": provision.verification.note.in_(lang),
    }


def _language_names(codes) -> str:
    names = dict(SpokenLanguage.choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


# --- The caseworker's request ----------------------------------------------------------


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    form = RequestForm(
        request.POST or None,
        initial={"region": request.user.organisation.region or "bishkek"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.request_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Request %(number)s has been sent to %(office)s.")
                % {"number": created.number, "office": created.legal_aid_office},
            )
            return redirect("assignment:request", number=created.number)
    return render(
        request,
        "assignment/request_form.html",
        {
            "form": form,
            "person": person,
            "status": nrm.current_status(person),
            "law_basis": _legal_aid_law_basis(),
        },
    )


# --- Requests: the Legal Aid Service and the sender ---------------------------------------


@route_access(REQUEST_READERS)
@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "waiting")
    requests = legal_aid_requests_visible_to(request.user).select_related("from_organisation")
    if state == "waiting":
        requests = requests.waiting()
    elif state in RequestState.values:
        requests = requests.filter(state=state)
    else:
        state = "all"
    page = Paginator(requests.order_by("received_at"), 50).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.language_names = _language_names(item.languages)
    return render(
        request,
        "assignment/request_list.html",
        {
            "page": page,
            "state": state,
            "states": [("waiting", _("Waiting")), *RequestState.choices, ("all", _("All"))],
            "now": timezone.now(),
        },
    )


def _is_coordinator_of(user, item) -> bool:
    if Role.COORDINATOR not in user.roles:
        return False
    region = user.organisation.region
    return not region or region == item.region


@route_access(REQUEST_READERS)
@require_http_methods(["GET"])
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    item = legal_aid_request_for(request.user, number)
    return render(request, "assignment/request_detail.html", _request_context(request, item))


def _request_context(request, item, *, choose_form=None, status_form=None) -> dict:
    coordinator = _is_coordinator_of(request.user, item)
    assignments = list(
        item.assignments.select_related("lawyer", "chosen_by").order_by("offered_at")
    )
    ranked = []
    problem = actions.basis_problem(item) if coordinator else ""
    if coordinator and item.state == RequestState.OPEN and not problem:
        ranked = actions.proposal_for(request.user, item)
        choose_form = choose_form or ChooseForm(ranked=ranked)
    # The first lawyers and those who cannot take it now, unless asked for all:
    # the national coordinator's proposal holds the whole country's register.
    show_all = request.GET.get("all") == "1"
    eligible = [entry for entry in ranked if entry.eligible]
    shown = ranked if show_all else eligible[:PROPOSAL_SHOWN]
    accepted = next((a for a in assignments if a.state == AssignmentState.ACCEPTED), None)
    return {
        "item": item,
        "coordinator": coordinator,
        "sender": item.from_organisation_id == request.user.organisation_id,
        "language_names": _language_names(item.languages),
        "assignments": assignments,
        "ranked": shown,
        "hidden": len(ranked) - len(shown),
        "choose_form": choose_form if ranked else None,
        "basis_problem": problem,
        "status": item.status_decision or nrm.current_status(item.person),
        "status_form": (status_form or StatusForm()) if coordinator and problem else None,
        "law_basis": _legal_aid_law_basis(),
        "order": getattr(accepted, "order", None) if accepted else None,
        "withdraw_form": WithdrawRequestForm()
        if item.from_organisation_id == request.user.organisation_id
        and Role.CASEWORKER in request.user.roles
        and item.state in (RequestState.OPEN, RequestState.OFFERED)
        else None,
    }


@route_access(COORDINATORS)
@require_POST
def request_acknowledge(request: HttpRequest, number: str) -> HttpResponse:
    """The Legal Aid Service has the request in hand: the sender sees it at
    once (closed-loop feedback). Offering it to a lawyer acknowledges it too."""
    item = legal_aid_request_for(request.user, number, coordinator=True)
    actions.request_acknowledge(actor=request.user, request=item)
    messages.success(request, _("The sender can see that the request is in hand."))
    return redirect("assignment:request", number=item.number)


@route_access(COORDINATORS)
@require_http_methods(["POST"])
def request_status(request: HttpRequest, number: str) -> HttpResponse:
    """A coordinator records the authorised body's decision on the request's
    person — the decision's facts, never the person's identity."""
    item = legal_aid_request_for(request.user, number, coordinator=True)
    if item.state != RequestState.OPEN or not actions.basis_problem(item):
        # Only a request waiting on its basis: the decision lands on the
        # person's record, which the coordinator cannot otherwise touch.
        messages.error(
            request, _("A decision can be recorded here only while the request waits for it.")
        )
        return redirect("assignment:request", number=item.number)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            nrm.status_record(actor=request.user, person=item.person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The decision on victim status has been recorded."))
            return redirect("assignment:request", number=item.number)
    item.refresh_from_db()
    return render(
        request,
        "assignment/request_detail.html",
        _request_context(request, item, status_form=form),
        status=400,
    )


@route_access(COORDINATORS)
@require_POST
def request_assign(request: HttpRequest, number: str) -> HttpResponse:
    item = legal_aid_request_for(request.user, number, coordinator=True)
    ranked = actions.proposal_for(request.user, item) if item.state == RequestState.OPEN else []
    form = ChooseForm(request.POST, ranked=ranked)
    if form.is_valid():
        try:
            assignment = actions.assignment_offer(
                actor=request.user,
                request=item,
                lawyer_id=form.cleaned_data["lawyer"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Offered to %(lawyer)s, who has until %(until)s to answer.")
                % {
                    "lawyer": assignment.lawyer.get_full_name(),
                    "until": timezone.localtime(assignment.respond_by).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("assignment:request", number=item.number)
    item.refresh_from_db()
    return render(
        request,
        "assignment/request_detail.html",
        _request_context(request, item, choose_form=form),
        status=400,
    )


@route_access(CASEWORKERS)
@require_POST
def request_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """The sending organisation withdraws a request still waiting for a lawyer."""
    item = legal_aid_request_for(request.user, number)
    if item.from_organisation_id != request.user.organisation_id:
        raise Http404
    form = WithdrawRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.request_withdraw(
                actor=request.user, request=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The request has been withdrawn."))
    else:
        messages.error(request, _("Say why the request is withdrawn."))
    return redirect("assignment:request", number=item.number)


# --- The lawyer's offers ------------------------------------------------------------------


@route_access(LAWYERS)
@require_http_methods(["GET"])
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = offers_to(request.user).select_related("request", "request__case")
    waiting = list(offers.filter(state=AssignmentState.OFFERED).order_by("respond_by"))
    answered = Paginator(
        offers.exclude(state=AssignmentState.OFFERED).order_by("-offered_at"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "assignment/offer_list.html",
        {"waiting": waiting, "answered": answered, "now": timezone.now()},
    )


def _offer_context(offer, form=None) -> dict:
    item = offer.request
    case = LegalAidCase.objects.filter(pk=item.case_id, lawyer=offer.lawyer).first()
    return {
        "offer": offer,
        "item": item,
        "language_names": _language_names(item.languages),
        "form": form or AnswerForm(),
        "open": offer.state == AssignmentState.OFFERED and offer.respond_by >= timezone.now(),
        # A lawyer who declined, let it expire or saw it withdrawn no longer
        # reads what the request says.
        "details": offer.state in (AssignmentState.OFFERED, AssignmentState.ACCEPTED),
        "case": case if offer.state == AssignmentState.ACCEPTED else None,
        "law_basis": _legal_aid_law_basis(),
    }


@route_access(LAWYERS)
@require_http_methods(["GET"])
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_for(request.user, pk)
    return render(request, "assignment/offer_detail.html", _offer_context(offer))


@route_access(LAWYERS)
@require_POST
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_for(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["answer"] == "accept":
                case, order = actions.assignment_accept(actor=request.user, assignment=offer)
            else:
                actions.assignment_decline(
                    actor=request.user, assignment=offer, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if form.cleaned_data["answer"] == "accept":
                messages.success(
                    request,
                    _("You accepted. Case %(number)s is open; order %(order)s is issued.")
                    % {"number": case.number, "order": order.number},
                )
                return redirect("cases:workspace", number=case.number)
            messages.success(request, _("You declined. The coordinator has been told."))
            return redirect("assignment:offers")
    offer.refresh_from_db()
    return render(request, "assignment/offer_detail.html", _offer_context(offer, form), status=400)
