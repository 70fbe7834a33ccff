"""Pages of identification and referral. Thin: every fetch goes through
tirek.protection.access, every change through tirek.nrm.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.core.forms import attach_errors
from tirek.nrm import actions
from tirek.nrm.forms import AnswerForm, ChallengeForm, ReferralForm, StatusForm, WithdrawForm
from tirek.nrm.models import OPEN_REFERRAL_STATES, ReferralState
from tirek.people.models import CATEGORY_FIELDS, SharedCategory
from tirek.protection.access import person_for, referral_for, referrals_visible_to
from tirek.protection.policy import roles, route_access

CASEWORKERS = roles(Role.CASEWORKER)


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def status_record(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.status_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The decision on victim status has been recorded."))
            return redirect("people:detail", key=person.record_key)
    return render(
        request,
        "nrm/status_form.html",
        {"form": form, "person": person, "cancel_url": _person_url(person)},
    )


def _person_url(person) -> str:
    return reverse("people:detail", args=[person.record_key])


@route_access(CASEWORKERS)
@require_POST
def status_challenge(request: HttpRequest, key, decision_id: int) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    decision = person.status_decisions.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    form = ChallengeForm(request.POST)
    if form.is_valid():
        try:
            actions.status_challenge(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The challenge has been recorded."))
    else:
        messages.error(request, _("Enter the date the refusal was challenged."))
    return redirect("people:detail", key=person.record_key)


@route_access(CASEWORKERS)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, key) -> HttpResponse:
    person = person_for(request.user, key, change=True)
    providers = actions.providers_for("shelter", excluding=request.user.organisation)
    form = ReferralForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.referral_send(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The referral has been sent to %(organisation)s.")
                % {"organisation": referral.to_organisation},
            )
            return redirect("nrm:referral", pk=referral.pk)
    consents = list(
        person.consents.filter(purpose="sharing", withdrawn_on__isnull=True).select_related(
            "recipient"
        )
    )
    labels = dict(SharedCategory.choices)
    for consent in consents:
        consent.scope_labels = [labels.get(code, code) for code in consent.scope]
    return render(
        request,
        "nrm/referral_form.html",
        {"form": form, "person": person, "consents": consents},
    )


@route_access(CASEWORKERS)
@require_http_methods(["GET"])
def referral_list(request: HttpRequest) -> HttpResponse:
    referrals = referrals_visible_to(request.user).select_related(
        "from_organisation", "to_organisation"
    )
    organisation = request.user.organisation_id
    received = Paginator(referrals.filter(to_organisation_id=organisation), 50).get_page(
        request.GET.get("received")
    )
    sent = Paginator(referrals.filter(from_organisation_id=organisation), 50).get_page(
        request.GET.get("sent")
    )
    return render(
        request,
        "nrm/referral_list.html",
        {"received": received, "sent": sent, "now": timezone.now()},
    )


def _still_shared(referral) -> bool:
    """A provider reads the person through a referral only while it is open
    and the person's consent stands."""
    return referral.consent.withdrawn_on is None and referral.state in OPEN_REFERRAL_STATES


def _carried(referral) -> list[tuple[str, object]]:
    """The person's fields this referral may show its recipient: only what the
    consent named, and nothing once the consent is withdrawn."""
    if not _still_shared(referral):
        return []
    person = referral.person
    shown = []
    for category in referral.carries:
        for name in CATEGORY_FIELDS.get(category, ()):
            field = person._meta.get_field(name)
            value = person.get_sex_display() if name == "sex" else getattr(person, name)
            shown.append((field.verbose_name, value))
    return shown


@route_access(CASEWORKERS)
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for(request.user, pk)
    sender = referral.from_organisation_id == request.user.organisation_id
    carried = [] if sender else _carried(referral)
    shared = not sender and _still_shared(referral)
    situation = shared and "situation" in referral.carries
    if shared:
        # Every read by a provider, even of the message alone, is recorded.
        carried_fields = [
            name for category in referral.carries for name in CATEGORY_FIELDS.get(category, ())
        ]
        extra = ["message", "status_decision"] if situation else ["message"]
        audit(
            actor=request.user,
            action="referral.view",
            target=referral.person,
            fields=[*carried_fields, *extra],
        )
    allowed = () if sender else actions.answers_allowed(referral)
    # A legal aid referral is answered by acting on its request.
    if referral.service == "legal_aid":
        allowed = ()
    return render(
        request,
        "nrm/referral_detail.html",
        {
            "referral": referral,
            "sender": sender,
            "carried": carried,
            "status": actions.current_status(referral.person) if situation or sender else None,
            "show_message": sender or shared,
            "answer_form": AnswerForm(allowed=allowed) if allowed else None,
            "withdraw_form": WithdrawForm()
            if sender
            and referral.state
            in (ReferralState.SENT, ReferralState.ACKNOWLEDGED, ReferralState.ACCEPTED)
            and referral.service != "legal_aid"
            else None,
            "overdue": referral.state == ReferralState.SENT
            and referral.acknowledge_by < timezone.now(),
        },
    )


@route_access(CASEWORKERS)
@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for(request.user, pk, sender=False)
    form = AnswerForm(request.POST, allowed=actions.answers_allowed(referral))
    if referral.service != "legal_aid" and form.is_valid():
        try:
            actions.referral_answer(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your answer has been sent to the referring organisation."))
    else:
        messages.error(request, _("Choose an answer that is possible now."))
    return redirect("nrm:referral", pk=referral.pk)


@route_access(CASEWORKERS)
@require_POST
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for(request.user, pk, sender=True)
    form = WithdrawForm(request.POST)
    if referral.service != "legal_aid" and form.is_valid():
        try:
            actions.referral_withdraw(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The referral has been withdrawn."))
    else:
        messages.error(request, _("Say why the referral is withdrawn."))
    return redirect("nrm:referral", pk=referral.pk)
