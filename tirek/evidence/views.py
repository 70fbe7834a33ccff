"""The case's evidence: the list, an item with its statuses, the elements it
supports, its files and its chain of custody. The case's lawyer only; every
fetch through tirek.protection.access, every change through actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.roles import Role
from tirek.cases.actions import StaleEdit
from tirek.core.forms import attach_errors
from tirek.evidence import actions
from tirek.evidence.forms import CustodyForm, ItemForm, LinkForm, NewItemForm, StatusForm
from tirek.evidence.models import EvidenceKind
from tirek.evidence.queries import element_choices, items_of
from tirek.protection.access import evidence_case_for, evidence_item_for
from tirek.protection.policy import roles, route_access

LAWYERS = roles(Role.LAWYER)


@route_access(LAWYERS)
@require_http_methods(["GET"])
def item_list(request: HttpRequest, number: str) -> HttpResponse:
    case = evidence_case_for(request.user, number)
    items = items_of(case)
    return render(
        request,
        "evidence/item_list.html",
        {
            "case": case,
            "items": items,
            "independent": sum(1 for item in items if item.independent),
            "kinds": EvidenceKind.choices,
        },
    )


@route_access(LAWYERS)
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, number: str) -> HttpResponse:
    case = evidence_case_for(request.user, number)
    form = NewItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.item_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Item %(number)s has been added.") % {"number": item.number}
            )
            return redirect("evidence:item", number=case.number, item=item.number)
    return render(request, "evidence/item_form.html", {"case": case, "form": form, "item": None})


def _detail_context(request, case, item, **forms) -> dict:
    return {
        "case": case,
        "item": item,
        "files": list(item.files.all()),
        "links": list(item.links.all()),
        "custody": list(item.custody.select_related("recorded_by", "file")),
        "history": list(item.status_history.select_related("recorded_by")),
        "elements": element_choices(case),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": item.status, "on": timezone.localdate()}),
        "link_form": forms.get("link_form") or LinkForm(),
        "custody_form": forms.get("custody_form")
        or CustodyForm(
            initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
    }


@route_access(LAWYERS)
@require_http_methods(["GET"])
def item_detail(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, found = evidence_item_for(request.user, number, item)
    return render(request, "evidence/item_detail.html", _detail_context(request, case, found))


@route_access(LAWYERS)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, found = evidence_item_for(request.user, number, item)
    initial = {name: getattr(found, name) for name in actions.ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", found.version))
            actions.item_update(
                actor=request.user, item=found, expected_version=version, **form.cleaned_data
            )
        except StaleEdit as conflict:
            stale = conflict
            form.add_error(
                None,
                _("%(who)s changed this item while you were editing. Check and save again.")
                % {"who": conflict.by},
            )
            found = conflict.current
        except (ValidationError, ValueError) as error:
            attach_errors(form, error) if isinstance(error, ValidationError) else form.add_error(
                None, str(error)
            )
        else:
            messages.success(request, _("The item has been changed."))
            return redirect("evidence:item", number=case.number, item=found.number)
    return render(
        request,
        "evidence/item_form.html",
        {"case": case, "form": form, "item": found, "stale": stale},
    )


def _back(case, item) -> HttpResponse:
    return redirect("evidence:item", number=case.number, item=item.number)


def _invalid(request, case, item, **forms) -> HttpResponse:
    return render(
        request,
        "evidence/item_detail.html",
        _detail_context(request, case, item, **forms),
        status=400,
    )


@route_access(LAWYERS)
@require_POST
def item_status(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, found = evidence_item_for(request.user, number, item)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.item_set_status(actor=request.user, item=found, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The status has been recorded."))
            return _back(case, found)
    return _invalid(request, case, found, status_form=form)


@route_access(LAWYERS)
@require_POST
def item_link(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, found = evidence_item_for(request.user, number, item)
    form = LinkForm(request.POST)
    allowed = {code for code, _label in element_choices(case)}
    if form.is_valid() and form.cleaned_data["element"] not in allowed:
        form.add_error("element", _("Choose an element of the provision charged."))
    if form.is_valid():
        data = form.cleaned_data
        if data["remove"]:
            actions.element_unlink(actor=request.user, item=found, element=data["element"])
            messages.success(request, _("The link has been removed."))
        else:
            actions.element_link(
                actor=request.user,
                item=found,
                element=data["element"],
                strength=data["strength"],
                note=data["note"],
            )
            messages.success(request, _("The item is linked to the element."))
        if request.POST.get("next") == "matrix":
            return redirect("evidence:matrix", number=case.number)
        return _back(case, found)
    if request.POST.get("next") == "matrix":
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("evidence:matrix", number=case.number)
    return _invalid(request, case, found, link_form=form)


@route_access(LAWYERS)
@require_POST
def item_custody(request: HttpRequest, number: str, item: int) -> HttpResponse:
    case, found = evidence_item_for(request.user, number, item)
    form = CustodyForm(request.POST)
    if form.is_valid():
        try:
            actions.custody_record(actor=request.user, item=found, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The custody event has been recorded."))
            return _back(case, found)
    return _invalid(request, case, found, custody_form=form)
