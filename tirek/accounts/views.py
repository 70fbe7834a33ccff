"""Sign-in and account pages, and the administrators' users and organisations."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tirek.accounts import actions, queries, second_factor
from tirek.accounts.forms import (
    LoginForm,
    OrganisationForm,
    ProfileForm,
    ReauthenticateForm,
    RecoveryCodeForm,
    TotpCodeForm,
    UserForm,
)
from tirek.accounts.models import Organisation
from tirek.accounts.regions import Region
from tirek.accounts.roles import OrganisationKind, Role
from tirek.accounts.sessions import (
    complete_sign_in,
    recently_authenticated,
    require_recent_authentication,
    safe_next,
)
from tirek.core.views import set_language_cookie
from tirek.protection.policy import (
    PUBLIC,
    SIGNED_IN,
    SIGNED_IN_UNVERIFIED,
    roles,
    route_access,
    second_factor_passed,
)

ADMINISTRATORS = roles(Role.ADMINISTRATOR)


# --- Signing in and out ------------------------------------------------------


class LoginView(auth_views.LoginView):
    route_access = PUBLIC
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            set_language_cookie(response, language)
        return response

    def get_success_url(self) -> str:
        # The password is half of signing in; the second factor comes next.
        return _with_next("accounts:second-factor", super().get_success_url())


class LogoutView(auth_views.LogoutView):
    route_access = PUBLIC  # signing out must work even for a half-expired session


class PasswordChangeView(auth_views.PasswordChangeView):
    route_access = SIGNED_IN
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.api_tokens_revoke(user=form.user)  # a stolen token dies with the old password
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    route_access = SIGNED_IN
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address is known: no enumeration."""

    route_access = PUBLIC
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    route_access = PUBLIC
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    route_access = PUBLIC
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.api_tokens_revoke(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    route_access = PUBLIC
    template_name = "accounts/password_reset_complete.html"


def _with_next(route: str, next_url: str) -> str:
    return f"{reverse(route)}?next={quote(next_url)}"


# --- Second factor -------------------------------------------------------------

STEP_UP_MINUTES = 5


def _wrong_code(*, recovery: bool) -> str:
    if recovery:
        return _("This recovery code is not right, or it has been used already.")
    return _(
        "This code is not right, or it has been used already. Type the code the app "
        "shows now; if it keeps failing, check that your phone's clock is correct."
    )


@route_access(SIGNED_IN_UNVERIFIED)
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, or one recovery code."""
    user = request.user
    next_url = safe_next(request)
    if second_factor_passed(user):
        return redirect(next_url)
    if not second_factor.has_confirmed_device(user):
        return redirect(_with_next("accounts:second-factor-enrol", next_url))
    recovery = request.GET.get("use") == "recovery"
    form = (RecoveryCodeForm if recovery else TotpCodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor.recovery_code_use if recovery else second_factor.totp_check
        try:
            device = check(user=user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorThrottled as throttled:
            form.add_error("code", second_factor.throttled_message(throttled.seconds))
        else:
            if device is None:
                form.add_error("code", _wrong_code(recovery=recovery))
            else:
                complete_sign_in(request, device)
                if recovery:
                    _warn_recovery_code_used(request, user)
                return redirect(next_url)
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "recovery": recovery, "next": next_url},
    )


def _warn_recovery_code_used(request: HttpRequest, user) -> None:
    left = second_factor.recovery_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "You signed in with a recovery code; %(count)d is left. If you lost your "
            "phone, set up a new authenticator app and make new recovery codes now.",
            "You signed in with a recovery code; %(count)d are left. If you lost your "
            "phone, set up a new authenticator app and make new recovery codes now.",
            left,
        )
        % {"count": left},
    )


@route_access(SIGNED_IN_UNVERIFIED)
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan, confirm with a code, save recovery codes.

    A first device needs only the password (the account has no second factor
    yet). Replacing a device needs a verified session and a recent
    re-authentication: a stolen password alone must never add a device.
    """
    user = request.user
    next_url = safe_next(request)
    replacing = second_factor.has_confirmed_device(user)
    if replacing and not second_factor_passed(user):
        return redirect(_with_next("accounts:second-factor", next_url))
    if replacing and not recently_authenticated(request, minutes=STEP_UP_MINUTES):
        return redirect(_with_next("accounts:reauthenticate", request.get_full_path()))
    device = second_factor.totp_enrolment_start(user=user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.totp_enrolment_confirm(
                device=device, code=form.cleaned_data["code"]
            )
        except second_factor.SecondFactorThrottled as throttled:
            form.add_error("code", second_factor.throttled_message(throttled.seconds))
        else:
            if codes is None:
                form.add_error("code", _wrong_code(recovery=False))
            else:
                complete_sign_in(request, device)
                # Shown in this response only: never stored, never redirected.
                return render(
                    request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
                )
    uri = second_factor.device_otpauth_uri(device)
    qr_code = second_factor.qr_code_svg(uri, title=_("QR code for your authenticator app to scan"))
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "replacing": replacing,
            "otpauth_uri": uri,
            "secret": second_factor.grouped(device.secret),
            # segno's own markup: an <svg> of paths, no script, no style attribute.
            "qr_code": mark_safe(qr_code),  # noqa: S308
        },
    )


@route_access(SIGNED_IN)
@require_recent_authentication(minutes=STEP_UP_MINUTES)
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make a new set of recovery codes (the old ones stop working)."""
    if request.method == "POST":
        codes = second_factor.recovery_codes_regenerate(user=request.user)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": reverse("accounts:profile")},
        )
    return render(
        request,
        "accounts/recovery_codes_regenerate.html",
        {"left": second_factor.recovery_codes_left(request.user)},
    )


@route_access(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm it is still you (password and code) before a sensitive action.

    Wrong passwords count towards the sign-in lockout; wrong codes towards
    the device's throttle.
    """
    next_url = safe_next(request, fallback="accounts:profile")
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        confirmed = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if confirmed is None or confirmed.pk != user.pk:
            form.add_error("password", _("The password is not right."))
        else:
            try:
                device = second_factor.totp_check(user=user, code=form.cleaned_data["code"])
            except second_factor.SecondFactorThrottled as throttled:
                form.add_error("code", second_factor.throttled_message(throttled.seconds))
            else:
                if device is None:
                    form.add_error("code", _wrong_code(recovery=False))
                else:
                    complete_sign_in(request, device)
                    return redirect(next_url)
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


# --- Own account -----------------------------------------------------------------


@route_access(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your account has been updated."))
            response = redirect("accounts:profile")
            if user.preferred_language:
                set_language_cookie(response, user.preferred_language)
            return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "recovery_codes_left": second_factor.recovery_codes_left(user)},
    )


# --- Administration: users ---------------------------------------------------


def _page(request: HttpRequest, items):
    return Paginator(items, 50).get_page(request.GET.get("page"))


@route_access(ADMINISTRATORS)
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "role": request.GET.get("role", "") if request.GET.get("role") in Role.values else "",
    }
    page = _page(request, queries.users_for_administration(**filters))
    template = "accounts/user_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, {"page": page, "filters": filters, "roles": Role.choices})


@route_access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(user)s has been added and will receive an e-mail to choose a password.")
                % {"user": user},
            )
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": None})


@route_access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = queries.user_by_id(pk)
    if user is None:
        raise Http404
    form = UserForm(
        request.POST or None,
        editing=user,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "organisation": user.organisation_id,
            "roles": sorted(user.roles),
            "preferred_language": user.preferred_language,
            "is_active": user.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(user)s has been updated.") % {"user": user})
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": user})


# --- Administration: organisations -------------------------------------------


@route_access(ADMINISTRATORS)
@require_http_methods(["GET"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "kind": kind if kind in OrganisationKind.values else "",
        "region": region if region in Region.values else "",
    }
    page = _page(request, queries.organisations_for_administration(**filters))
    template = "accounts/organisation_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "kinds": OrganisationKind.choices,
            "regions": Region.choices,
        },
    )


@route_access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": organisation})
            return redirect("accounts:organisation-list")
    return render(request, "accounts/organisation_form.html", {"form": form, "editing": None})


@route_access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    form = OrganisationForm(
        request.POST or None,
        editing=organisation,
        initial={
            "name": organisation.name,
            "kind": organisation.kind,
            "region": organisation.region,
            "parent": organisation.parent_id,
            "is_active": organisation.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": organisation})
            return redirect("accounts:organisation-list")
    return render(
        request, "accounts/organisation_form.html", {"form": form, "editing": organisation}
    )
