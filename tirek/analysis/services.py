"""The one path from facts to an answer, shared by the API, the page and the
command line, so that the same facts give the same answer everywhere."""

from typing import Any

from django.utils import translation

from tirek.law import analyse, facts_from_json, law_content, render
from tirek.law.model import LANGUAGES, Lang


def current_language() -> Lang:
    code = (translation.get_language() or "")[:2]
    for lang in LANGUAGES:
        if lang == code:
            return lang
    return LANGUAGES[0]


def analysis_answer(data: dict[str, Any], lang: Lang | None = None) -> dict[str, Any]:
    """``data`` is already validated (by a form or a serializer)."""
    facts = facts_from_json(data, law_content().vocabulary)
    return render(analyse(facts), lang or current_language())
