"""The element matrix page: rows of the provision charged, marked by the evidence."""

import datetime
import html
from pathlib import Path

import pytest
from django.urls import reverse

from tirek.cases import actions as case_actions
from tirek.evidence.actions import element_link, item_create
from tirek.law import law_content


@pytest.fixture
def case(demo, lawyer):
    """Aizada's case, charged under CC 2021 art. 166 part 2 (the demo links it)."""
    found = demo["case.adult_labour"]
    assert found.lawyer_id == lawyer.pk
    assert found.criminal_case.charges == [
        {"instrument": "kg-cc-2021", "article": "166", "part": "2"}
    ]
    return found


@pytest.fixture
def url(case):
    return reverse("evidence:matrix", args=[case.number])


def item(lawyer, case, description="Bank statement", *, from_victim=False):
    return item_create(
        actor=lawyer, case=case, kind="document", description=description, from_victim=from_victim
    )


def shown_rows(response, element):
    return [
        shown
        for _section, rows in response.context["sections"]
        for shown in rows
        if shown.row.element == element
    ]


def mark_of(response, element) -> str:
    (shown,) = shown_rows(response, element)
    return shown.mark


def text(response) -> str:
    return html.unescape(response.content.decode())


def suggestion_text(suggestion_id: str) -> str:
    return next(s for s in law_content().evidence if s.id == suggestion_id).text.en


def test_it_shows_every_element_and_circumstance_of_the_part_charged(case, url, lawyer, as_user):
    response = as_user(lawyer).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert case.criminal_case.register_number in page
    assert "CC 2021 art. 166 part 2" in page  # the charge, as the engine names it
    assert "CC 2021 art. 166 part 1" in page  # the elements come from the base offence
    for element in ("act", "means", "purpose", "circumstance:cross_border"):
        assert f'data-element="{element}"' in page
    assert "Verified against the official text" in page
    assert "Printed on" in page


def test_it_turns_a_gap_into_supported_when_an_item_is_linked(case, url, lawyer, as_user):
    client = as_user(lawyer)
    assert mark_of(client.get(url), "act") == "gap"
    element_link(actor=lawyer, item=item(lawyer, case), element="act", strength="strong")
    response = client.get(url)
    assert mark_of(response, "act") == "supported"
    (shown,) = shown_rows(response, "act")
    assert [(s.item.number, s.link.strength, s.independent) for s in shown.links] == [
        (1, "strong", True)
    ]
    assert "independent of the victim's testimony" in text(response)


def test_it_marks_a_row_resting_on_the_victims_own_account_as_testimony_only(
    case, url, lawyer, as_user
):
    statement = item(lawyer, case, "The victim's statement", from_victim=True)
    element_link(actor=lawyer, item=statement, element="means", strength="strong")
    response = as_user(lawyer).get(url)
    assert mark_of(response, "means") == "testimony_only"
    page = text(response)
    assert "victim's own account" in page
    assert "falls if the victim withdraws" in page
    # An independent document corroborates it: supported.
    element_link(actor=lawyer, item=item(lawyer, case), element="means", strength="moderate")
    assert mark_of(as_user(lawyer).get(url), "means") == "supported"


def test_it_marks_a_row_weak_when_its_only_independent_evidence_is_weak(case, url, lawyer, as_user):
    element_link(actor=lawyer, item=item(lawyer, case), element="purpose", strength="weak")
    assert mark_of(as_user(lawyer).get(url), "purpose") == "weak"


def test_it_lists_the_evidence_that_typically_proves_a_gap(case, url, lawyer, as_user):
    response = as_user(lawyer).get(url)
    (act,) = shown_rows(response, "act")
    assert act.wants_evidence
    page = text(response)
    assert suggestion_text("evidence/act-witnesses") in page
    assert suggestion_text("evidence/act-travel") in page  # also for crossing the border


def test_it_stops_suggesting_evidence_once_a_row_is_supported(case, url, lawyer, as_user):
    element_link(actor=lawyer, item=item(lawyer, case), element="act", strength="strong")
    page = text(as_user(lawyer).get(url))
    assert suggestion_text("evidence/act-witnesses") not in page


def test_it_offers_a_form_per_item_that_posts_to_the_link_view_without_javascript(
    case, url, lawyer, as_user
):
    first = item(lawyer, case)
    page = as_user(lawyer).get(url).content.decode()
    action = reverse("evidence:link", args=[case.number, first.number])
    assert f'action="{action}"' in page
    assert 'name="next" value="matrix"' in page
    for field in ('name="element"', 'name="strength"', 'name="note"'):
        assert field in page
    assert 'value="circumstance:cross_border"' in page
    assert "hx-" not in page.split('id="link-heading"')[1]


def test_it_prints_cleanly_from_a_static_stylesheet(url, lawyer, as_user):
    page = as_user(lawyer).get(url).content.decode()
    assert "evidence/matrix.css" in page
    assert " style=" not in page  # the CSP allows no inline style
    css = (Path(__file__).resolve().parents[1] / "static" / "evidence" / "matrix.css").read_text()
    printed = css.split("@media print", 1)[1]
    for hidden in (".site-header", ".site-footer", "form", "button", ".matrix-link"):
        assert hidden in printed


def test_it_shows_the_article_in_force_when_nothing_is_charged(demo, coordinator, lawyer, as_user):
    fresh = case_actions.case_open(
        actor=coordinator,
        client=demo["person.adult_labour"],
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )
    response = as_user(lawyer).get(reverse("evidence:matrix", args=[fresh.number]))
    assert response.status_code == 200
    assert "Nothing charged yet" in response.content.decode()
    assert [s.provision_id for s, _rows in response.context["sections"]] == ["kg-cc-2021/166/1"]


def test_it_follows_the_charges_recorded_in_the_criminal_case(demo, coordinator, lawyer, as_user):
    fresh = case_actions.case_open(
        actor=coordinator,
        client=demo["person.adult_labour"],
        lawyer=lawyer,
        lawyer_role="victim_representative",
        legal_aid_basis="nrm_victim_status",
    )
    case_actions.criminal_case_link(
        actor=lawyer,
        case=fresh,
        register_number="X-1",
        charges=[{"instrument": "kg-cc-2021", "article": "166", "part": "3"}],
        offence_date=datetime.date(2025, 5, 1),
    )
    response = as_user(lawyer).get(reverse("evidence:matrix", args=[fresh.number]))
    assert [s.provision_id for s, _rows in response.context["sections"]] == ["kg-cc-2021/166/3"]
    assert "X-1" in response.content.decode()
    assert shown_rows(response, "circumstance:victim_pregnant")


@pytest.mark.parametrize("persona", ["lawyer_osh", "coordinator", "caseworker"])
def test_it_is_not_found_for_anyone_but_the_cases_lawyer(demo, url, as_user, persona):
    assert as_user(demo[f"user.{persona}"]).get(url).status_code == 404


def test_it_answers_only_get(url, lawyer, as_user):
    assert as_user(lawyer).post(url).status_code == 405


def test_it_costs_the_same_queries_with_one_item_or_twenty(
    case, url, lawyer, as_user, django_assert_max_num_queries
):
    client = as_user(lawyer)
    elements = ["act", "means", "purpose", "circumstance:cross_border"]
    first = item(lawyer, case)
    element_link(actor=lawyer, item=first, element="act", strength="strong")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(50) as one:
        assert client.get(url).status_code == 200
    for number in range(19):
        added = item(lawyer, case, f"Item {number}", from_victim=number % 2 == 0)
        for element in elements[: number % 4 + 1]:
            element_link(actor=lawyer, item=added, element=element, strength="moderate")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == 20
