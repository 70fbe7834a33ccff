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
    BenchCase(
        "requests waiting (coordinator, country)",
        "user.coordinator",
        lambda demo: "/assignment/requests/",
    ),
    BenchCase(
        "request with ranked lawyers (country)",
        "user.coordinator",
        lambda demo: f"/assignment/requests/{demo['request.waiting'].number}/",
    ),
    BenchCase("offers (lawyer)", "user.lawyer", lambda demo: "/assignment/offers/"),
    BenchCase(
        "register of orders (country)", "user.coordinator", lambda demo: "/assignment/orders/"
    ),
]
