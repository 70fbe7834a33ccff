"""The procedure: stages, decisions, deadlines and the playbook, as the patterns
in patterns/procedure/*.yaml state them, and the interface the case workspace
relies on."""

from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tirek.law import procedure
from tirek.law.content import law_content
from tirek.law.model import Period, Source, Text
from tirek.law.procedure import (
    CaseFacts,
    ComputedDeadline,
    PlaybookAction,
    ProceduralEvent,
    ProcedureError,
)

PATTERNS = Path(__file__).resolve().parent / "patterns" / "procedure"


def cases(name: str) -> list[Any]:
    loaded = yaml.safe_load((PATTERNS / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in loaded]


def day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def test_it_has_at_least_twenty_five_patterns_each_with_a_reason() -> None:
    every = cases("deadlines.yaml") + cases("next_actions.yaml")
    assert len(every) >= 25
    assert all(param.values[0]["why"].strip() for param in every)


# --- Deadlines ----------------------------------------------------------------------


def event_from(raw: dict[str, Any]) -> ProceduralEvent:
    return ProceduralEvent(
        decision=raw["decision"],
        kind=raw["kind"],
        occurred_on=date.fromisoformat(raw["occurred_on"]),
        received_on=day(raw["received_on"]),
        lawyer_role=raw["lawyer_role"],
    )


@pytest.mark.parametrize("case", cases("deadlines.yaml"))
def test_it_computes_deadlines_as_the_code_says(case: dict[str, Any]) -> None:
    found = procedure.deadlines_for(event_from(case["event"]))
    by_rule = {d.rule: d for d in found}
    explain = f"{case['name']} — {case['why']}\n" + "\n".join(
        f"{d.rule}: {d.due_on} ({d.verification}) {d.note.en}" for d in found
    )
    if "rules" in case:
        assert [d.rule for d in found] == case["rules"], explain
    for rule, expected in case.get("expect", {}).items():
        assert rule in by_rule, explain
        deadline = by_rule[rule]
        if "due_on" in expected:
            assert deadline.due_on == day(expected["due_on"]), explain
        if "counted_from" in expected:
            assert deadline.counted_from == day(expected["counted_from"]), explain
        if "verification" in expected:
            assert deadline.verification == expected["verification"], explain
        if "note_contains" in expected:
            assert expected["note_contains"] in deadline.note.en, explain


def test_it_never_dates_a_rule_without_a_verified_figure() -> None:
    for rule in procedure.deadline_rules():
        computed = procedure.compute(rule, date(2024, 3, 1), date(2024, 3, 1))
        if rule.period is None or rule.verification.status != "verified":
            assert computed.due_on is None, rule.id
            assert "check manually" in computed.note.en
        else:
            assert computed.due_on is not None, rule.id


def test_it_gives_every_deadline_its_source_and_three_languages() -> None:
    event = ProceduralEvent(
        "conviction", "decision", date(2024, 4, 10), None, "victim_representative"
    )
    for deadline in procedure.deadlines_for(event):
        assert isinstance(deadline, ComputedDeadline)
        assert isinstance(deadline.basis, Source) and deadline.basis.citation.startswith("CPC 2021")
        assert deadline.verification in ("verified", "secondary", "unverified")
        assert all(deadline.note.in_(lang) for lang in ("ky", "ru", "en"))
        assert deadline.label.ru and deadline.label.ky


def test_it_counts_periods_as_article_137_says() -> None:
    add = procedure.add_period
    assert add(date(2024, 3, 1), Period(10, "days")) == date(2024, 3, 11)
    assert add(date(2024, 1, 31), Period(1, "months")) == date(2024, 2, 29)
    assert add(date(2023, 1, 31), Period(1, "months")) == date(2023, 2, 28)
    assert add(date(2024, 11, 30), Period(3, "months")) == date(2025, 2, 28)
    assert add(date(2024, 2, 29), Period(1, "years")) == date(2025, 2, 28)
    assert add(date(2024, 3, 5), Period(24, "hours")) == date(2024, 3, 6)
    assert procedure.next_working_day(date(2024, 3, 12))[0] == date(2024, 3, 12)
    assert procedure.next_working_day(date(2024, 3, 10))[:2] == (date(2024, 3, 11), "verified")
    assert procedure.next_working_day(date(2024, 3, 9))[:2] == (date(2024, 3, 11), "unverified")
    assert procedure.next_working_day(date(2024, 3, 9), verified_only=True)[0] == date(2024, 3, 9)


def test_it_refuses_unknown_codes_naming_the_allowed_ones() -> None:
    with pytest.raises(ProcedureError, match="termination"):
        procedure.deadlines_for(
            ProceduralEvent(
                "terminated", "decision", date(2024, 3, 1), None, "victim_representative"
            )
        )
    with pytest.raises(ProcedureError, match="defence_counsel"):
        procedure.deadlines_for(ProceduralEvent(None, "decision", date(2024, 3, 1), None, "judge"))
    with pytest.raises(ProcedureError, match="hearing"):
        procedure.deadlines_for(
            ProceduralEvent(None, "party", date(2024, 3, 1), None, "victim_representative")
        )
    with pytest.raises(ProcedureError):
        procedure.stage("trial")
    with pytest.raises(ProcedureError):
        procedure.decision("verdict")


# --- Stages and decisions -------------------------------------------------------------


def test_it_lists_the_stages_in_order_from_registration() -> None:
    codes = [s.code for s in procedure.stages()]
    assert codes == [
        "registration",
        "pre_investigation_check",
        "investigation",
        "prosecutor",
        "first_instance",
        "appeal",
        "cassation",
        "enforcement",
        "closed",
    ]
    check = procedure.stage("pre_investigation_check")
    assert check.verification.status == "verified" and check.basis
    assert "2023" in check.verification.note.en


def test_it_says_who_may_challenge_a_decision_and_before_whom() -> None:
    refusal = procedure.decision("refusal_to_open")
    assert refusal.moves_to == "closed" and refusal.victim_can_challenge
    challenge = refusal.challenge_for("victim_representative")
    assert challenge is not None and "prosecutor" in challenge.route.en
    assert [s.citation for s in challenge.basis] == ["CPC 2021, art. 154 part 3"]
    assert procedure.decision("termination").challenge_for("defence_counsel") is not None
    assert procedure.decision("acquittal").challenge_for("defence_counsel") is None
    assert not procedure.decision("indictment_approved").victim_can_challenge
    assert procedure.decision("indictment_approved").moves_to == "first_instance"
    assert procedure.decision("civil_claim_filed").moves_to is None


def test_it_defines_the_lawyer_roles_in_three_languages() -> None:
    assert [r.code for r in procedure.roles()] == [
        "victim_representative",
        "defence_counsel",
        "civil_claimant_representative",
    ]
    assert all(r.label.ky and r.label.ru and r.label.en for r in procedure.roles())


def test_it_keeps_the_results_frozen() -> None:
    event = ProceduralEvent(
        "termination", "decision", date(2024, 3, 1), None, "victim_representative"
    )
    deadline = procedure.deadlines_for(event)[0]
    with pytest.raises(FrozenInstanceError):
        deadline.due_on = None  # type: ignore[misc]


def test_it_keeps_the_procedural_limits_out_of_the_legal_analysis() -> None:
    law = law_content()
    shown = [t.id for t in law.time_limits if t.in_analysis]
    assert "limit/appeal-verdict" in shown and "limit/complaint-termination" not in shown


# --- The playbook -----------------------------------------------------------------------


def facts_from(raw: dict[str, Any]) -> CaseFacts:
    return CaseFacts(
        stage=raw["stage"],
        lawyer_role=raw.get("lawyer_role", "victim_representative"),
        client_is_child=raw.get("client_is_child", False),
        client_threatened=raw.get("client_threatened", False),
        interpreter_needed=raw.get("interpreter_needed", False),
        civil_claim_filed=raw.get("civil_claim_filed", False),
        last_decision=raw.get("last_decision"),
        last_decision_received_on=day(raw.get("last_decision_received_on")),
        opened_on=date(2024, 1, 15),
        today=day(raw.get("today", "2024-03-01")) or date(2024, 3, 1),
        done_steps=frozenset(raw.get("done_steps", [])),
        last_decision_made_on=day(raw.get("last_decision_made_on")),
    )


@pytest.mark.parametrize("case", cases("next_actions.yaml"))
def test_it_proposes_the_next_actions_as_the_playbook_says(case: dict[str, Any]) -> None:
    actions = procedure.next_actions(facts_from(case["case"]))
    steps = [a.step for a in actions]
    by_step = {a.step: a for a in actions}
    expect = case["expect"]
    explain = f"{case['name']} — {case['why']}\n{[(a.step, a.due_on) for a in actions]}"
    assert set(expect.get("included", [])) <= set(steps), explain
    assert not set(expect.get("excluded", [])) & set(steps), explain
    if "first" in expect:
        assert steps[0] == expect["first"], explain
    for step, due in expect.get("due", {}).items():
        assert by_step[step].due_on == day(due), explain
    for step, status in expect.get("verification", {}).items():
        assert by_step[step].verification == status, explain


def test_it_orders_actions_by_due_date_then_playbook_order() -> None:
    actions = procedure.next_actions(
        facts_from(
            {
                "stage": "closed",
                "lawyer_role": "defence_counsel",
                "last_decision": "termination",
                "last_decision_received_on": "2024-03-01",
            }
        )
    )
    dated = [a for a in actions if a.due_on is not None]
    assert actions[: len(dated)] == tuple(dated)
    order = [s.code for s in procedure.playbook().steps]
    undated = [order.index(a.step) for a in actions[len(dated) :]]
    assert undated == sorted(undated)


def test_it_gives_every_step_a_source_and_three_languages() -> None:
    playbook = procedure.playbook()
    assert playbook.version >= 1
    codes = {s.code for s in playbook.steps}
    assert {
        "first_meeting",
        "enter_case",
        "protection_measures",
        "child_legal_representative",
        "child_psychologist_pedagogue",
        "interpreter",
        "compensation_claim",
        "challenge_refusal_to_open",
        "challenge_termination",
        "closed_hearing",
        "avoid_confrontation",
        "non_punishment",
        "appeal",
    } <= codes
    for step in playbook.steps:
        assert step.basis, step.code
        assert all(isinstance(t, Text) for t in (step.title, step.explanation))
    action = procedure.next_actions(facts_from({"stage": "investigation"}))[0]
    assert isinstance(action, PlaybookAction) and action.basis


# --- law check guards the procedure content ------------------------------------------


def problems_after(tmp_path: Path, name: str, old: str, new: str) -> list[str]:
    from tirek.law.tests.test_content import problems_after as mutate

    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return mutate(tmp_path, name, change)


def test_check_reports_a_decision_moving_to_an_unknown_stage(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, "procedure.yaml", "moves_to: pre_investigation_check", "moves_to: inquiry"
    )
    assert any("unknown stage 'inquiry'" in p for p in problems)


def test_check_reports_a_step_due_by_a_rule_its_decision_does_not_start(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, "playbook.yaml", "due: limit/complaint-suspension", "due: limit/appeal-verdict"
    )
    assert any("do not all start 'limit/appeal-verdict'" in p for p in problems)


def test_check_reports_a_missing_counting_rule(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, "counting.yaml", "code: months_by_calendar", "code: months_roughly"
    )
    assert any("months_by_calendar" in p for p in problems)


def test_check_reports_counting_notes_with_different_placeholders(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        "counting.yaml",
        'en: "{value} days: the starting day',
        'en: "{count} days: the starting day',
    )
    assert any("counting notes.days" in p for p in problems)
