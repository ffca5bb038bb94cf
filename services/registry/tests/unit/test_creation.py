"""创建青年文明社区: stage rules and the survey checklist."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from qingchun_registry.domain.creation import (
    Creation,
    CreationStage,
    Survey,
    SurveyItem,
    advance,
    allowed_next,
    record_survey,
    set_plan,
)
from qingchun_registry.domain.errors import DomainError, InvalidTransition

S = CreationStage
ORDER = list(CreationStage)
# The seed's step graph, written out independently of the module under test.
EDGES = {
    (S.NOT_STARTED, S.SURVEYING),
    (S.SURVEYING, S.PLANNING),
    (S.PLANNING, S.CREATING),
    (S.CREATING, S.DEMONSTRATION),
    (S.CREATING, S.SUMMARISING),
    (S.DEMONSTRATION, S.SUMMARISING),
    (S.SUMMARISING, S.ACHIEVED),
}
COMPLETE = Survey(checked=frozenset(SurveyItem), youth_count=320, volunteer_project_count=4)

counts = st.integers(min_value=-3, max_value=500)
surveys = st.builds(
    Survey,
    checked=st.frozensets(st.sampled_from(SurveyItem)),
    youth_count=counts,
    hardship_household_count=counts,
    dropout_youth_count=counts,
    unemployed_youth_count=counts,
    juvenile_offence_count=counts,
    volunteer_project_count=counts,
)
words = st.sampled_from(["", "  ", "首批", "第二批", "孝南区创建方案"])


def test_allowed_next_is_the_seed_graph() -> None:
    assert {(a, b) for a in S for b in allowed_next(a)} == EDGES
    assert allowed_next(S.ACHIEVED) == frozenset()


def test_happy_path_through_demonstration() -> None:
    creation = record_survey(Creation(), COMPLETE)
    assert creation.stage is S.SURVEYING
    creation = set_plan(creation, " 广场街道创建方案 ", "首批")
    assert (creation.plan_title, creation.batch) == ("广场街道创建方案", "首批")
    for stage in (S.PLANNING, S.CREATING, S.DEMONSTRATION, S.SUMMARISING, S.ACHIEVED):
        creation = advance(creation, stage)
    assert creation == Creation(S.ACHIEVED, "首批", "广场街道创建方案", COMPLETE, is_demonstration=True)


def test_skipping_a_stage_names_both_stages() -> None:
    with pytest.raises(InvalidTransition) as excinfo:
        advance(Creation(), S.CREATING)
    error = excinfo.value
    assert (error.code, error.field) == ("invalid_transition", "to_stage")
    assert "未启动" in error.message
    assert "创建中" in error.message


def test_planning_needs_a_complete_survey_and_lists_what_is_missing() -> None:
    partial = Survey(checked=frozenset({SurveyItem.DISTRIBUTION, SurveyItem.NEEDS}))
    assert partial.missing == [
        SurveyItem.OFFICE_LOCATION,
        SurveyItem.DROPOUT_AND_OFFENCES,
        SurveyItem.UNITS,
        SurveyItem.VOLUNTEER_PROJECTS,
    ]
    with pytest.raises(DomainError) as excinfo:
        advance(record_survey(Creation(), partial), S.PLANNING)
    assert (excinfo.value.code, excinfo.value.field) == ("survey_incomplete", "survey")
    assert "办公地点清" in excinfo.value.message
    assert "分布情况清" not in excinfo.value.message
    with pytest.raises(DomainError, match="志愿服务项目内容清"):
        advance(Creation(stage=S.SURVEYING), S.PLANNING)


def test_creating_needs_plan_then_batch() -> None:
    planning = Creation(stage=S.PLANNING, survey=COMPLETE)
    with pytest.raises(DomainError) as excinfo:
        advance(planning, S.CREATING)
    assert (excinfo.value.code, excinfo.value.field) == ("plan_missing", "plan_title")
    with pytest.raises(DomainError) as excinfo:
        advance(Creation(stage=S.PLANNING, plan_title="方案", batch=" "), S.CREATING)
    assert (excinfo.value.code, excinfo.value.field) == ("batch_missing", "batch")


def test_survey_is_frozen_once_planning_began() -> None:
    with pytest.raises(InvalidTransition) as excinfo:
        record_survey(Creation(stage=S.PLANNING, survey=COMPLETE), Survey())
    assert excinfo.value.field == "survey"
    with pytest.raises(InvalidTransition):
        set_plan(Creation(), "方案", "首批")
    with pytest.raises(InvalidTransition):
        set_plan(Creation(stage=S.CREATING), "方案", "首批")


@pytest.mark.parametrize(
    "name",
    [
        "youth_count",
        "hardship_household_count",
        "dropout_youth_count",
        "unemployed_youth_count",
        "juvenile_offence_count",
        "volunteer_project_count",
    ],
)
def test_negative_counts_name_their_field(name: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        record_survey(Creation(), Survey(**{name: -1}))  # type: ignore[arg-type]
    assert (excinfo.value.code, excinfo.value.field) == ("negative_count", name)


@given(st.frozensets(st.sampled_from(SurveyItem)))
def test_survey_missing_is_the_complement_in_order(checked: frozenset[SurveyItem]) -> None:
    survey = Survey(checked=checked)
    assert set(survey.missing) == set(SurveyItem) - checked
    assert survey.missing == sorted(survey.missing, key=list(SurveyItem).index)
    assert survey.complete == (checked == frozenset(SurveyItem))


def attempt(action: Callable[[], Creation]) -> tuple[Creation | None, DomainError | None]:
    """Run one staff action, returning its result or the refusal so rules can check either."""
    try:
        return action(), None
    except DomainError as error:
        return None, error


class CreationMachine(RuleBasedStateMachine):
    """Random sequences of staff actions never break the campaign's invariants."""

    def __init__(self) -> None:
        super().__init__()
        self.creation = Creation()
        self.highest = 0
        self.visited = {S.NOT_STARTED}
        self.frozen_survey: Survey | None = None

    def _moved(self, after: Creation) -> None:
        self.creation = after
        self.visited.add(after.stage)

    @rule(to=st.sampled_from(CreationStage))
    def try_any_stage(self, to: CreationStage) -> None:
        self._attempt(to)

    @precondition(lambda self: self.creation.stage is not S.ACHIEVED)
    @rule(data=st.data())
    def try_next_stage(self, data: st.DataObject) -> None:
        """Bias towards legal moves so long runs reach the late stages."""
        successors = sorted(b for a, b in EDGES if a is self.creation.stage)
        self._attempt(data.draw(st.sampled_from(successors)))

    def _attempt(self, to: CreationStage) -> None:
        before = self.creation
        after, error = attempt(lambda: advance(before, to))
        if isinstance(error, InvalidTransition):
            assert (before.stage, to) not in EDGES
            return
        assert (before.stage, to) in EDGES
        if error is not None:
            assert error.code in {"survey_incomplete", "plan_missing", "batch_missing"}
            return
        assert after is not None
        assert after.stage is to
        if to is S.PLANNING:
            self.frozen_survey = after.survey
        self._moved(after)

    @rule(survey=st.just(COMPLETE) | surveys)
    def try_record_survey(self, survey: Survey) -> None:
        before = self.creation
        after, error = attempt(lambda: record_survey(before, survey))
        if isinstance(error, InvalidTransition):
            assert before.stage not in (S.NOT_STARTED, S.SURVEYING)
            return
        if error is not None:
            assert error.code == "negative_count"
            assert getattr(survey, error.field or "") < 0
            return
        assert after is not None
        assert after.stage is S.SURVEYING
        assert after.survey == survey
        self._moved(after)

    @rule(title=words, batch=words)
    def try_set_plan(self, title: str, batch: str) -> None:
        before = self.creation
        after, error = attempt(lambda: set_plan(before, title, batch))
        if isinstance(error, InvalidTransition):
            assert before.stage not in (S.SURVEYING, S.PLANNING)
            return
        if error is not None:
            assert error.code in {"plan_missing", "batch_missing"}
            assert not (title.strip() and batch.strip())
            return
        assert after is not None
        assert after.stage is before.stage
        self._moved(after)

    @precondition(lambda self: self.creation.stage is S.ACHIEVED)
    @rule(to=st.sampled_from(CreationStage))
    def achieved_is_terminal(self, to: CreationStage) -> None:
        with pytest.raises(InvalidTransition):
            advance(self.creation, to)

    @invariant()
    def stage_never_goes_backwards(self) -> None:
        index = ORDER.index(self.creation.stage)
        assert index >= self.highest
        self.highest = index

    @invariant()
    def later_stages_rest_on_earlier_ones(self) -> None:
        creation = self.creation
        index = ORDER.index(creation.stage)
        if index >= ORDER.index(S.PLANNING):
            assert creation.survey is not None
            assert creation.survey.complete
            assert creation.survey == self.frozen_survey
        if index >= ORDER.index(S.CREATING):
            assert creation.plan_title
            assert creation.plan_title.strip()
            assert creation.batch
            assert creation.batch.strip()
        if creation.stage is S.ACHIEVED:
            assert {S.SURVEYING, S.PLANNING, S.CREATING, S.SUMMARISING} <= self.visited

    @invariant()
    def demonstration_flag_iff_visited(self) -> None:
        assert self.creation.is_demonstration == (S.DEMONSTRATION in self.visited)


TestCreationMachine = CreationMachine.TestCase
