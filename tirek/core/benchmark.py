"""Server-time benchmarks of Tirek's pages on generated national-scale data.

An app contributes cases with a ``bench`` module holding ``CASES``: a list of
``BenchCase(name, persona, path)`` where ``persona`` names a demo record (a
user) and ``path`` builds the URL from the demo records. It may also hold
``MEASUREMENTS``: functions run after the page timings for other figures
(the memory bound of an evidence upload, for example). ``tirek bench``
generates the volume, then requests each page repeatedly in-process (no
network: this measures Tirek and its database, not the proxy) and reports
the median and 95th percentile.
"""

import importlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class BenchCase:
    name: str
    persona: str
    path: Callable[[Any], str]
    # Searches are posted (identity never goes in a URL): the form's fields.
    post: Callable[[Any], dict[str, str]] | None = None


@dataclass(frozen=True)
class BenchResult:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def _bench_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("tirek."):
            try:
                modules.append(importlib.import_module(f"{config.name}.bench"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.bench":
                    raise
    return modules


def bench_cases() -> list[BenchCase]:
    return [case for module in _bench_modules() for case in getattr(module, "CASES", [])]


def bench_measurements() -> list[Callable[[Any, Any], list[str]]]:
    """Figures other than page times (``MEASUREMENTS`` in an app's bench module).

    Each is called with the demo records and the volume after the page
    timings, and returns the lines to print.
    """
    return [m for module in _bench_modules() for m in getattr(module, "MEASUREMENTS", [])]


def run_case(case: BenchCase, demo, *, repeat: int) -> BenchResult:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru", HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(demo[case.persona])
    _mark_verified(client, demo[case.persona])
    url = case.path(demo)
    data = case.post(demo) if case.post else None

    def request():
        return client.post(url, data) if data is not None else client.get(url)

    response = request()  # warm caches, as a user's second request would
    timings = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = request()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return BenchResult(
        case.name,
        statistics.median(timings),
        p95,
        len(queries.captured_queries),
        response.status_code,
    )


def _mark_verified(client: Client, user) -> None:
    from tirek.accounts.demo import pass_second_factor_as_demo

    pass_second_factor_as_demo(client, user)
