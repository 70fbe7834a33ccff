"""A lawyer plans an interview; Tirek holds the plan against the law before
it may be finalised, and against the person's earlier interviews."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import LegalAidCase
from tirek.interviews import actions
from tirek.interviews.models import InterviewPlan, PlanState
from tirek.people.actions import person_update

CHILD_SAFEGUARDS = ["legal_representative", "suitable_room"]


def _in_a_week() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=7)


def _plan(lawyer, case, **changes) -> InterviewPlan:
    values = {
        "audience": "adult",
        "planned_on": _in_a_week(),
        "continuous_minutes": 60,
        "day_minutes": 90,
        "topics": ["work_and_pay"],
        "present": ["breaks", "suitable_room"],
        **changes,
    }
    return actions.plan_create(actor=lawyer, case=case, **values)


def _refusal_codes(excinfo) -> list[str]:
    return [error.code for error in excinfo.value.error_list]


@pytest.fixture
def young_child_case(demo, caseworker):
    """The demo child's case, with the child 11 on the day planned: the demo
    child (born 2010) is past 14 today, so the caseworker corrects the date."""
    person_update(
        actor=caseworker, person=demo["person.child"], birth_date=_in_a_week().replace(year=2015)
    )
    return LegalAidCase.objects.get(pk=demo["case.child"].pk)


def test_it_computes_the_clients_age_on_the_planned_day(demo, lawyer):
    plan = _plan(lawyer, demo["case.child"], audience="child", planned_on=datetime.date(2024, 9, 1))
    assert plan.age == 13
    plan.planned_on = datetime.date(2024, 9, 2)
    assert plan.age == 14


def test_it_refuses_a_young_childs_plan_without_a_psychologist_or_pedagogue(
    young_child_case, lawyer
):
    plan = _plan(
        lawyer, young_child_case, audience="child", present=CHILD_SAFEGUARDS, recording=True
    )
    assert plan.age == 11
    with pytest.raises(ValidationError) as refused:
        actions.plan_finalise(actor=lawyer, plan=plan)
    assert _refusal_codes(refused) == ["interview.missing"]
    assert "Psychologist" in refused.value.messages[0]
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.finalised_at is None
    assert not AuditEvent.objects.filter(action="interviews.plan_finalise").exists()


def test_it_finalises_a_young_childs_plan_with_a_pedagogue(young_child_case, lawyer):
    plan = _plan(
        lawyer,
        young_child_case,
        audience="child",
        present=[*CHILD_SAFEGUARDS, "pedagogue"],
        recording=True,
    )
    warnings = actions.plan_finalise(actor=lawyer, plan=plan)
    assert warnings == ()
    plan.refresh_from_db()
    assert plan.state == PlanState.FINALISED and plan.finalised_by == lawyer
    assert plan.version == 2


def test_it_refuses_a_childs_plan_in_the_users_language(young_child_case, lawyer):
    from django.utils import translation

    plan = _plan(lawyer, young_child_case, audience="child", present=[])
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        actions.plan_finalise(actor=lawyer, plan=plan)
    # The representative, the specialist, the recording and the room: all missing.
    assert len(refused.value.messages) == 4
    assert "Психолог" in " ".join(refused.value.messages)


def test_it_refuses_questioning_longer_than_article_197_allows(demo, lawyer):
    plan = _plan(lawyer, demo["case.adult_labour"], continuous_minutes=300, day_minutes=300)
    with pytest.raises(ValidationError) as refused:
        actions.plan_finalise(actor=lawyer, plan=plan)
    assert _refusal_codes(refused) == ["interview.over_continuous"]
    assert "240" in refused.value.messages[0]


def test_it_warns_about_a_topic_already_covered_naming_the_earlier_record(demo, lawyer):
    case = demo["case.adult_labour"]
    earlier = actions.record_create(
        actor=lawyer,
        case=case,
        held_on=timezone.localdate() - datetime.timedelta(days=20),
        topics=["work_and_pay", "travel"],
        recorded=True,
    )
    plan = _plan(lawyer, case, topics=["work_and_pay", "debts"])
    check = actions.plan_check(plan)
    repeats = [w for w in check.warnings if w.code == "interview.repeat_recorded"]
    assert [w.statement for w in repeats] == [f"interview:{earlier.pk}"]
    assert check.previous_questionings == 1 and check.can_finalise
    warnings = actions.plan_finalise(actor=lawyer, plan=plan)
    assert "interview.repeat_recorded" in [w.code for w in warnings]


def test_a_repeat_warning_points_to_the_testimony_in_the_evidence(demo, lawyer):
    case = demo["case.child"]
    testimony = case.evidence.get(kind="testimony")
    actions.record_create(
        actor=lawyer,
        case=case,
        held_on=timezone.localdate() - datetime.timedelta(days=30),
        topics=["travel"],
        recorded=True,
        evidence=testimony,
    )
    plan = _plan(lawyer, case, audience="child", topics=["travel"])
    statements = [w.statement for w in actions.plan_check(plan).warnings if w.statement]
    assert statements == [f"evidence:{testimony.number}"]


def test_a_witness_history_is_the_same_witness_only(demo, lawyer):
    case = demo["case.adult_labour"]
    first = _plan(lawyer, case, audience="witness", witness_name="Demo Witness-One")
    actions.plan_finalise(actor=lawyer, plan=first)
    actions.record_create(
        actor=lawyer, case=case, plan=first, held_on=timezone.localdate(), topics=["work_and_pay"]
    )
    again = _plan(lawyer, case, audience="witness", witness_name="demo witness-one ")
    other = _plan(lawyer, case, audience="witness", witness_name="Demo Witness-Two")
    client = _plan(lawyer, case)
    assert actions.plan_check(again).previous_questionings == 1
    assert actions.plan_check(other).previous_questionings == 0
    assert actions.plan_check(client).previous_questionings == 0


def test_it_warns_before_a_confrontation(demo, lawyer):
    plan = _plan(lawyer, demo["case.adult_labour"], confrontation=True)
    warnings = actions.plan_finalise(actor=lawyer, plan=plan)
    assert [w.code for w in warnings] == ["interview.confrontation"]
    event = AuditEvent.objects.get(action="interviews.plan_finalise")
    assert event.changes["warnings"] == [None, ["interview.confrontation"]]


def test_it_refuses_codes_that_are_not_in_the_content(demo, lawyer):
    with pytest.raises(ValidationError) as refused:
        _plan(lawyer, demo["case.adult_labour"], topics=["astrology"])
    assert "topics" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _plan(lawyer, demo["case.adult_labour"], continuous_minutes=120, day_minutes=60)
    with pytest.raises(ValidationError) as refused:
        _plan(lawyer, demo["case.adult_labour"], audience="witness")
    assert "witness_name" in refused.value.message_dict


def test_changing_a_finalised_plan_sends_it_back_to_draft(demo, lawyer):
    plan = _plan(lawyer, demo["case.adult_labour"])
    actions.plan_finalise(actor=lawyer, plan=plan)
    actions.plan_update(
        actor=lawyer,
        plan=plan,
        expected_version=plan.version,
        continuous_minutes=300,
        day_minutes=300,
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.finalised_by is None and plan.version == 3
    with pytest.raises(ValidationError):
        actions.plan_finalise(actor=lawyer, plan=plan)


def test_recording_the_interview_marks_the_plan_held(demo, lawyer):
    case = demo["case.adult_labour"]
    plan = _plan(lawyer, case)
    with pytest.raises(ValidationError):  # a draft is not held
        actions.record_create(actor=lawyer, case=case, plan=plan, held_on=timezone.localdate())
    actions.plan_finalise(actor=lawyer, plan=plan)
    record = actions.record_create(
        actor=lawyer, case=case, plan=plan, held_on=timezone.localdate(), duration_minutes=75
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.HELD and plan.record == record
    with pytest.raises(ValidationError):
        actions.plan_update(actor=lawyer, plan=plan, expected_version=plan.version, topics=[])
    with pytest.raises(ValidationError):
        actions.record_create(actor=lawyer, case=case, plan=plan, held_on=timezone.localdate())


def test_only_the_cases_testimony_can_be_linked(demo, lawyer):
    other = demo["case.child"].evidence.get(kind="testimony")
    with pytest.raises(ValidationError) as refused:
        actions.record_create(
            actor=lawyer,
            case=demo["case.adult_labour"],
            held_on=timezone.localdate(),
            evidence=other,
        )
    assert "evidence" in refused.value.message_dict


def test_a_checklist_item_is_ticked_once_and_only_from_the_content(demo, lawyer):
    plan = _plan(lawyer, demo["case.adult_labour"])
    actions.checklist_tick(actor=lawyer, plan=plan, moment="before", item="before/consent")
    actions.checklist_tick(actor=lawyer, plan=plan, moment="before", item="before/consent")
    assert plan.ticks.count() == 1
    assert AuditEvent.objects.filter(action="interviews.checklist_tick").count() == 1
    with pytest.raises(ValidationError):  # for children only
        actions.checklist_tick(actor=lawyer, plan=plan, moment="before", item="before/child-room")
    with pytest.raises(ValidationError):  # not a moment of that item
        actions.checklist_tick(actor=lawyer, plan=plan, moment="after", item="before/consent")
    actions.checklist_untick(actor=lawyer, plan=plan, moment="before", item="before/consent")
    assert plan.ticks.count() == 0
