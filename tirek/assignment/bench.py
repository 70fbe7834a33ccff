"""Benchmarks of the coordinator's board (``tirek bench``)."""

from tirek.core.benchmark import BenchCase

CASES = [
    BenchCase(
        "coordinator's board (country)", "user.coordinator", lambda demo: "/assignment/board/"
    ),
    BenchCase(
        "coordinator's board (country, requests over 7 days)",
        "user.coordinator",
        lambda demo: "/assignment/board/?age=over-7",
    ),
    BenchCase(
        "coordinator's board (Osh regional office)",
        "user.coordinator_osh",
        lambda demo: "/assignment/board/",
    ),
]
