"""Notes are privileged; search finds what a user may see, and nothing else."""

from django.urls import reverse

from tirek.cases import actions, search


def test_a_coordinator_sees_the_case_but_never_its_notes_or_the_client(
    aizada_case, lawyer, coordinator, as_user
):
    actions.note_add(
        actor=lawyer,
        case=aizada_case,
        title="Strategy",
        body="Client fears the recruiter's brother in Osh.",
    )
    page = as_user(coordinator).get(reverse("cases:workspace", args=[aizada_case.number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "recruiter" not in text and "Strategy" not in text
    assert "Aizada" not in text
    own = (
        as_user(lawyer).get(reverse("cases:workspace", args=[aizada_case.number])).content.decode()
    )
    assert "recruiter" in own and "Aizada Demo-Tursunova" in own


def test_a_lawyer_finds_a_note_by_a_word_in_it(aizada_case, lawyer, coordinator):
    actions.note_add(
        actor=lawyer,
        case=aizada_case,
        title="Meeting",
        body="The employer in Moscow kept her zagranpassport in a safe.",
    )
    assert list(search.search_cases(lawyer, "zagranpassport")) == [aizada_case]
    assert list(search.search_cases(lawyer, "zagranpass")) == [aizada_case]  # prefixes work
    assert list(search.search_cases(coordinator, "zagranpassport")) == []  # not their notes


def test_search_input_is_never_search_syntax(aizada_case, lawyer):
    for text in ['"', "AND OR NOT", "*", "title:x", "((", "NEAR(a b)"]:
        list(search.search_cases(lawyer, text))  # no error


def test_a_lawyer_finds_cases_by_register_number_and_article(aizada_case, lawyer):
    actions.criminal_case_link(
        actor=lawyer,
        case=aizada_case,
        register_number="ERPP-2026-0777",
        charges=[{"instrument": "kg-cc-2021", "article": "170", "part": "1"}],
    )
    assert list(search.search_cases(lawyer, "0777")) == [aizada_case]
    assert list(search.search_cases(lawyer, "170")) == [aizada_case]


def test_another_lawyer_finds_nothing_of_it(aizada_case, lawyer, other_office_lawyer):
    actions.note_add(actor=lawyer, case=aizada_case, title="Meeting", body="zagranpassport kept")
    assert list(search.search_cases(other_office_lawyer, "zagranpassport")) == []
