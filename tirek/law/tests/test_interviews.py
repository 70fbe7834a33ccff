"""Interview plans: the child's safeguards refuse, unverified limits warn, repeats are counted."""

from dataclasses import replace
from datetime import date

import pytest

from tirek.law.check import check_content
from tirek.law.content import law_content
from tirek.law.interviews import (
    InterviewError,
    PlanFacts,
    Questioning,
    check_plan,
    checklist_for,
    content_problems,
    questions_for,
    render_plan_check,
)
from tirek.law.model import LANGUAGES, PHASES, LawContent

DAY = date(2026, 12, 1)
CHILD_PEOPLE = frozenset({"legal_representative", "psychologist", "suitable_room"})


def child_plan(**changes: object) -> PlanFacts:
    plan = PlanFacts(
        audience="child",
        age=9,
        planned_on=DAY,
        continuous_minutes=60,
        day_minutes=60,
        present=CHILD_PEOPLE,
        recording=True,
    )
    return replace(plan, **changes)  # type: ignore[arg-type]


def adult_plan(**changes: object) -> PlanFacts:
    plan = PlanFacts(
        audience="adult", age=30, planned_on=DAY, continuous_minutes=60, day_minutes=60
    )
    return replace(plan, **changes)  # type: ignore[arg-type]


def codes(findings: object) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]


def with_rule_verified(rule_id: str) -> LawContent:
    law = law_content()
    verified = next(r for r in law.interviews.safeguards if r.id == "questioning-duration")
    rules = tuple(
        replace(r, verification=verified.verification, enforcement="refuse")
        if r.id == rule_id
        else r
        for r in law.interviews.safeguards
    )
    return replace(law, interviews=replace(law.interviews, safeguards=rules))


def test_it_refuses_a_child_plan_without_a_psychologist_or_pedagogue_citing_the_rule() -> None:
    check = check_plan(child_plan(present=CHILD_PEOPLE - {"psychologist"}))
    assert not check.can_finalise
    [refusal] = check.refusals
    assert refusal.rule == "child-under-14-specialist"
    assert refusal.sources == ("kg-cpc-2021/203/1",)
    text = render_plan_check(check, "en")["refusals"][0]["text"]
    assert "CPC 2021 art. 203 part 1" in text and "Psychologist or Pedagogue" in text


def test_it_passes_a_child_plan_with_the_people_the_law_requires() -> None:
    check = check_plan(child_plan())
    assert check.child and check.can_finalise and check.warnings == ()
    with_pedagogue = child_plan(present=CHILD_PEOPLE - {"psychologist"} | {"pedagogue"})
    assert check_plan(with_pedagogue).can_finalise


def test_it_refuses_a_child_plan_without_a_legal_representative_or_recording() -> None:
    check = check_plan(child_plan(present=CHILD_PEOPLE - {"legal_representative"}))
    assert [r.rule for r in check.refusals] == ["child-representative"]
    officer = CHILD_PEOPLE - {"legal_representative"} | {"child_protection_officer"}
    assert check_plan(child_plan(present=officer)).can_finalise
    unrecorded = check_plan(child_plan(recording=False))
    assert [r.rule for r in unrecorded.refusals] == ["child-recording"]


def test_it_needs_no_psychologist_from_fourteen_but_assumes_one_when_the_age_is_unknown() -> None:
    without = CHILD_PEOPLE - {"psychologist"}
    assert check_plan(child_plan(age=15, present=without)).can_finalise
    unknown = check_plan(child_plan(age=None, present=without))
    assert codes(unknown.refusals) == ["interview.missing_age_unknown"]


def test_it_warns_on_an_unverified_duration_limit_and_refuses_once_verified() -> None:
    long = child_plan(continuous_minutes=150, day_minutes=150)
    check = check_plan(long)
    assert check.can_finalise
    assert codes(check.warnings) == ["interview.over_continuous_unverified"]
    verified = with_rule_verified("child-duration-precaution")
    refused = check_plan(long, verified)
    assert codes(refused.refusals) == ["interview.over_continuous"]
    assert refused.refusals[0].rule == "child-duration-precaution"


def test_it_refuses_any_plan_over_the_verified_statutory_limit() -> None:
    check = check_plan(child_plan(continuous_minutes=250, day_minutes=250))
    assert "questioning-duration" in [r.rule for r in check.refusals]
    assert "kg-cpc-2021/197/2" in check.refusals[0].sources


def test_it_never_refuses_an_adult_for_the_child_safeguards() -> None:
    check = check_plan(adult_plan(continuous_minutes=180, day_minutes=400))
    assert not check.child and check.can_finalise and check.warnings == ()


def test_it_applies_the_child_rules_when_the_age_says_child() -> None:
    check = check_plan(adult_plan(age=16))
    assert check.child and not check.can_finalise
    assert codes(check.warnings)[0] == "interview.child_by_age"


def test_it_points_to_the_recorded_statement_when_a_topic_was_covered() -> None:
    earlier = (
        Questioning(date(2026, 3, 1), frozenset({"recruitment"}), recorded=False),
        Questioning(date(2026, 5, 1), frozenset({"recruitment", "travel"}), True, "evidence-7"),
    )
    check = check_plan(adult_plan(topics=frozenset({"recruitment", "health"}), history=earlier))
    [repeat] = [w for w in check.warnings if w.code == "interview.repeat_recorded"]
    assert repeat.statement == "evidence-7"
    assert check.previous_questionings == 2
    assert "interview.many_questionings" in codes(check.warnings)
    covered = {t.topic: t for t in check.topics_covered}
    assert covered["recruitment"].dates == (date(2026, 3, 1), date(2026, 5, 1))
    assert covered["travel"].recorded_statements == ("evidence-7",)
    text = render_plan_check(check, "ru")["warnings"][1]["text"]
    assert "Вербовка" in text and "01.05.2026" in text


def test_it_asks_for_only_what_is_new_when_the_earlier_account_was_not_recorded() -> None:
    earlier = (Questioning(date(2026, 3, 1), frozenset({"debts"}), recorded=False),)
    check = check_plan(adult_plan(topics=frozenset({"debts"}), history=earlier))
    assert codes(check.warnings) == ["interview.repeat_unrecorded"]


def test_it_warns_before_a_confrontation() -> None:
    adult = check_plan(adult_plan(confrontation=True))
    assert adult.can_finalise and codes(adult.warnings) == ["interview.confrontation"]
    child = check_plan(child_plan(confrontation=True))
    assert codes(child.warnings) == ["interview.confrontation_child"]


def test_it_requires_an_interpreter_the_person_needs_and_warns_about_unmet_requests() -> None:
    check = check_plan(adult_plan(needs=frozenset({"interpreter", "interviewer_gender"})))
    assert [r.rule for r in check.refusals] == ["interpreter-needed"]
    assert [w.rule for w in check.warnings] == ["interviewer-gender-asked"]
    with_interpreter = adult_plan(
        needs=frozenset({"interpreter"}), present=frozenset({"interpreter"})
    )
    assert [w.rule for w in check_plan(with_interpreter).warnings] == ["interpreter-recording"]


def test_it_rejects_facts_that_make_no_sense() -> None:
    with pytest.raises(InterviewError):
        check_plan(adult_plan(present=frozenset({"tea"})))
    with pytest.raises(InterviewError):
        check_plan(adult_plan(continuous_minutes=90, day_minutes=30))


def test_it_gives_questions_in_phase_order_with_child_versions_for_children() -> None:
    child = questions_for("child", {"travel", "living_conditions"})
    phases = [PHASES.index(q.phase) for q in child]
    assert phases == sorted(phases) and set(phases) == set(range(len(PHASES)))
    assert all("child" in q.audiences for q in child)
    assert questions_for("witness_child", {"travel"}) == questions_for("child", {"travel"})
    adult = questions_for("adult", {"travel"})
    assert not {q.id for q in adult} & {q.id for q in child}
    focused = [q for q in adult if q.phase == "focused"]
    assert focused and all(q.topic == "travel" for q in focused)


def test_it_keeps_every_question_open_in_three_languages_with_a_source() -> None:
    bank = law_content().interviews
    assert 35 <= len(bank.questions) <= 50
    for q in bank.questions:
        assert q.open and q.sources
        assert all(q.text.in_(lang).strip() for lang in LANGUAGES)
    assert {a for q in bank.questions for a in q.audiences} == {"adult", "child", "witness"}


def test_it_has_checklists_before_and_after_with_child_items_only_for_children() -> None:
    before_adult = checklist_for("before", child=False)
    before_child = checklist_for("before", child=True)
    assert before_adult and len(before_child) > len(before_adult)
    assert checklist_for("after", child=False)


def test_it_lets_only_verified_rules_refuse() -> None:
    law = law_content()
    for rule in law.interviews.safeguards:
        if rule.enforcement == "refuse":
            assert rule.verification.status == "verified", rule.id
    broken = replace(
        law,
        interviews=replace(
            law.interviews,
            safeguards=tuple(
                replace(r, enforcement="refuse") if r.id == "child-duration-precaution" else r
                for r in law.interviews.safeguards
            ),
        ),
    )
    assert any("only a verified rule" in p for p in content_problems(broken))
    # Even content that says "refuse" cannot block a plan on an unverified rule.
    check = check_plan(child_plan(continuous_minutes=150, day_minutes=150), broken)
    assert check.can_finalise


def test_its_content_holds_together_and_law_check_still_passes() -> None:
    assert content_problems() == []
    assert check_content() == []
