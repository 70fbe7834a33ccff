from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.widgets import DateInput
from tirek.nrm.models import ReferralState, Service, StatusOutcome


class StatusForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=StatusOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"), widget=DateInput, initial=timezone.localdate
    )
    authority = forms.CharField(label=_("Body that decided"), max_length=200)
    decision_maker = forms.CharField(label=_("Decision-maker (name and position)"), max_length=200)
    document_number = forms.CharField(label=_("Number of the document issued"), max_length=80)
    grounds = forms.CharField(
        label=_("Grounds"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As the decision states them, in short."),
    )
    challenge_until = forms.DateField(
        label=_("A refusal can be challenged until"),
        widget=DateInput,
        required=False,
        help_text=_("Only for a refusal, if the decision or the law gives a date."),
    )


class ChallengeForm(forms.Form):
    challenged_on = forms.DateField(
        label=_("Challenged on"), widget=DateInput, initial=timezone.localdate
    )


HOURS = [(4, _("4 hours")), (24, _("1 day")), (48, _("2 days")), (72, _("3 days"))]


class ReferralForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"),
        choices=[(value, label) for value, label in Service.choices if value != Service.LEGAL_AID],
    )
    to_organisation = forms.ModelChoiceField(label=_("Provider"), queryset=None)
    acknowledge_within_hours = forms.TypedChoiceField(
        label=_("To be acknowledged within"),
        choices=[("", _("The usual time for the service")), *HOURS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Past this time the coordinator is told."),
    )
    message = forms.CharField(
        label=_("Message to the provider"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person needs from them. It travels with the referral."),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = providers


class AnswerForm(forms.Form):
    state = forms.ChoiceField(label=_("Answer"), choices=ReferralState.choices)
    text = forms.CharField(
        label=_("Reason or outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you decline or complete."),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (value, label) for value, label in ReferralState.choices if value in allowed
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the referral is withdrawn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
