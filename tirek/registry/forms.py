from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.regions import Region
from tirek.core.widgets import DateInput
from tirek.people.models import SpokenLanguage
from tirek.registry.actions import MAX_CAPACITY, EntryValues
from tirek.registry.models import Availability, Gender, Specialisation
from tirek.registry.transfer import max_bytes


def _blank(choices, label):
    return [("", label), *choices]


class FilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"), choices=_blank(Region.choices, _("All")), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_blank(SpokenLanguage.choices, _("All")), required=False
    )
    certified = forms.ChoiceField(
        label=_("TIP certificate in force"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=_blank(Availability.choices, _("All")),
        required=False,
    )


class EntryForm(forms.Form):
    licence_number = forms.CharField(label=_("Licence number"), max_length=40)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    districts = forms.CharField(
        label=_("Districts served"),
        required=False,
        help_text=_("Separate districts with “;”."),
        max_length=1000,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=SpokenLanguage.choices, widget=forms.CheckboxSelectMultiple
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=_blank(Gender.choices, _("Not stated")), required=False
    )
    specialisations = forms.MultipleChoiceField(
        label=_("Specialisations"),
        choices=Specialisation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tip_certified_on = forms.DateField(
        label=_("TIP certificate issued"), required=False, widget=DateInput
    )
    tip_certificate_expires_on = forms.DateField(
        label=_("TIP certificate expires"), required=False, widget=DateInput
    )
    capacity = forms.IntegerField(
        label=_("Capacity (open cases at most)"), min_value=0, max_value=MAX_CAPACITY
    )
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)
    on_leave_until = forms.DateField(label=_("On leave until"), required=False, widget=DateInput)
    availability_reason = forms.CharField(
        label=_("Reason (suspension or exclusion)"),
        required=False,
        max_length=300,
        help_text=_("Do not write any client's name here."),
    )
    availability_changed_on = forms.DateField(
        label=_("Date of suspension or exclusion"), required=False, widget=DateInput
    )

    @classmethod
    def initial_of(cls, entry) -> dict:
        values = EntryValues.of(entry).stored()
        values["districts"] = "; ".join(values["districts"])
        return values

    def values(self) -> EntryValues:
        data = dict(self.cleaned_data)
        data["districts"] = tuple(
            part.strip() for part in data["districts"].split(";") if part.strip()
        )
        data["languages"] = tuple(data["languages"])
        data["specialisations"] = tuple(data["specialisations"])
        return EntryValues(**data)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The columns are described in the README: “Register of lawyers”."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run): write nothing"), required=False, initial=True
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Split it into smaller files.")
                % {"size": max_bytes() // (1024 * 1024)}
            )
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Give a .csv or .xlsx file."))
        return file
