"""Benchmarks of identification and referral (``tirek bench``)."""

from tirek.core.benchmark import BenchCase

CASES = [
    BenchCase("referrals (caseworker)", "user.caseworker", lambda demo: "/nrm/referrals/"),
    BenchCase(
        "person with screenings and referrals",
        "user.caseworker",
        lambda demo: f"/people/{demo['person.waiting_request'].record_key}/",
    ),
    BenchCase(
        "possible duplicates (coordinator)", "user.coordinator", lambda demo: "/nrm/duplicates/"
    ),
]
