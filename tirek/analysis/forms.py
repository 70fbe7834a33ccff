from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.analysis.services import current_language
from tirek.core.widgets import DateInput
from tirek.law import law_content
from tirek.law.facts import OLDEST_AGE
from tirek.law.model import CATEGORIES, Category

CONSENT_CHOICES = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]
CATEGORY_LABELS = {
    "acts": _("Acts"),
    "means": _("Means"),
    "purposes": _("Purposes"),
    "circumstances": _("Circumstances"),
}


class AnalysisForm(forms.Form):
    """The facts a person ticks; the same keys as ``tirek analyze`` reads."""

    offence_date = forms.DateField(
        label=_("Date of the offence"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    victim_age = forms.IntegerField(
        label=_("Victim's age at the time of the offence"),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
    )
    victim_birth_date = forms.DateField(
        label=_("Victim's date of birth"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    victim_consented = forms.ChoiceField(
        label=_("Did the victim consent?"),
        choices=CONSENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary = law_content().vocabulary
        lang = current_language()
        for category in CATEGORIES:
            self.fields[category] = forms.MultipleChoiceField(
                label=CATEGORY_LABELS[category],
                required=False,
                choices=[(t.code, t.label.in_(lang)) for t in vocabulary.terms(category)],
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born, offence = cleaned.get("victim_birth_date"), cleaned.get("offence_date")
        if born and offence and born > offence:
            self.add_error("victim_birth_date", _("The date of birth is after the offence date."))
        return cleaned

    def category_fields(self) -> list[forms.BoundField]:
        return [self[category] for category in CATEGORIES]

    def as_facts_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        consent = {"yes": True, "no": False}.get(data.get("victim_consented") or "")
        facts: dict[str, Any] = {
            "offence_date": _iso(data.get("offence_date")),
            "victim_age": data.get("victim_age"),
            "victim_birth_date": _iso(data.get("victim_birth_date")),
            "victim_consented": consent,
        }
        category: Category
        for category in CATEGORIES:
            facts[category] = list(data.get(category) or [])
        return facts


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()
