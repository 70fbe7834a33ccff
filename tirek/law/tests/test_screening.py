"""The screening recommendation: the rule, its explanation, and indicator suggestions."""

from typing import Any

import pytest

from tirek.law import analyse, facts_from_json, law_content
from tirek.law.model import LANGUAGES
from tirek.law.render import render_advice, render_indicator_hints
from tirek.law.result import Analysis
from tirek.law.screening import (
    Advice,
    indicator_links,
    observed_indicators,
    recommend,
    suggested_codes,
)

ADULT = {"offence_date": "2024-03-01", "victim_age": 30}
CHILD = {"offence_date": "2024-03-01", "victim_age": 15}


def analysis_of(data: dict[str, Any]) -> Analysis:
    return analyse(facts_from_json(data, law_content().vocabulary))


def advise(data: dict[str, Any], *indicators: str) -> Advice:
    return recommend(analysis_of(data), frozenset(indicators))


def templates(advice: Advice) -> list[str]:
    return [r.template for r in advice.explanation]


def test_it_presumes_a_victim_when_the_definition_is_met_for_an_adult() -> None:
    advice = advise(
        {**ADULT, "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}
    )
    assert advice.code == "presumed_victim"
    assert advice.elements == ("act", "means", "purpose")
    assert templates(advice)[0] == "screening.presumed_victim"


def test_it_presumes_a_child_victim_on_act_and_purpose_alone() -> None:
    advice = advise({**CHILD, "acts": ["transportation"], "purposes": ["sexual_exploitation"]})
    assert advice.code == "presumed_victim"


def test_it_refers_an_adult_with_act_and_purpose_but_no_means() -> None:
    advice = advise({**ADULT, "acts": ["recruitment"], "purposes": ["forced_labour"]})
    assert advice.code == "refer_for_identification"
    assert advice.elements == ("act", "purpose")
    assert "screening.refer_elements" in templates(advice)
    assert "screening.age_decides" not in templates(advice)


def test_it_says_the_age_would_decide_when_it_is_unknown() -> None:
    advice = advise({"acts": ["recruitment"], "purposes": ["forced_labour"]})
    assert advice.code == "refer_for_identification"
    assert "screening.age_decides" in templates(advice)


def test_it_refers_on_a_single_element() -> None:
    advice = advise({**ADULT, "means": ["threat"]})
    assert advice.code == "refer_for_identification"
    assert advice.elements == ("means",)


def test_it_refers_on_an_arguable_purpose() -> None:
    advice = advise({**ADULT, "purposes": ["forced_marriage"]})
    assert advice.code == "refer_for_identification"
    assert advice.elements == ("purpose",)


def test_it_refers_on_indicators_alone_and_names_them() -> None:
    advice = advise(ADULT, "ilo-forced-labour/7", "unodc-groups/general")
    assert advice.code == "refer_for_identification"
    assert templates(advice)[:2] == ["screening.refer_indicators", "screening.indicators"]
    text = render_advice(advice, "en")
    assert "retention of identity documents" in text["explanation"][1]["text"]
    assert "general indicators" in text["explanation"][1]["text"]
    assert [i["id"] for i in text["indicators"]] == ["ilo-forced-labour/7", "unodc-groups/general"]


def test_it_sees_no_indication_without_elements_or_indicators() -> None:
    advice = advise(ADULT)
    assert advice.code == "no_indication"
    assert templates(advice) == ["screening.no_indication", "screening.not_a_decision"]


@pytest.mark.parametrize(
    "data",
    [
        ADULT,
        {**ADULT, "acts": ["receipt"]},
        {**CHILD, "acts": ["receipt"], "purposes": ["forced_begging"]},
    ],
)
def test_it_always_ends_by_saying_it_is_not_a_decision(data: dict[str, Any]) -> None:
    assert templates(advise(data))[-1] == "screening.not_a_decision"
    assert templates(advise(data, "unodc-groups/general"))[-1] == "screening.not_a_decision"


def test_it_refuses_an_unknown_indicator_by_name() -> None:
    with pytest.raises(ValueError, match="'ilo-forced-labour/99'") as raised:
        advise(ADULT, "ilo-forced-labour/1", "ilo-forced-labour/99")
    assert "ilo-forced-labour/1" in str(raised.value)  # the known ids are listed


def test_it_keeps_observed_indicators_in_content_order() -> None:
    ids = observed_indicators(["unodc-groups/children", "ilo-forced-labour/2"])
    assert ids == ("ilo-forced-labour/2", "unodc-groups/children")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_renders_every_sentence_in_every_language(lang: Any) -> None:
    for advice in (
        advise({"acts": ["recruitment"], "purposes": ["forced_labour"]}, "ilo-forced-labour/9"),
        advise(ADULT),
        advise(ADULT, "unodc-groups/children"),
        advise({**CHILD, "acts": ["receipt"], "purposes": ["servitude"]}),
    ):
        rendered = render_advice(advice, lang)
        assert rendered["recommendation"] == advice.code
        assert all(r["text"] and "{" not in r["text"] for r in rendered["explanation"])


def test_it_cites_the_sources_of_the_indicator_sets() -> None:
    rendered = render_advice(advise(ADULT, "ilo-forced-labour/3"), "en")
    assert "ref/ilo-indicators" in [s["id"] for s in rendered["sources"]]


def test_it_links_indicators_to_the_facts_they_point_to() -> None:
    links = indicator_links()
    assert links["ilo-forced-labour/2"].codes == ("fraud", "deception")
    assert links["unodc-groups/children"].codes == ("victim_child",)
    assert "unodc-groups/general" not in links  # points to nothing


def test_it_suggests_the_codes_of_several_indicators_together() -> None:
    assert suggested_codes(["ilo-forced-labour/3", "ilo-forced-labour/10"]) == (
        "harbouring",
        "coercion",
        "forced_labour",
    )
    with pytest.raises(ValueError):
        suggested_codes(["nope"])


def test_it_phrases_the_hints_in_the_reader_language() -> None:
    assert (
        render_indicator_hints("en")["ilo-forced-labour/2"] == "often points to: fraud, deception"
    )
    assert render_indicator_hints("ru")["ilo-forced-labour/2"].startswith("часто указывает на:")


def test_it_suggests_nothing_on_its_own_the_facts_stay_as_recorded() -> None:
    # An indicator that points to a means does not make the means present.
    advice = advise(ADULT, "ilo-forced-labour/2")
    assert advice.elements == ()
    assert advice.code == "refer_for_identification"
