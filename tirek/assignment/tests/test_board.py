"""The coordinator's board: its sections, its scope, its filters and its cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.regions import Region
from tirek.assignment.board import board_for
from tirek.assignment.tests import board_rows as rows
from tirek.people.models import Person
from tirek.protection.access import register_entries_visible_to

URL = "/assignment/board/"

NAMES = ["Zhyldyz Boardtest-Alieva", "Meerim Boardtest-Osmonova", "Kanykei Boardtest-Toktogulova"]


@pytest.fixture
def coordinator_osh(demo):
    """The coordinator of the Osh regional office (region "osh")."""
    return demo["user.coordinator_osh"]


@pytest.fixture
def world(demo, caseworker, coordinator, coordinator_osh):
    """Three requests (Chui 10 days, Osh 2 days and offered, Bishkek 3 hours),
    two overdue referrals (Chui→Jalal-Abad, Osh→Chui) and one in time, two
    possible duplicates (Chui with Chui, Osh with Chui).

    The demo has rows of its own (a waiting request, for one): the board's
    figures are compared with the ones taken before these were added.
    """
    before = {
        "national": _figures(board_for(coordinator, region="", now=timezone.now())),
        "national-osh": _figures(board_for(coordinator, region="osh", now=timezone.now())),
        "osh": _figures(board_for(coordinator_osh, region="osh", now=timezone.now())),
    }
    osh_caseworker = rows.osh_ngo_caseworker()
    alieva = rows.person(caseworker, NAMES[0])
    osmonova = rows.person(caseworker, NAMES[1])
    toktogulova = rows.person(osh_caseworker, NAMES[2])
    old = rows.legal_aid_request(
        demo, person=alieva, requested_by=caseworker, region="chui", received_at=rows.ago(10)
    )
    osh = rows.legal_aid_request(
        demo, person=toktogulova, requested_by=osh_caseworker, region="osh", received_at=rows.ago(2)
    )
    new = rows.legal_aid_request(
        demo, person=osmonova, requested_by=caseworker, region="bishkek", received_at=rows.ago(0, 3)
    )
    offer = rows.offer(
        request=osh,
        lawyer=demo["user.lawyer_osh"],
        chosen_by=coordinator_osh,
        offered_at=rows.ago(1),
        respond_by=rows.ago(0, 2),
    )
    chui_referral = rows.referral(
        person=alieva,
        sent_by=caseworker,
        to_organisation=demo["org.ngo"],
        sent_at=rows.ago(5),
        acknowledge_by=rows.ago(2),
    )
    osh_referral = rows.referral(
        person=toktogulova,
        sent_by=osh_caseworker,
        to_organisation=demo["org.shelter"],
        sent_at=rows.ago(4),
        acknowledge_by=rows.ago(1),
    )
    rows.referral(
        person=osmonova,
        sent_by=caseworker,
        to_organisation=demo["org.ngo"],
        sent_at=rows.ago(0, 5),
        acknowledge_by=rows.ago(-2),
    )
    rows.duplicate(alieva, osmonova)
    rows.duplicate(toktogulova, alieva)
    return {
        "old": old,
        "osh": osh,
        "new": new,
        "offer": offer,
        "chui_referral": chui_referral,
        "osh_referral": osh_referral,
        "osh_caseworker": osh_caseworker,
        "before": before,
    }


def _board(response):
    assert response.status_code == 200
    return response.context["board"]


def _figures(board) -> dict:
    return {
        "by_age": [item.count for item in board.by_age],
        "offers": board.offers_count,
        "overdue_offers": board.overdue_offers,
        "referrals": board.referrals_count,
        "duplicates": board.duplicates,
    }


def _added(board, before: dict) -> dict:
    """What the test's rows added to the board's figures."""
    now = _figures(board)
    return {
        name: [a - b for a, b in zip(value, before[name], strict=True)]
        if isinstance(value, list)
        else value - before[name]
        for name, value in now.items()
    }


def _requests(board) -> list[str]:
    return [row.number for row in board.requests if row.number.startswith("LA-TEST-")]


def _referrals(board, world) -> list[int]:
    ours = {world["chui_referral"].pk, world["osh_referral"].pk}
    return [row.number for row in board.referrals if row.number in ours]


def test_it_shows_the_national_coordinator_every_section(as_user, coordinator, world):
    response = as_user(coordinator).get(URL)
    board = _board(response)
    html = response.content.decode()

    # (a) Requests, oldest first, by age.
    assert _requests(board) == [world["old"].number, world["osh"].number, world["new"].number]
    ages = {row.number: row.age_days for row in board.requests}
    assert [ages[number] for number in _requests(board)] == [10, 2, 0]
    assert _added(board, world["before"]["national"]) == {
        "by_age": [1, 1, 0, 1],
        "offers": 1,
        "overdue_offers": 1,
        "referrals": 2,
        "duplicates": 2,
    }
    assert reverse("assignment:request", args=[world["old"].number]) in html
    by_number = {row.number: row for row in board.requests}
    assert by_number[world["osh"].number].state == "Offered to a lawyer"
    assert by_number[world["old"].number].languages == ("Kyrgyz", "Russian")
    assert by_number[world["old"].number].region == "Chui region"
    # (b) The offer, past its time.
    [offer] = [o for o in board.offers if o.request_number == world["osh"].number]
    assert offer.lawyer == "Gulnara Demo" and offer.overdue
    assert "Gulnara Demo" in html and "overdue" in html
    # (c) The overdue referrals, organisations only; the one in time is not there.
    assert _referrals(board, world) == [world["chui_referral"].pk, world["osh_referral"].pk]
    [chui] = [r for r in board.referrals if r.number == world["chui_referral"].pk]
    assert (chui.service, chui.from_organisation, chui.to_organisation) == (
        "Shelter",
        "Demo Shelter No. 1",
        "Demo NGO «Koldoo»",
    )
    assert "Demo NGO «Koldoo»" in html
    # (d) The register, by region: every entry the coordinator may see.
    entries = register_entries_visible_to(coordinator)
    assert sum(row.entries for row in board.load) == entries.count()
    assert [row.region for row in board.load] == [
        str(Region(code).label) for code in Region.values if entries.filter(region=code).exists()
    ]
    assert board.load_total.capacity == sum(row.capacity for row in board.load)
    # (e) Duplicates, counted, with the way to introduce them.
    assert reverse("nrm:duplicates") in html


def test_it_never_shows_a_person_s_identity(as_user, coordinator, coordinator_osh, world):
    for user in (coordinator, coordinator_osh):
        html = as_user(user).get(URL).content.decode()
        for name in NAMES:
            assert name not in html
        assert "Boardtest" not in html
        # Nor the demo's people, nor anyone's record key.
        for person in Person.objects.all():
            assert person.full_name not in html
            assert str(person.record_key) not in html


def test_it_shows_the_osh_coordinator_their_region_only(as_user, coordinator_osh, world):
    board = _board(as_user(coordinator_osh).get(URL))
    assert board.region == "osh"
    assert _requests(board) == [world["osh"].number]
    assert {row.region for row in board.requests} == {"Osh region"}
    assert [offer.request_number for offer in board.offers] == [world["osh"].number]
    # Sent from Osh region to Chui: theirs by the sender; Chui to Jalal-Abad: not theirs.
    assert _referrals(board, world) == [world["osh_referral"].pk]
    assert [row.region for row in board.load] == ["Osh region"]
    assert _added(board, world["before"]["osh"]) == {
        "by_age": [0, 1, 0, 0],
        "offers": 1,
        "overdue_offers": 1,
        "referrals": 1,
        "duplicates": 1,
    }


def test_a_referral_received_in_the_region_counts_too(as_user, demo, caseworker, world):
    """A referral to an Osh provider is on the Osh board, whoever sent it."""
    rows.referral(
        person=world["old"].person,
        sent_by=caseworker,
        to_organisation=world["osh_caseworker"].organisation,
        sent_at=rows.ago(3),
        acknowledge_by=rows.ago(1),
    )
    board = _board(as_user(demo["user.coordinator_osh"]).get(URL))
    assert _added(board, world["before"]["osh"])["referrals"] == 2


def test_the_national_coordinator_narrows_the_board_to_a_region(as_user, coordinator, world):
    board = _board(as_user(coordinator).get(URL, {"region": "osh"}))
    assert board.region == "osh"
    assert _requests(board) == [world["osh"].number]
    assert {row.region for row in board.requests} == {"Osh region"}
    assert _referrals(board, world) == [world["osh_referral"].pk]
    assert [row.region for row in board.load] == ["Osh region"]
    assert _added(board, world["before"]["national-osh"])["duplicates"] == 1


def test_it_lists_the_requests_of_one_age(as_user, coordinator, world):
    board = _board(as_user(coordinator).get(URL, {"age": "over-7"}))
    assert _requests(board) == [world["old"].number]
    assert all(row.age_days >= 7 for row in board.requests)
    # The counts still cover every age, so the other buckets stay visible.
    assert _added(board, world["before"]["national"])["by_age"] == [1, 1, 0, 1]


def test_a_regional_coordinator_asking_for_another_region_is_told_and_kept_home(
    as_user, coordinator_osh, world
):
    response = as_user(coordinator_osh).get(URL, {"region": "chui", "age": "over-7"})
    board = _board(response)
    assert "the board shows that region only" in response.content.decode()
    assert board.region == "osh"
    assert _requests(board) == []  # the valid age filter still applies, in Osh
    assert _added(board, world["before"]["osh"])["by_age"] == [0, 1, 0, 0]


@pytest.mark.parametrize(
    ("query", "error", "listed"),
    [
        ({"region": "atlantis"}, True, 3),
        ({"age": "forever"}, True, 3),
        ({"region": ["osh", "chui"], "age": ""}, False, 1),  # the last value counts
    ],
)
def test_a_bad_filter_is_an_error_on_the_page_not_a_crash(
    as_user, coordinator, world, query, error, listed
):
    response = as_user(coordinator).get(URL, query)
    board = _board(response)
    assert ('class="errorlist' in response.content.decode()) is error
    assert len(_requests(board)) == listed


def test_only_coordinators_open_the_board(as_user, lawyer, caseworker, analyst, outsider):
    for user in (lawyer, caseworker, analyst, outsider):
        assert as_user(user).get(URL).status_code == 404


def test_the_board_is_read_only(as_user, coordinator):
    assert as_user(coordinator).post(URL, {}).status_code == 405


def test_an_empty_board_says_so(as_user, coordinator_osh):
    html = as_user(coordinator_osh).get(URL).content.decode()
    assert "No request is waiting for a lawyer." in html
    assert "Every referral was acknowledged in time." in html


def _grow(demo, caseworker, coordinator, *, count: int, start: int) -> None:
    """``count`` more of everything: requests, offers, referrals, duplicates."""
    for number in range(start, start + count):
        person = rows.person(caseworker, f"Growtest Person {number}")
        request = rows.legal_aid_request(
            demo,
            person=person,
            requested_by=caseworker,
            region=["chui", "osh", "bishkek"][number % 3],
            received_at=rows.ago(number % 9, 1),
        )
        rows.offer(
            request=request,
            lawyer=demo["user.lawyer"],
            chosen_by=coordinator,
            offered_at=rows.ago(0, 5),
            respond_by=rows.ago(-1 if number % 2 else 1),
        )
        rows.referral(
            person=person,
            sent_by=caseworker,
            to_organisation=demo["org.ngo"],
            sent_at=rows.ago(4),
            acknowledge_by=rows.ago(1),
        )
        rows.duplicate(person, demo["person.adult_labour"])


@pytest.mark.parametrize("persona", ["user.coordinator", "user.coordinator_osh"])
def test_it_costs_the_same_queries_for_one_row_or_thirty(
    as_user, demo, caseworker, coordinator, django_assert_max_num_queries, persona
):
    client = as_user(demo[persona])
    _grow(demo, caseworker, coordinator, count=1, start=0)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _grow(demo, caseworker, coordinator, count=29, start=1)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    board = _board(response)
    if persona == "user.coordinator":
        assert len(_requests(board)) == 30
        assert len([o for o in board.offers if o.request_number.startswith("LA-TEST-")]) == 30
    assert len(few) <= 20, [query["sql"] for query in few.captured_queries]
