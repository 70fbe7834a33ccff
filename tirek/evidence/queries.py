"""Reads of a case's evidence."""

from django.db.models import Count, Prefetch

from tirek.evidence.models import ElementLink, EvidenceItem


def items_of(case) -> list[EvidenceItem]:
    """The case's items with their links and file counts: three queries."""
    return list(
        EvidenceItem.objects.filter(case=case)
        .annotate(file_count=Count("files"))
        .prefetch_related(Prefetch("links", queryset=ElementLink.objects.order_by("element")))
        .order_by("number")
    )


def element_choices(case) -> list[tuple[str, str]]:
    """The elements and circumstances of the provision charged in the case,
    as (code, label) in the user's language (tirek/law/matrix.py)."""
    from tirek.analysis.services import current_language
    from tirek.evidence.matrix_views import _element_choices, case_matrix

    return _element_choices(case_matrix(case, lang=current_language()))
