"""``GET /v1/statistics/monthly``: education's 月报 figures for an organisation and everything below
it, for the staff over it. Care files appear only as the care statistics publish them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends
from pydantic import Field

from qingchun_education.adapters.statistics import EducationStatisticsStore
from qingchun_education.app import statistics
from qingchun_education.domain.care_statistics import Cell
from qingchun_education.domain.compliance import ComplianceStatus
from qingchun_education.domain.programmes import ProgrammeKind
from qingchun_education.ports.api import Ctx
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.service import runtime_store
from qingchun_plumbing.statistics import (
    MonthlyAsk,
    MonthlyFiguresOut,
    Rate,
    Tally,
    named_tallies,
    tallies,
)

router = APIRouter(prefix="/v1", tags=["statistics"])
E = TypeVar("E", bound=LabelledEnum)
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}


Store = Annotated[EducationStatisticsStore, Depends(runtime_store(EducationStatisticsStore))]


class EducationMonthlyOut(MonthlyFiguresOut):
    sessions: int = Field(description="课次 — sessions held in the month (courses that ran).")
    attendances: int = Field(description="人次 — learners present at them.")
    sessions_by_programme: list[Tally] = Field(description="各项目课次")
    attendances_by_programme: list[Tally] = Field(description="各项目人次")
    sessions_by_kind: list[Tally] = Field(description="各类项目课次 (读书计划, 七彩假期, 夏令营 …)")
    enrolments: int = Field(description="本月报名")
    completions: int = Field(description="本月结业")
    badges_awarded: int = Field(description="本月颁发奖章 (雏鹰争章)")
    citizen_schools: int = Field(description="市民学校数")
    citizen_schools_by_compliance: list[Tally] = Field(description="市民学校本月达标情况")
    care_visible: bool = Field(description="帮教统计是否可见 — whether this caller may see care statistics.")
    care_small_cell_threshold: int = Field(description="小于此数的格子不公布 (shown as null)")
    care_by_status: list[Tally] = Field(description="帮教档案（按状态） — aggregates only, small cells null.")
    care_figures: list[Tally] = Field(description="帮教统计 — aggregates only, small cells null.")
    care_rates: list[Rate] = Field(description="帮教比率 (改好率 …) — null when withheld.")


def _counts(cells: Mapping[E, Cell]) -> list[Tally]:
    """Care counts as published: a withheld (small) cell stays null."""
    return [
        Tally(code=k.value, label=k.label, count=None if c.value is None else int(c.value))
        for k, c in cells.items()
    ]


def _kinds(counts: Counter[str]) -> list[Tally]:
    return tallies(counts, ProgrammeKind, zeros=False)


@router.get(
    "/statistics/monthly",
    response_model=EducationMonthlyOut,
    summary="月报 figures of education for an organisation and everything below it",
)
async def monthly_statistics(
    caller: CurrentCaller, ctx: Ctx, store: Store, asked: MonthlyAsk
) -> EducationMonthlyOut:
    figures = await statistics.monthly(ctx, store, caller, asked.organization_id, asked.month)
    care = figures.care
    return EducationMonthlyOut(
        **asked.head(),
        sessions=figures.sessions,
        attendances=figures.attendances,
        sessions_by_programme=named_tallies(figures.sessions_by_programme, figures.programme_names),
        attendances_by_programme=named_tallies(figures.attendances_by_programme, figures.programme_names),
        sessions_by_kind=_kinds(figures.sessions_by_kind),
        enrolments=figures.enrolments,
        completions=figures.completions,
        badges_awarded=figures.badges_awarded,
        citizen_schools=sum(figures.citizen_schools.values()),
        citizen_schools_by_compliance=tallies(figures.citizen_schools, ComplianceStatus),
        care_visible=care is not None,
        care_small_cell_threshold=ctx.settings.small_cell_threshold,
        care_by_status=_counts(care.by_status) if care else [],
        care_figures=_counts(care.figures) if care else [],
        care_rates=[Rate(code=r.value, label=r.label, value=c.value) for r, c in care.rates.items()]
        if care
        else [],
    )
