"""Template filters for screenings: indicator ids shown as labels in the reader's language."""

from django import template

from tirek.nrm import screening

register = template.Library()


@register.filter
def indicator_labels(ids: list[str]) -> list[str]:
    return screening.indicator_labels(list(ids or []))
