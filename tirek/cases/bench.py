"""Benchmarks of the case pages and API (``tirek bench``), on data from volume.py."""

from tirek.core.benchmark import BenchCase


def _search_page(demo) -> str:
    return "/cases/"


def _search(text_record: str):
    return {"path": _search_page, "post": lambda demo: {"q": str(demo[text_record])}}


CASES = [
    BenchCase("case list (lawyer)", "user.lawyer", lambda demo: "/cases/"),
    BenchCase("case list (coordinator, country)", "user.coordinator", lambda demo: "/cases/"),
    BenchCase(
        "workspace (2,000+ events)",
        "user.lawyer",
        lambda demo: f"/cases/{demo['case.bench_long'].number}/",
    ),
    BenchCase(
        "search register no. (coordinator)",
        "user.coordinator",
        **_search("case.bench_register_number"),
    ),
    BenchCase(
        "search register no. (lawyer)", "user.lawyer", **_search("case.bench_register_number")
    ),
    BenchCase("search note text (lawyer)", "user.lawyer", **_search("case.bench_note_word")),
    BenchCase("search party name (lawyer)", "user.lawyer", **_search("case.bench_party_name")),
    BenchCase("calendar (lawyer)", "user.lawyer", lambda demo: "/cases/calendar/"),
    BenchCase("overdue (coordinator, country)", "user.coordinator", lambda demo: "/cases/overdue/"),
    BenchCase("API case list (coordinator)", "user.coordinator", lambda demo: "/api/v1/cases"),
    BenchCase(
        "API events (2,000+)",
        "user.lawyer",
        lambda demo: f"/api/v1/cases/{demo['case.bench_long'].number}/events",
    ),
]
