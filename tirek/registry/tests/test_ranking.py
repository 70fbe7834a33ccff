"""The ranked, explained proposal: pure, so it is tested without a database."""

import datetime
import random

from tirek.registry.ranking import Candidate, Need, Spread, rank

TODAY = datetime.date(2026, 6, 1)
CERTIFIED = {
    "tip_certified_on": datetime.date(2025, 1, 1),
    "tip_certificate_expires_on": datetime.date(2027, 1, 1),
}


def lawyer(lawyer_id: int, **given) -> Candidate:
    values = {
        "lawyer_id": lawyer_id,
        "region": "osh",
        "languages": ("ky", "ru"),
        "capacity": 10,
        "caseload": 2,
        "gender": "female",
        **CERTIFIED,
    }
    values.update(given)
    return Candidate(**values)


def codes(ranked) -> set[str]:
    return {reason.code for reason in ranked.reasons}


def test_it_ranks_region_language_and_gender_first_and_explains_each():
    need = Need(region="osh", on=TODAY, languages=("uz",), gender="female")
    best = lawyer(1, languages=("ky", "uz"))
    elsewhere = lawyer(2, region="chui", languages=("uz",))
    no_uzbek = lawyer(3)
    man = lawyer(4, languages=("uz",), gender="male")

    ranked = rank(need, [man, no_uzbek, elsewhere, best])

    # The region weighs more than the language (an interpreter can be found;
    # the lawyer must be present at the investigator's), the gender least.
    assert [item.candidate.lawyer_id for item in ranked] == [1, 4, 3, 2]
    assert [item.rank for item in ranked] == [1, 2, 3, 4]
    assert {"certified", "region", "language", "gender", "load", "rotation"} <= codes(ranked[0])
    assert "gender_differs" in codes(ranked[1])
    assert "language_none" in codes(ranked[2])
    assert "other_region" in codes(ranked[3])
    assert all(reason.message for item in ranked for reason in item.reasons)


def test_it_prefers_the_less_loaded_and_the_longer_waiting():
    need = Need(region="osh", on=TODAY, languages=("ky",))
    busy = lawyer(1, caseload=8)
    free = lawyer(2, caseload=1)
    assert [r.candidate.lawyer_id for r in rank(need, [busy, free])] == [2, 1]

    recent = lawyer(3, last_assigned_on=TODAY - datetime.timedelta(days=1))
    waiting = lawyer(4, last_assigned_on=TODAY - datetime.timedelta(days=40))
    ranked = rank(need, [recent, waiting])
    assert [r.candidate.lawyer_id for r in ranked] == [4, 3]
    assert next(r for r in ranked[1].reasons if r.code == "rotation").message == (
        "Last received a case 1 days ago."
    )


def test_it_excludes_with_the_reason_and_lists_the_excluded_last():
    need = Need(region="osh", on=TODAY, languages=("ky",))
    candidates = [
        lawyer(1, availability="on_leave", on_leave_until=TODAY + datetime.timedelta(days=3)),
        lawyer(2, availability="suspended"),
        lawyer(3, availability="excluded"),
        lawyer(4, caseload=10),
        lawyer(5, conflict=True),
        lawyer(6, tip_certificate_expires_on=TODAY - datetime.timedelta(days=1)),
        lawyer(7, tip_certified_on=None, tip_certificate_expires_on=None),
        lawyer(8, availability="on_leave", on_leave_until=TODAY - datetime.timedelta(days=1)),
        lawyer(9),
    ]
    ranked = rank(need, candidates)
    why = {item.candidate.lawyer_id: {r.code for r in item.exclusions} for item in ranked}
    assert why == {
        1: {"on_leave"},
        2: {"suspended"},
        3: {"excluded"},
        4: {"over_capacity"},
        5: {"conflict"},
        6: {"certificate_expired"},
        7: {"not_certified"},
        8: set(),  # back from leave
        9: set(),
    }
    assert [item.candidate.lawyer_id for item in ranked[:2]] == [8, 9]
    assert all(item.rank is None for item in ranked[2:])


def test_it_speaks_the_users_language():
    from django.utils import translation

    need = Need(region="osh", on=TODAY)
    with translation.override("en"):
        english = rank(need, [lawyer(1, availability="suspended")])[0].exclusions[0].message
    assert english == "Suspended from the register."


def test_it_gives_the_same_order_for_the_same_input():
    need = Need(region="osh", on=TODAY, languages=("ky",))
    candidates = [lawyer(number) for number in range(1, 8)]
    first = [r.candidate.lawyer_id for r in rank(need, candidates)]
    again = [r.candidate.lawyer_id for r in rank(need, list(reversed(candidates)))]
    assert first == again == list(range(1, 8))


# --- Fairness ---------------------------------------------------------------------------

REQUESTS = 2_000
# A bound on the Gini coefficient of work per unit of capacity among the
# eligible lawyers: 0 is perfectly even, 1 is all work to one lawyer.
GINI_BOUND = 0.10


def _register(rng: random.Random) -> list[Candidate]:
    regions = ["bishkek", "osh", "chui", "jalal_abad", "naryn"]
    languages = [("ky", "ru"), ("ky",), ("ru",), ("ky", "uz"), ("ky", "ru", "uz")]
    lawyers = [
        lawyer(
            number,
            region=regions[number % len(regions)],
            languages=languages[number % len(languages)],
            gender=("female", "male")[number % 2],
            capacity=rng.choice([4, 6, 8, 10]),
            caseload=0,
        )
        for number in range(1, 41)
    ]
    # Four who must never receive work.
    lawyers += [
        lawyer(41, availability="suspended", caseload=0),
        lawyer(42, availability="excluded", caseload=0),
        lawyer(43, tip_certificate_expires_on=TODAY - datetime.timedelta(days=1), caseload=0),
        lawyer(44, availability="on_leave", on_leave_until=datetime.date(2030, 1, 1), caseload=0),
    ]
    return lawyers


def test_it_spreads_work_fairly_over_many_requests(capsys):
    """2,000 requests over a year, each to the top candidate; cases close after
    20-60 days. Every eligible lawyer gets work, nobody beyond capacity, and
    the spread (Gini of cases per unit of capacity) stays under the bound."""
    rng = random.Random(2026)  # a repeatable simulation
    register = {c.lawyer_id: c for c in _register(rng)}
    open_until: dict[int, list[datetime.date]] = {pk: [] for pk in register}
    assigned = {pk: 0 for pk in register}
    regions = ["bishkek", "osh", "chui", "jalal_abad", "naryn"]
    wanted = [("ky",), ("ru",), ("ky", "ru"), ("uz",), ()]
    unplaced = 0
    for number in range(REQUESTS):
        day = TODAY + datetime.timedelta(days=number * 365 // REQUESTS)
        for pk, ends in open_until.items():
            open_until[pk] = [end for end in ends if end > day]
        candidates = [
            Candidate(
                **{
                    **c.__dict__,
                    "caseload": len(open_until[pk]),
                    "tip_certificate_expires_on": c.tip_certificate_expires_on
                    if pk == 43
                    else datetime.date(2030, 1, 1),
                }
            )
            for pk, c in register.items()
        ]
        need = Need(
            region=rng.choice(regions),
            on=day,
            languages=rng.choice(wanted),
            gender=rng.choice(["", "", "female", "male"]),
        )
        ranked = rank(need, candidates)
        top = ranked[0] if ranked and ranked[0].eligible else None
        if top is None:  # everyone full: the request waits (the board shows it)
            unplaced += 1
            continue
        pk = top.candidate.lawyer_id
        assert top.candidate.caseload < top.candidate.capacity
        open_until[pk].append(day + datetime.timedelta(days=rng.randint(20, 60)))
        assert len(open_until[pk]) <= register[pk].capacity, "beyond capacity"
        assigned[pk] += 1
        register[pk] = Candidate(**{**register[pk].__dict__, "last_assigned_on": day})

    eligible = [pk for pk in register if pk <= 40]
    assert all(assigned[pk] > 0 for pk in eligible), "an eligible lawyer got no work"
    assert all(assigned[pk] == 0 for pk in (41, 42, 43, 44))
    per_capacity = Spread({pk: assigned[pk] / register[pk].capacity for pk in eligible})
    raw = Spread({pk: assigned[pk] for pk in eligible})
    gini = per_capacity.gini()
    with capsys.disabled():
        print(
            f"\nfairness: requests={REQUESTS} placed={REQUESTS - unplaced} lawyers={len(eligible)} "
            f"cases min={min(raw.counts.values())} max={max(raw.counts.values())} "
            f"max/min={raw.max_min_ratio():.2f} gini(cases)={raw.gini():.3f} "
            f"gini(cases per capacity)={gini:.3f} bound={GINI_BOUND}"
        )
    assert gini < GINI_BOUND
