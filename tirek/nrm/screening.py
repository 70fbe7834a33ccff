"""Screening a person: the situation, the indicators observed, the facts as codes,
and the law engine's recommendation — which a person weighs, never a decision.

The rule that turns an analysis and indicators into a recommendation lives in
tirek/law/screening.py; this module validates, stores and audits.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.analysis.forms import AnalysisForm, DateInput
from tirek.analysis.services import current_language
from tirek.audit.log import audit
from tirek.law import analyse, facts_from_json, law_content, render
from tirek.law.facts import INPUT_KEYS, Facts, FactsError, facts_to_json
from tirek.law.model import Lang
from tirek.law.render import render_advice, render_indicator_hints
from tirek.law.result import Analysis
from tirek.law.screening import Advice, observed_indicators, recommend
from tirek.nrm.models import Recommendation, Screening
from tirek.people.models import Person

# Longer than any account of a meeting; short enough that nobody pastes documents.
SITUATION_MAX_LENGTH = 10_000


@transaction.atomic
def screening_record(
    *,
    actor: Any,
    person: Person,
    screened_on: datetime.date,
    facts: dict[str, Any],
    indicators: list[str],
    situation: str,
) -> Screening:
    """Record a screening and the recommendation the engine gives for it.

    1. Check the date, the facts and the indicators; every problem is a
       ``ValidationError`` on the field a form shows it under.
    2. Analyse the facts and recommend (tirek.law.screening.recommend).
    3. Save the facts as the engine understood them, the indicators in content
       order, and the situation (encrypted at rest).
    4. Audit the recommendation only: never identity, never the situation.
    """
    if person.organisation_id != actor.organisation_id:
        # Views fetch the person with person_for(..., change=True); this is the backstop.
        raise ValueError("only the registering organisation's caseworkers screen a person")
    errors: dict[str, list[str]] = {}
    if screened_on > timezone.localdate():
        errors["screened_on"] = [_("A screening cannot be dated in the future.")]
    parsed: Facts | None = None
    try:
        parsed = facts_of(facts)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        observed = observed_indicators(indicators)
    except ValueError:
        errors["indicators"] = [_("Tick only the indicators listed.")]
    if errors or parsed is None:
        raise ValidationError(errors)
    law = law_content()
    advice = recommend(analyse(parsed, law), frozenset(observed), law)
    screening = Screening.objects.create(
        person=person,
        screened_on=screened_on,
        screened_by=actor,
        organisation=actor.organisation,
        facts=_without_birth_date(facts_to_json(parsed, law.vocabulary), parsed, screened_on),
        indicators=list(observed),
        recommendation=advice.code,
        situation=situation.strip(),
    )
    audit(
        actor=actor,
        action="screening.record",
        target=person,
        changes={"recommendation": [None, advice.code]},
    )
    return screening


def _without_birth_date(stored: dict[str, Any], facts: Facts, screened_on) -> dict[str, Any]:
    """The facts are kept in the clear (for statistics and re-analysis), so
    the date of birth — identity — is replaced by the age it gives: at the
    offence if its date is known, else at the screening."""
    born = facts.victim_birth_date
    stored = dict(stored)
    stored.pop("victim_birth_date", None)
    if born is not None and facts.victim_age is None:
        day = facts.offence_date or screened_on
        stored["victim_age"] = (
            day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        )
    return stored


def facts_of(data: dict[str, Any]) -> Facts:
    """The engine's facts, or a ``ValidationError`` on the field at fault (in the
    reader's language: the engine's own messages are English, for the command line)."""
    try:
        return facts_from_json(data, law_content().vocabulary)
    except FactsError as error:
        field = error.key if error.key in INPUT_KEYS else NON_FIELD_ERRORS
        if error.code == "birth_after_offence":
            message = _("The date of birth is after the offence date.")
        elif error.key is None:
            message = _("The facts cannot be read. Check them and try again.")
        else:
            message = _("This value cannot be read. Check it and try again.")
        raise ValidationError({field: [message]}, code=error.code) from error


def screening_advice(*, facts: dict[str, Any], indicators: list[str]) -> tuple[Analysis, Advice]:
    """The analysis and the recommendation, without saving anything (the preview)."""
    law = law_content()
    analysis = analyse(facts_of(facts), law)
    try:
        advice = recommend(analysis, frozenset(indicators), law)
    except ValueError as error:
        raise ValidationError({"indicators": [_("Tick only the indicators listed.")]}) from error
    return analysis, advice


def screening_preview(
    *, facts: dict[str, Any], indicators: list[str], lang: Lang | None = None
) -> dict[str, Any]:
    """What the page shows beside the form: ``analysis`` and ``advice``, rendered."""
    analysis, advice = screening_advice(facts=facts, indicators=indicators)
    lang = lang or current_language()
    return {
        "analysis": render(analysis, lang),
        "advice": render_advice(advice, lang),
        "label": Recommendation(advice.code).label,
    }


def screenings_of(person: Person):
    """A person's screenings for ``nrm/_screenings.html``, newest first, in one query."""
    return person.screenings.select_related("screened_by", "organisation")


def indicator_labels(ids: list[str], lang: Lang | None = None) -> list[str]:
    """The labels of stored indicator ids; an id the content no longer has shows as itself."""
    lang = lang or current_language()
    labels = {
        indicator.id: indicator.label.in_(lang)
        for indicator_set in law_content().indicator_sets
        for indicator in indicator_set.indicators
    }
    return [labels.get(i, i) for i in ids]


# --- The form ------------------------------------------------------------------


class ScreeningForm(AnalysisForm):
    """The facts of the analysis page, plus the date, the indicators and the situation."""

    screened_on = forms.DateField(
        label=gettext_lazy("Date of the screening"),
        widget=DateInput(format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    situation = forms.CharField(
        label=gettext_lazy("The situation in your words"),
        help_text=gettext_lazy("What you saw and heard. Never copy documents here."),
        required=False,
        max_length=SITUATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.fields["indicators"] = forms.MultipleChoiceField(
            label=gettext_lazy("Indicators observed"),
            required=False,
            choices=[
                (indicator.id, indicator.label.in_(lang))
                for indicator_set in law_content().indicator_sets
                for indicator in indicator_set.indicators
            ],
            widget=forms.CheckboxSelectMultiple,
        )

    def clean_screened_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["screened_on"]
        if day > timezone.localdate():
            raise ValidationError(_("A screening cannot be dated in the future."))
        return day

    def indicator_groups(self) -> list[dict[str, Any]]:
        """Each indicator set with its title, status and checkboxes, and for each
        indicator the facts it often points to — a suggestion, never ticked for you."""
        lang = current_language()
        hints = render_indicator_hints(lang)
        options = {option.data["value"]: option for option in self["indicators"]}
        return [
            {
                "id": indicator_set.id,
                "title": indicator_set.title.in_(lang),
                "summary": indicator_set.summary.in_(lang),
                "verification": indicator_set.verification.status,
                "options": [
                    {"checkbox": options[indicator.id], "hint": hints.get(indicator.id, "")}
                    for indicator in indicator_set.indicators
                ],
            }
            for indicator_set in law_content().indicator_sets
        ]

    def screening_values(self) -> dict[str, Any]:
        """The keyword arguments of ``screening_record`` (after ``is_valid()``)."""
        return {
            "screened_on": self.cleaned_data["screened_on"],
            "facts": self.as_facts_json(),
            "indicators": list(self.cleaned_data.get("indicators") or []),
            "situation": self.cleaned_data.get("situation") or "",
        }
