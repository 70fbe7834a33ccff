"""The screening page: record what was observed, read the engine's explained
analysis and recommendation beside it, then save. Nothing is decided here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.nrm.screening import ScreeningForm, screening_preview, screening_record
from tirek.protection.access import person_for
from tirek.protection.policy import roles, route_access


@route_access(roles(Role.CASEWORKER))
@require_http_methods(["GET", "POST"])
def screening_create(request: HttpRequest, key) -> HttpResponse:
    # Only the registering organisation's caseworkers; 404 for anyone else.
    person = person_for(request.user, key, change=True)
    form = ScreeningForm(request.POST if request.method == "POST" else None)
    preview = None
    # Saving needs the "save" button; any other post (the preview button, htmx) only shows.
    if request.method == "POST" and form.is_valid():
        values = form.screening_values()
        if "save" in request.POST:
            try:
                screening_record(actor=request.user, person=person, **values)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "The screening has been recorded. Its recommendation is not a decision: "
                        "only the authorised body decides on victim status."
                    ),
                )
                return redirect("people:detail", key=person.record_key)
        else:
            try:
                preview = screening_preview(facts=values["facts"], indicators=values["indicators"])
            except ValidationError as error:
                form.add_error(None, error)
    # Errors answer 200 like the other forms, so that htmx swaps them in.
    return render(
        request,
        "nrm/screening_form.html",
        {"form": form, "person": person, "preview": preview},
    )
