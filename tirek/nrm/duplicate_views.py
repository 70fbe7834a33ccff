"""Coordinators' pages for possible duplicates: two organisations, never a person."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.nrm import duplicates
from tirek.protection.access import duplicate_signal_for, duplicate_signals_visible_to
from tirek.protection.policy import roles, route_access

COORDINATORS = roles(Role.COORDINATOR)

# Only what the page shows: the organisations, never a person's columns
# (not even ciphertext, not even the record key).
LIST_COLUMNS = (
    "matched_on",
    "signalled_at",
    "introduced_at",
    "introduced_by__username",
    "introduced_by__first_name",
    "introduced_by__last_name",
    *(
        f"{side}__organisation__{column}"
        for side in ("person", "known_as")
        for column in ("name", "kind", "region")
    ),
)


class IntroduceForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A note for both organisations (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Never write a person's name or details here."),
    )


@route_access(COORDINATORS)
@require_http_methods(["GET"])
def duplicate_list(request: HttpRequest) -> HttpResponse:
    signals = (
        duplicate_signals_visible_to(request.user)
        .select_related("person__organisation", "known_as__organisation", "introduced_by")
        .only(*LIST_COLUMNS)
    )
    page = Paginator(signals, 50).get_page(request.GET.get("page"))
    return render(request, "nrm/duplicates.html", {"page": page, "form": IntroduceForm()})


@route_access(COORDINATORS)
@require_http_methods(["POST"])
def duplicate_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    signal = duplicate_signal_for(request.user, pk)
    form = IntroduceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long: keep it under 500 characters."))
        return redirect("nrm:duplicates")
    try:
        duplicates.duplicate_introduce(
            actor=request.user, signal=signal, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Both organisations' caseworkers have been e-mailed each other's addresses.")
        )
    return redirect("nrm:duplicates")
