from tirek.core.benchmark import BenchCase

CASES = [
    BenchCase("people list (caseworker)", "user.caseworker", lambda demo: "/people/"),
    BenchCase(
        "people exact search",
        "user.caseworker",
        lambda demo: "/people/",
        post=lambda demo: {"full_name": "Aizada Demo-Tursunova"},
    ),
    BenchCase(
        "person record",
        "user.caseworker",
        lambda demo: f"/people/{demo['person.adult_labour'].record_key}/",
    ),
]
