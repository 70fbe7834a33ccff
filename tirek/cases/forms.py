from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import User
from tirek.accounts.roles import Role
from tirek.cases.models import (
    ActionState,
    LawyerRole,
    LegalAidBasis,
    NoteKind,
    PartyRole,
    Safety,
)
from tirek.core.widgets import DateInput
from tirek.people.models import SpokenLanguage


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lawyer_role = forms.ChoiceField(label=_("The lawyer acts as"), choices=LawyerRole.choices)
    legal_aid_basis = forms.ChoiceField(
        label=_("Basis of legal aid"), choices=LegalAidBasis.choices
    )
    basis_reference = forms.CharField(
        label=_("Decision or status reference"), max_length=120, required=False
    )
    client_languages = forms.MultipleChoiceField(
        label=_("Languages the client speaks"),
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    safety = forms.ChoiceField(label=_("Client's safety"), choices=Safety.choices)
    safety_notes = forms.CharField(
        label=_("Safety notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriminalCaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    register_number = forms.CharField(label=_("Number in the Unified Register"), max_length=60)
    investigating_body = forms.CharField(
        label=_("Investigating body"), max_length=200, required=False
    )
    investigator = forms.CharField(label=_("Investigator"), max_length=200, required=False)
    prosecutor = forms.CharField(label=_("Prosecutor"), max_length=200, required=False)
    judge = forms.CharField(label=_("Judge"), max_length=200, required=False)
    charges = forms.CharField(
        label=_("Articles charged"),
        max_length=200,
        required=False,
        help_text=_("Article and part of the Criminal Code, e.g. 166.2, 167.1"),
    )
    offence_date = forms.DateField(label=_("Date of the offence"), required=False, widget=DateInput)
    offence_place = forms.CharField(label=_("Place of the offence"), max_length=200, required=False)

    def clean_charges(self) -> list[dict[str, str]]:
        text = self.cleaned_data["charges"]
        charges = []
        for item in filter(None, (part.strip() for part in text.replace(";", ",").split(","))):
            article, _dot, part = item.partition(".")
            if not article.isdigit() or (part and not part.isdigit()):
                raise forms.ValidationError(
                    _("Write each article as a number with an optional part, e.g. 166.2")
                )
            # The instrument is set from the offence date (actions.criminal_code_on).
            charges.append({"article": article, "part": part})
        return charges


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    document_number = forms.CharField(
        label=_("Identity or passport number"), max_length=60, required=False
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"))
    decision = forms.ChoiceField(label=_("Decision"), required=False)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=DateInput,
        help_text=_(
            "For a decision: the day you or the client received it. Deadlines count from it."
        ),
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)

    def __init__(self, *args, decisions=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["decision"].choices = [("", "—"), *decisions]


class ActionForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, max_length=60)
    state = forms.ChoiceField(label=_("Mark as"), choices=ActionState.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    postponed_until = forms.DateField(label=_("Postponed until"), required=False, widget=DateInput)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices, initial=NoteKind.NOTE)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All stages")), *stages]


class ClearConflictForm(forms.Form):
    register_number = forms.CharField(label=_("Number in the Unified Register"), max_length=60)
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Why the conflict does not bar this lawyer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = User.objects.filter(
            is_active=True, role_grants__role=Role.LAWYER
        ).order_by("last_name")
