"""Showing law content (three-language texts, sources) in the interface language."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localised(text) -> str:
    language = (get_language() or "en")[:2]
    if hasattr(text, "in_"):
        return text.in_(language if language in ("ky", "ru", "en") else "en")
    return str(text or "")


@register.filter
def citations(sources) -> str:
    return "; ".join(getattr(source, "citation", str(source)) for source in sources or ())
