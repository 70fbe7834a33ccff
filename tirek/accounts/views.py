"""Sign-in and account pages, and the administrators' users and organisations."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tirek.accounts import actions, queries
from tirek.accounts.forms import LoginForm, OrganisationForm, ProfileForm, UserForm
from tirek.accounts.models import Organisation
from tirek.accounts.regions import Region
from tirek.accounts.roles import OrganisationKind, Role
from tirek.core.views import set_language_cookie
from tirek.protection.policy import PUBLIC, SIGNED_IN, roles, route_access

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


class LogoutView(auth_views.LogoutView):
    route_access = PUBLIC  # signing out must work even for a half-expired session


class PasswordChangeView(auth_views.PasswordChangeView):
    route_access = SIGNED_IN
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")


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


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    route_access = PUBLIC
    template_name = "accounts/password_reset_complete.html"


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
    return render(request, "accounts/profile.html", {"form": form})


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
