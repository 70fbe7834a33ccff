"""Pages of the register: the list and its filters, an entry's edit page,
import and export (coordinators), and a lawyer's own entry (read only).

Every fetch goes through tirek.protection.access: a regional coordinator
sees their region, the national Legal Aid Service the whole country.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.protection.access import register_entries_visible_to, register_entry_for
from tirek.protection.policy import roles, route_access
from tirek.registry import actions, transfer
from tirek.registry.forms import EntryForm, FilterForm, ImportForm
from tirek.registry.queries import Filters, entries_for

COORDINATORS = roles(Role.COORDINATOR)
LAWYERS = roles(Role.LAWYER)
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@route_access(COORDINATORS)
@require_http_methods(["GET"])
def register_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = Filters(**form.cleaned_data) if form.is_valid() else Filters()
    entries = entries_for(request.user, filters).order_by("region", "licence_number")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for entry in page.object_list:
        entry.certified_now = entry.certified_on(today)
    return render(request, "registry/list.html", {"page": page, "filters": form})


@route_access(COORDINATORS)
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = register_entry_for(request.user, pk, change=True)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_of(entry))
    if request.method == "POST" and form.is_valid():
        try:
            actions.entry_update(actor=request.user, entry=entry, values=form.values())
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("The register entry is saved."))
            return redirect("registry:list")
    return render(request, "registry/edit.html", {"form": form, "entry": entry})


def _attach(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@route_access(LAWYERS)
@require_http_methods(["GET"])
def my_entry(request: HttpRequest) -> HttpResponse:
    entry = (
        register_entries_visible_to(request.user)
        .filter(lawyer=request.user)
        .with_caseload()
        .first()
    )
    certified = entry.certified_on(timezone.localdate()) if entry else False
    return render(request, "registry/mine.html", {"entry": entry, "certified": certified})


@route_access(COORDINATORS)
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[transfer.RowError] = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = transfer.import_file(
                actor=request.user,
                name=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except transfer.FileRejected as rejected:
            errors = rejected.errors
        except ValidationError as error:  # changed by someone between check and write
            errors = [transfer.RowError(0, "", message) for message in error.messages]
    status = 400 if errors else 200
    return render(
        request,
        "registry/import.html",
        {"form": form, "errors": errors, "result": result},
        status=status,
    )


@route_access(COORDINATORS)
@require_http_methods(["GET"])
def register_export(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("format", "csv")
    if kind not in EXPORT_FORMATS:
        kind = "csv"
    entries = register_entries_visible_to(request.user).select_related("lawyer")
    name = f"register-{timezone.localdate().isoformat()}.{kind}"
    data = transfer.export(entries.order_by("licence_number"), name)
    audit(
        actor=request.user,
        action="register.export",
        target_type="registry.registerentry",
        changes={"format": [None, kind], "rows": [None, entries.count()]},
    )
    response = HttpResponse(data, content_type=EXPORT_FORMATS[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
