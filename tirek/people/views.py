"""Pages about people. Every fetch goes through tirek.protection.access."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tirek.accounts.roles import Role
from tirek.accounts.sessions import require_recent_authentication
from tirek.audit.queries import events_for_target
from tirek.nrm.queries import person_nrm
from tirek.people import actions
from tirek.people.forms import (
    BreakGlassForm,
    ConsentForm,
    PersonForm,
    PersonSearchForm,
    ShareForm,
    WithdrawForm,
)
from tirek.people.models import Person
from tirek.protection.access import person_for, persons_visible_to, reads_through_break_glass
from tirek.protection.policy import roles, route_access

CASEWORKERS = roles(Role.CASEWORKER)
READERS = roles(Role.CASEWORKER, Role.ADMINISTRATOR)


@route_access(READERS)
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    # Searches are posted, never put in the address: names, numbers and dates
    # of birth would otherwise stay in browser history and proxy logs.
    people = persons_visible_to(request.user).select_related("organisation")
    search = PersonSearchForm(request.POST or None)
    if request.method == "POST" and search.is_valid():
        people = people.matching(
            **{name: value for name, value in search.cleaned_data.items() if value}
        )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"page": page, "search": search})


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.person_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person has been registered."))
            _warn_if_known_elsewhere(request, person)
            return redirect("people:detail", key=person.record_key)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@route_access(READERS)
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key)
    actions.person_viewed(actor=request.user, person=person)
    consents = person.consents.select_related("recipient", "taken_by")
    shares = person.shares.select_related("organisation", "consent")
    own = person.organisation_id == request.user.organisation_id
    received = shares.filter(organisation_id=request.user.organisation_id).first()
    # The registering organisation sees who opened and changed the record.
    history = (
        events_for_target("people.person", person.pk, page=request.GET.get("page"))
        if own and Role.CASEWORKER in request.user.roles
        else None
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "consents": consents,
            "shares": shares,
            "can_change": own and Role.CASEWORKER in request.user.roles,
            "received_share": received,
            "break_glass": reads_through_break_glass(request.user, person),
            "history": history,
            **person_nrm(person, request.user),
        },
    )


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    initial = {name: getattr(person, name) for name in (*Person.IDENTITY_FIELDS, "sex")}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person's record has been updated."))
            _warn_if_known_elsewhere(request, person)
            return redirect("people:detail", key=person.record_key)
    return render(request, "people/person_form.html", {"form": form, "person": person})


def _warn_if_known_elsewhere(request: HttpRequest, person: Person) -> None:
    # One bit, on purpose: not which organisation, nor anything of its record.
    # Probing for it takes a caseworker account and a real registration or
    # change, and is audited (tirek/nrm/duplicates.py).
    if getattr(person, "duplicate_signals", None):
        messages.warning(
            request,
            _(
                "This person may already be known to another organisation. Tirek does not "
                "show that record; a coordinator of the Legal Aid Service has been asked to "
                "put your organisations in touch."
            ),
        )


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("people:detail", key=person.record_key)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, key, consent_id: int) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    consent = person.consents.filter(pk=consent_id).first()
    if consent is None:
        return redirect("people:detail", key=person.record_key)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The withdrawal has been recorded. Nothing more will be shared.")
            )
            return redirect("people:detail", key=person.record_key)
    return render(
        request, "people/withdraw_form.html", {"form": form, "person": person, "consent": consent}
    )


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def person_share(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    form = ShareForm(request.POST or None, exclude_id=person.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_share(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person's record is now shared."))
            return redirect("people:detail", key=person.record_key)
    return render(request, "people/share_form.html", {"form": form, "person": person})


@route_access(roles(Role.ADMINISTRATOR))
@require_recent_authentication(minutes=5)
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Any existing, not erased person: the administrator cannot see them yet.
        person = Person.objects.current().filter(record_key=data["record_key"]).first()
        if person is None:
            form.add_error("record_key", _("No person has this record key."))
        else:
            try:
                actions.break_glass_open(actor=request.user, person=person, reason=data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access is open for 30 minutes. It is recorded, and the "
                        "Legal Aid Service has been told."
                    ),
                )
                return redirect("people:detail", key=person.record_key)
    return render(request, "people/break_glass.html", {"form": form})
