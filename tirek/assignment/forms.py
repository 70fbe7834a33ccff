from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.regions import Region
from tirek.assignment.models import Basis, GenderPreference
from tirek.cases.models import LawyerRole
from tirek.people.models import SpokenLanguage


class RequestForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region where the person needs the lawyer"), choices=Region.choices
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the person speaks"),
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    gender_preference = forms.ChoiceField(
        label=_("The person asked for a lawyer who is"),
        choices=GenderPreference.choices,
        required=False,
    )
    lawyer_role = forms.ChoiceField(
        label=_("The lawyer will act as"),
        choices=LawyerRole.choices,
        initial=LawyerRole.VICTIM_REPRESENTATIVE,
    )
    basis = forms.ChoiceField(
        label=_("Basis of entitlement"), choices=Basis.choices, widget=forms.RadioSelect
    )
    basis_reference = forms.CharField(
        label=_("Reference of the basis"),
        max_length=120,
        required=False,
        help_text=_("For the legal aid law: the category or document that shows it."),
    )
    criminal_case_number = forms.CharField(
        label=_("Number of the criminal case, if known"), max_length=60, required=False
    )
    summary = forms.CharField(
        label=_("What the person needs help with"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The lawyer reads this before accepting. Do not write the person's name or "
            "whereabouts here."
        ),
    )


class ChooseForm(forms.Form):
    lawyer = forms.TypedChoiceField(
        label=_("Lawyer"), coerce=int, widget=forms.RadioSelect, choices=()
    )
    override_reason = forms.CharField(
        label=_("Why not the first in the ranking"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only when you choose someone other than the first. Do not write the "
            "person's name."
        ),
    )

    def __init__(self, *args, ranked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].choices = [
            (item.candidate.lawyer_id, item.candidate.label) for item in ranked if item.eligible
        ]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the request is withdrawn"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Do not write the person's name."),
    )
