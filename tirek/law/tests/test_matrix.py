"""The element matrix: which rows a charge has, and how evidence marks them."""

from datetime import date

import pytest

from tirek.law import law_content
from tirek.law.matrix import (
    Charge,
    Link,
    Matrix,
    Row,
    child_on,
    element_matrix,
    mark,
    row_mark,
    summarise,
)
from tirek.law.model import LANGUAGES, Lang

TODAY = date(2026, 3, 1)
OFFENCE = date(2024, 3, 1)
PART_2 = Charge("kg-cc-2021", "166", "2")


def matrix_for(
    *charges: Charge, child: bool | None = False, offence: date | None = OFFENCE
) -> Matrix:
    return element_matrix(charges, offence_date=offence, today=TODAY, child=child, lang="en")


def row(m: Matrix, element: str) -> Row:
    return next(r for r in m.rows if r.element == element)


def suggestion_ids(r: Row) -> set[str]:
    return {s.id for s in r.suggestions}


# --- The rows -------------------------------------------------------------------------


def test_it_lists_the_elements_and_each_aggravating_item_of_the_part_charged() -> None:
    m = matrix_for(PART_2)
    assert [s.provision_id for s in m.sections] == ["kg-cc-2021/166/2"]
    assert m.elements() == (
        "act",
        "means",
        "purpose",
        "circumstance:multiple_victims",
        "item:kg-cc-2021/166/2:2",
        "item:kg-cc-2021/166/2:3",
        "circumstance:official_position",
        "circumstance:cross_border",
        "circumstance:victim_dependent_on_offender",
    )
    assert [r.item for r in m.rows if r.kind == "circumstance"] == [1, 2, 3, 4, 5, 6]


def test_it_takes_the_elements_of_a_qualified_part_from_the_base_offence() -> None:
    act = row(matrix_for(PART_2), "act")
    assert act.provision_id == "kg-cc-2021/166/1"
    assert act.reference == "CC 2021 art. 166 part 1"
    assert act.verification == "verified"
    assert act.label == "an act"
    assert "recruitment" in act.detail


def test_it_references_an_aggravating_item_by_its_part() -> None:
    border = row(matrix_for(PART_2), "circumstance:cross_border")
    assert (border.reference, border.item) == ("CC 2021 art. 166 part 2", 5)
    assert border.label == "moving across the state border or unlawful holding abroad"


def test_it_notes_that_no_means_is_needed_for_a_child_under_part_4() -> None:
    means = row(matrix_for(PART_2, child=None), "means")
    assert means.required
    assert [n.sources for n in means.notes] == [("kg-cc-2021/166/4",)]
    assert "requires no means" in means.notes[0].text


def test_it_leaves_the_child_note_out_for_an_adult_victim() -> None:
    m = matrix_for(PART_2, child=False)
    assert row(m, "means").notes == ()
    assert "age" not in m.elements()


def test_it_adds_the_age_as_an_optional_row_when_the_victim_may_be_a_child() -> None:
    age = row(matrix_for(PART_2, child=None), "age")
    assert not age.required
    assert "evidence/age-documents" in suggestion_ids(age)


def test_it_makes_the_age_an_element_and_the_means_not_required_under_part_4() -> None:
    m = matrix_for(Charge("kg-cc-2021", "166", "4"), child=True)
    assert row(m, "age").required
    assert not row(m, "means").required
    assert row(m, "act").provision_id == "kg-cc-2021/166/4"


def test_it_falls_back_to_the_protocol_when_the_content_has_not_read_the_article() -> None:
    m = matrix_for(Charge("kg-cc-2021", "167", "3"), child=True)
    section = m.sections[0]
    assert not section.elements_known
    assert section.notes[0].sources == ("kg-cc-2021/167",)
    assert row(m, "act").provision_id == "un-protocol-2000/3/c"
    assert not row(m, "means").required  # a child: the Protocol needs no means
    assert "purpose:organ_removal" in m.elements()


def test_it_gives_an_age_item_the_age_key_so_birth_documents_prove_both() -> None:
    m = matrix_for(Charge("kg-cc-2021", "167", "3"), child=True)
    under_14 = next(r for r in m.rows if r.kind == "circumstance" and r.item == 1)
    assert under_14.element == "age"


def test_it_shows_the_trafficking_article_in_force_when_nothing_is_charged() -> None:
    m = matrix_for()
    assert [(s.provision_id, s.charged) for s in m.sections] == [("kg-cc-2021/166/1", False)]
    old = matrix_for(offence=date(2020, 6, 1))
    assert old.sections[0].provision_id == "kg-cc-2017/171"


def test_it_uses_today_for_the_article_when_the_offence_date_is_unknown() -> None:
    assert matrix_for(offence=None).sections[0].provision_id == "kg-cc-2021/166/1"


def test_it_reports_a_charge_the_content_does_not_know_and_shows_the_article_in_force() -> None:
    wrong = Charge("kg-cc-2021", "999")
    m = matrix_for(wrong)
    assert m.not_in_content == (wrong,)
    assert m.sections[0].provision_id == "kg-cc-2021/166/1"
    assert not m.sections[0].charged


def test_it_lists_each_charged_provision_once() -> None:
    m = matrix_for(PART_2, PART_2, Charge("kg-cc-2021", "170"))
    assert [s.provision_id for s in m.sections] == ["kg-cc-2021/166/2", "kg-cc-2021/170"]
    assert m.sections[1].rows == ()  # a related offence: its elements are not content


def test_it_suggests_the_evidence_the_content_names_for_each_row() -> None:
    m = matrix_for(PART_2)
    assert {"evidence/act-witnesses", "evidence/act-travel"} <= suggestion_ids(row(m, "act"))
    assert "evidence/act-travel" in suggestion_ids(row(m, "circumstance:cross_border"))
    purpose = suggestion_ids(row(m, "purpose"))
    assert {"evidence/purpose-financial", "evidence/purpose-labour"} <= purpose
    assert suggestion_ids(row(m, "item:kg-cc-2021/166/2:2")) == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_speaks_every_language(lang: Lang) -> None:
    m = element_matrix([PART_2], offence_date=OFFENCE, today=TODAY, child=None, lang=lang)
    law = law_content()
    act = row(m, "act")
    assert act.label == law.formats["element_act"].in_(lang)
    assert all(r.label and all(s.text for s in r.suggestions) for r in m.rows)


def test_it_knows_a_child_by_the_age_on_the_offence_date() -> None:
    law = law_content()
    assert child_on(date(2008, 6, 1), OFFENCE, TODAY, law) is True
    assert child_on(date(2000, 1, 1), OFFENCE, TODAY, law) is False
    assert child_on(None, OFFENCE, TODAY, law) is None
    # An adult today, offence date unknown: may have been a child then.
    assert child_on(date(2007, 1, 1), None, TODAY, law) is None


# --- Marking rows against the evidence ----------------------------------------------

VICTIM_STRONG = Link(1, "strong", independent=False)
BANK_WEAK = Link(2, "weak", independent=True)
BANK_STRONG = Link(3, "strong", independent=True)
BANK_MODERATE = Link(4, "moderate", independent=True)


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([], "gap"),
        ([VICTIM_STRONG], "testimony_only"),
        ([BANK_WEAK], "weak"),
        ([VICTIM_STRONG, BANK_WEAK], "weak"),
        ([BANK_MODERATE], "supported"),
        ([BANK_WEAK, BANK_STRONG], "supported"),
        ([VICTIM_STRONG, BANK_STRONG], "supported"),
    ],
)
def test_it_marks_a_row_by_its_independent_evidence(links: list[Link], expected: str) -> None:
    assert row_mark(row(matrix_for(PART_2), "act"), links) == expected


def test_it_marks_an_unlinked_row_that_is_not_required_as_such() -> None:
    means = row(matrix_for(Charge("kg-cc-2021", "166", "4"), child=True), "means")
    assert row_mark(means, []) == "not_required"
    assert row_mark(means, [BANK_STRONG]) == "supported"


def test_it_summarises_by_the_gravest_required_row() -> None:
    m = matrix_for(Charge("kg-cc-2021", "166", "1"))
    links = {"act": [BANK_STRONG], "means": [VICTIM_STRONG], "purpose": [BANK_MODERATE]}
    marked = mark(m.rows, links)
    assert [r.mark for r in marked] == ["supported", "testimony_only", "supported"]
    assert [r.wants_evidence for r in marked] == [False, True, False]
    summary = summarise(marked, links)
    assert summary.mark == "testimony_only"
    assert (summary.required, summary.counts["supported"]) == (3, 2)


def test_it_summarises_as_supported_when_every_required_row_is() -> None:
    m = matrix_for(Charge("kg-cc-2021", "166", "1"))
    links = {key: [BANK_STRONG] for key in ("act", "means", "purpose")}
    assert summarise(mark(m.rows, links), links).mark == "supported"


def test_it_reports_links_to_elements_the_charge_no_longer_has() -> None:
    m = matrix_for(Charge("kg-cc-2021", "166", "1"))
    links = {"act": [BANK_STRONG], "circumstance:organized_group": [BANK_STRONG]}
    assert summarise(mark(m.rows, links), links).elsewhere == ("circumstance:organized_group",)
