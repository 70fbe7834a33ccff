from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Organisation
from tirek.core.widgets import DateInput
from tirek.people.models import ConsentPurpose, Sex, SharedCategory, SpokenLanguage


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNDISCLOSED)
    document_number = forms.CharField(
        label=_("Identity or passport number"), max_length=60, required=False
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Home address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    whereabouts = forms.CharField(
        label=_("Where the person is now"),
        max_length=300,
        required=False,
        help_text=_("Shelter, city or other place. Never share it with anyone without need."),
    )


class PersonSearchForm(forms.Form):
    full_name = forms.CharField(label=_("Full name, exactly"), max_length=300, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("full_name", "document_number", "birth_date")):
            raise forms.ValidationError(_("Fill in at least one field to search."))
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Organisation to share with"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for sharing: the one organisation the person agreed to."),
    )
    scope = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=SharedCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for sharing: tick only what the person agreed to."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput, initial=timezone.localdate)
    explained_in = forms.ChoiceField(
        label=_("Explained in the language"), choices=SpokenLanguage.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Organisation.objects.active()


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=DateInput, initial=timezone.localdate
    )


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Share with"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, exclude_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().exclude(pk=exclude_id)


class BreakGlassForm(forms.Form):
    record_key = forms.UUIDField(
        label=_("Record key of the person"),
        help_text=_("The key the person's caseworker gave you, for example in a support request."),
    )
    reason = forms.CharField(
        label=_("Why you need access"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Do not write the person's name: the reason is e-mailed to the coordinators "
            "and kept in the audit trail."
        ),
    )
