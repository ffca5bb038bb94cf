"""``GET /v1/statistics/monthly``: employment's 月报 figures for an organisation and everything
below it, for the league staff over it (counts only, never a seeker)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from qingchun_employment.adapters.statistics import EmploymentStatisticsStore
from qingchun_employment.app import statistics
from qingchun_employment.domain.loans import LoanStatus
from qingchun_employment.domain.seekers import SeekerCategory
from qingchun_employment.domain.ventures import VentureKind
from qingchun_employment.ports.api import Ctx
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.service import runtime_store
from qingchun_plumbing.statistics import MonthlyAsk, MonthlyFiguresOut, Tally, tallies

router = APIRouter(prefix="/v1", tags=["statistics"])
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}


Store = Annotated[EmploymentStatisticsStore, Depends(runtime_store(EmploymentStatisticsStore))]


class EmploymentMonthlyOut(MonthlyFiguresOut):
    postings_published: int = Field(description="本月发布用工信息")
    postings_filled: int = Field(description="本月招满用工信息")
    applications: int = Field(description="本月求职申请")
    hires: int = Field(description="本月实现就业（入职）")
    seekers: int = Field(description="登记求职者 — at the month's end.")
    seekers_registered: int = Field(description="本月新登记求职者")
    seekers_by_category: list[Tally] = Field(description="求职者类别")
    loans_applied: int = Field(description="本月申请小额担保贷款")
    loans_by_status: list[Tally] = Field(description="贷款状态 — as they stand now.")
    ventures_started: int = Field(description="本月新创业项目")
    ventures_by_kind: list[Tally] = Field(description="创业类型")


@router.get(
    "/statistics/monthly",
    response_model=EmploymentMonthlyOut,
    summary="月报 figures of employment for an organisation and everything below it",
)
async def monthly_statistics(
    caller: CurrentCaller, ctx: Ctx, store: Store, asked: MonthlyAsk
) -> EmploymentMonthlyOut:
    figures = await statistics.monthly(ctx, store, caller, asked.organization_id, asked.month)
    return EmploymentMonthlyOut(
        **asked.head(),
        postings_published=figures.postings_published,
        postings_filled=figures.postings_filled,
        applications=figures.applications,
        hires=figures.hires,
        seekers=figures.seekers,
        seekers_registered=figures.seekers_registered,
        seekers_by_category=tallies(figures.seekers_by_category, SeekerCategory, zeros=False),
        loans_applied=figures.loans_applied,
        loans_by_status=tallies(figures.loans_by_status, LoanStatus),
        ventures_started=figures.ventures_started,
        ventures_by_kind=tallies(figures.ventures_by_kind, VentureKind),
    )
