"""创建青年文明社区: a community's path from survey to an achieved youth-civilisation community.

The seed's steps run in order (调查摸底 → 制定方案 → 首批创建 → [示范点] → 总结经验 → 建成), and
each step rests on the one before: no plan without a complete survey, no creating without a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition


class CreationStage(LabelledEnum):
    """Where a community stands in the creation campaign."""

    NOT_STARTED = ("not_started", "未启动")
    SURVEYING = ("surveying", "调查摸底")
    PLANNING = ("planning", "制定方案")
    CREATING = ("creating", "创建中")
    DEMONSTRATION = ("demonstration", "示范点")
    SUMMARISING = ("summarising", "总结经验")
    ACHIEVED = ("achieved", "建成青年文明社区")


class SurveyItem(LabelledEnum):
    """The six "…清" clauses; the survey is complete only when every one is checked."""

    DISTRIBUTION = ("distribution", "分布情况清")
    OFFICE_LOCATION = ("office_location", "办公地点清")
    NEEDS = ("needs", "需求清/人数清")
    DROPOUT_AND_OFFENCES = ("dropout_and_offences", "辍学违法情况清")
    UNITS = ("units", "企业机关学校情况清")
    VOLUNTEER_PROJECTS = ("volunteer_projects", "志愿服务项目内容清")


_COUNT_FIELDS = (
    "youth_count",
    "hardship_household_count",
    "dropout_youth_count",
    "unemployed_youth_count",
    "juvenile_offence_count",
    "volunteer_project_count",
)


@dataclass(frozen=True)
class Survey:
    """调查摸底: the checklist plus the headline numbers the league reports upward."""

    checked: frozenset[SurveyItem] = frozenset()
    youth_count: int = 0
    hardship_household_count: int = 0
    dropout_youth_count: int = 0
    unemployed_youth_count: int = 0
    juvenile_offence_count: int = 0
    volunteer_project_count: int = 0

    @property
    def missing(self) -> list[SurveyItem]:
        """Unchecked clauses in checklist order, so staff see what is left to do."""
        return [item for item in SurveyItem if item not in self.checked]

    @property
    def complete(self) -> bool:
        """做到"六清": every clause checked."""
        return not self.missing

    def validate(self) -> None:
        """Counts are head counts; a negative one is a typing mistake, not data."""
        for name in _COUNT_FIELDS:
            if getattr(self, name) < 0:
                raise DomainError("negative_count", f"{name}不能为负数", field=name)


@dataclass(frozen=True)
class Creation:
    """One community's creation record within a campaign batch."""

    stage: CreationStage = CreationStage.NOT_STARTED
    batch: str | None = None
    plan_title: str | None = None
    survey: Survey | None = None
    is_demonstration: bool = False


_NEXT: dict[CreationStage, frozenset[CreationStage]] = {
    CreationStage.NOT_STARTED: frozenset({CreationStage.SURVEYING}),
    CreationStage.SURVEYING: frozenset({CreationStage.PLANNING}),
    CreationStage.PLANNING: frozenset({CreationStage.CREATING}),
    CreationStage.CREATING: frozenset({CreationStage.DEMONSTRATION, CreationStage.SUMMARISING}),
    CreationStage.DEMONSTRATION: frozenset({CreationStage.SUMMARISING}),
    CreationStage.SUMMARISING: frozenset({CreationStage.ACHIEVED}),
    CreationStage.ACHIEVED: frozenset(),
}


def allowed_next(stage: CreationStage) -> frozenset[CreationStage]:
    """Stages reachable in one step; forward only, so the campaign's history stays truthful."""
    return _NEXT[stage]


def _filled(value: str | None) -> bool:
    return bool(value and value.strip())


def advance(creation: Creation, to: CreationStage) -> Creation:
    """Move one step forward, enforcing what the seed requires before each step."""
    if to not in allowed_next(creation.stage):
        raise InvalidTransition(
            f"不能从“{creation.stage.label}”({creation.stage.value})进入“{to.label}”({to.value})",
            field="to_stage",
        )
    if to is CreationStage.PLANNING:
        missing = creation.survey.missing if creation.survey else list(SurveyItem)
        if missing:
            raise DomainError(
                "survey_incomplete",
                "调查摸底未完成，尚缺：" + "、".join(item.label for item in missing),
                field="survey",
            )
    if to is CreationStage.CREATING:
        if not _filled(creation.plan_title):
            raise DomainError("plan_missing", "进入创建前须先制定创建方案", field="plan_title")
        if not _filled(creation.batch):
            raise DomainError("batch_missing", "进入创建前须确定创建批次", field="batch")
    return replace(
        creation, stage=to, is_demonstration=creation.is_demonstration or to is CreationStage.DEMONSTRATION
    )


def record_survey(creation: Creation, survey: Survey) -> Creation:
    """Store the survey; the plan is built on it, so it is frozen once planning began."""
    if creation.stage not in (CreationStage.NOT_STARTED, CreationStage.SURVEYING):
        raise InvalidTransition(f"“{creation.stage.label}”阶段不能再修改调查摸底", field="survey")
    survey.validate()
    return replace(creation, survey=survey, stage=CreationStage.SURVEYING)


def set_plan(creation: Creation, plan_title: str, batch: str) -> Creation:
    """Record the creation plan and batch; the plan is drafted during the survey or planning steps."""
    if creation.stage not in (CreationStage.SURVEYING, CreationStage.PLANNING):
        raise InvalidTransition(f"“{creation.stage.label}”阶段不能修改创建方案", field="plan_title")
    if not plan_title.strip():
        raise DomainError("plan_missing", "创建方案标题不能为空", field="plan_title")
    if not batch.strip():
        raise DomainError("batch_missing", "创建批次不能为空", field="batch")
    return replace(creation, plan_title=plan_title.strip(), batch=batch.strip())
