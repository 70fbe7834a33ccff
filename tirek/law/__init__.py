"""The law engine: law as dated content, and the legal analysis on top of it.

Plain Python with no Django import (a test fails if one appears), so that
the law can be read, checked and tested on its own, and reused by the
command line, the API and the pages alike.

    from tirek.law import analyse, facts_from_json, law_content, render
    facts = facts_from_json({"acts": ["recruitment"], ...}, law_content().vocabulary)
    answer = render(analyse(facts), "ky")
"""

from tirek.law.content import ContentError, law_content
from tirek.law.engine import analyse
from tirek.law.facts import Facts, FactsError, facts_from_json
from tirek.law.render import render

__all__ = [
    "ContentError",
    "Facts",
    "FactsError",
    "analyse",
    "facts_from_json",
    "law_content",
    "render",
]
