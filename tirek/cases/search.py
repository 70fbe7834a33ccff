"""Search across the cases a user may see.

Note text is searched with the database's own full-text engine: SQLite FTS5
in the embedded default, PostgreSQL full-text search (``simple``
configuration: the notes mix Kyrgyz, Russian and English, and no stemmer
fits all three) in production. Register numbers and articles are matched as
text, parties only exactly, through their blind indexes. Every branch starts
from ``cases_visible_to``, and notes only from the cases whose lawyer is
asking: a coordinator's search never touches privileged work product.
"""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from tirek.cases.models import CaseNote, CriminalCase, Party
from tirek.protection.access import cases_visible_to

WORD = re.compile(r"\w+", re.UNICODE)


def index_note(note: CaseNote) -> None:
    """Keep the full-text index in step with a note (SQLite; PostgreSQL indexes itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_note_fts WHERE rowid = %s", [note.pk])
        cursor.execute(
            "INSERT INTO cases_note_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [note.pk, note.title, note.body],
        )


def _fts_query(text: str) -> str:
    """Words as prefix terms, quoted: user input never becomes FTS syntax."""
    words = WORD.findall(text)[:12]
    return " ".join(f'"{word}"*' for word in words)


def matching_note_case_ids(user, text: str) -> QuerySet:
    own_cases = cases_visible_to(user).filter(lawyer=user)
    notes = CaseNote.objects.filter(case__in=own_cases)
    if not WORD.search(text):
        return notes.none().values("case_id")
    if connection.vendor == "sqlite":
        # A sub-select, not a capped list of ids: a common word matches
        # thousands of other lawyers' notes, which would crowd out this
        # lawyer's own under a LIMIT.
        matches = RawSQL(
            "SELECT rowid FROM cases_note_fts WHERE cases_note_fts MATCH %s", [_fts_query(text)]
        )
        return notes.filter(pk__in=matches).values("case_id")
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector("title", "body", config="simple")
    query = SearchQuery(
        " & ".join(f"{w}:*" for w in WORD.findall(text)[:12]), config="simple", search_type="raw"
    )
    return notes.annotate(search=vector).filter(search=query).values("case_id")


def search_cases(user, text: str, *, stage: str = "") -> QuerySet:
    text = text.strip()[:200]
    cases = cases_visible_to(user)
    if stage:
        cases = cases.filter(stage=stage)
    if not text:
        return cases.none() if not stage else cases
    # Every branch a sub-select or an indexed column, so the database can
    # answer each from its index and merge them (SQLite: MULTI-INDEX OR);
    # one join-and-compare branch would make it scan every visible case.
    criminal = CriminalCase.objects.filter(
        Q(register_number__icontains=text) | Q(charge_codes__icontains=text)
    ).values("pk")
    found = Q(criminal_case__in=criminal) | Q(number=text.upper())
    found |= Q(pk__in=matching_note_case_ids(user, text))
    parties = Party.objects.matching(full_name=text).values("criminal_case_id")
    found |= Q(criminal_case__in=parties, lawyer=user)
    return cases.filter(found)
