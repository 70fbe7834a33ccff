from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.core.widgets import DateInput
from tirek.evidence.models import CustodyKind, EvidenceKind, EvidenceStatus, Strength


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    from_victim = forms.BooleanField(
        label=_("This is the victim's own account"),
        required=False,
        help_text=_(
            "Their statement, diary or messages they wrote. Everything else corroborates "
            "their account independently."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    obtained_how = forms.CharField(label=_("How it was obtained"), max_length=500, required=False)
    obtained_on = forms.DateField(label=_("When it was obtained"), required=False, widget=DateInput)
    holder = forms.CharField(
        label=_("Who holds it now"),
        max_length=200,
        required=False,
        help_text=_("Never the victim's address."),
    )
    admissibility_notes = forms.CharField(
        label=_("Admissibility notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewItemForm(ItemForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=EvidenceStatus.choices, initial=EvidenceStatus.TO_OBTAIN
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EvidenceStatus.choices)
    on = forms.DateField(label=_("Since"), widget=DateInput)
    procedural_act = forms.CharField(
        label=_("Procedural act"),
        max_length=300,
        required=False,
        help_text=_("The motion, record or decision, with its date."),
    )


class LinkForm(forms.Form):
    element = forms.CharField(label=_("Element"), max_length=60)
    strength = forms.ChoiceField(label=_("Strength"), choices=Strength.choices)
    note = forms.CharField(label=_("Why"), max_length=500, required=False)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)


# What a person records by hand; uploads, views, exports and quarantine are
# recorded by Tirek itself.
MANUAL_CUSTODY = (
    CustodyKind.RECEIVED,
    CustodyKind.HANDED,
    CustodyKind.COPIED,
    CustodyKind.SUBMITTED,
    CustodyKind.RETURNED,
)


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(value, label) for value, label in CustodyKind.choices if value in MANUAL_CUSTODY],
    )
    counterpart = forms.CharField(label=_("From or to whom"), max_length=200, required=False)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
