from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation, User
from tirek.accounts.regions import Region
from tirek.accounts.roles import OrganisationKind, Role

LANGUAGE_CHOICES = [("", _("Use the browser's language")), *settings.LANGUAGES]


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not right. Both are case-sensitive. "
            "After several failed attempts, signing in is paused for a while."
        ),
        "inactive": _("This account is deactivated. Ask your administrator."),
    }


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Whole country")), *Region.choices],
        required=False,
    )
    parent = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No parent organisation"),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.active()
        if editing is not None:
            parents = parents.exclude(pk=editing.pk)
        else:
            del self.fields["is_active"]
        self.fields["parent"].queryset = parents


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. It cannot be changed later."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()
        if editing is None:
            del self.fields["is_active"]
        else:
            del self.fields["username"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User.username_validator(username)
        return username


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, required=False
    )


# --- Second factor -------------------------------------------------------------


def _code_input() -> forms.TextInput:
    # Phones offer the code from an SMS or the app, and a digit keypad.
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "autocapitalize": "off",
            "spellcheck": "false",
        }
    )


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. The app shows a new code every 30 seconds."),
        max_length=12,
        widget=_code_input(),
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the ten codes you saved when you set up your authenticator app."),
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. The app shows a new code every 30 seconds."),
        max_length=12,
        widget=_code_input(),
    )
