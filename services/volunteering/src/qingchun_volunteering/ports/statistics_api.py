"""``GET /v1/statistics/monthly`` (volunteering's 月报 figures) and ``GET /v1/statistics/monthly/activities``
(the month's activity ledger, 活动台账), for organisers whose scope covers the organisation."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page
from qingchun_plumbing.service import runtime_store
from qingchun_plumbing.statistics import (
    MonthlyAsk,
    MonthlyFiguresOut,
    MonthParam,
    OrganizationParam,
    Tally,
    named_tallies,
    tallies,
)
from qingchun_volunteering.adapters.statistics import VolunteeringStatisticsStore
from qingchun_volunteering.app import statistics
from qingchun_volunteering.domain.activities import ActivityCategory
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit

router = APIRouter(prefix="/v1", tags=["statistics"])
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}


Store = Annotated[VolunteeringStatisticsStore, Depends(runtime_store(VolunteeringStatisticsStore))]


class VolunteeringMonthlyOut(MonthlyFiguresOut):
    activities: int = Field(description="开展活动数 — activities with a session in the month.")
    sessions: int = Field(description="场次 — sessions (shifts) held in the month.")
    participants: int = Field(description="人次 — attendances at those sessions.")
    verified_minutes: int = Field(description="核验服务时长（分钟） — minutes verified by the hosts.")
    sessions_by_category: list[Tally] = Field(description="各类别场次")
    participants_by_category: list[Tally] = Field(description="各类别人次")
    sessions_by_brand: list[Tally] = Field(description="各品牌场次")
    participants_by_brand: list[Tally] = Field(description="各品牌人次")
    registered_volunteers: int = Field(description="注册志愿者 — living in these communities at month end.")
    new_volunteers: int = Field(description="本月新注册志愿者")
    members_invited: int = Field(description="应报到党团员 — 社区报到 check-ins of these communities.")
    members_checked_in: int = Field(description="已报到 — confirmed by the community (or later).")
    members_overdue: int = Field(description="逾期未报到 — overdue or being followed up now.")
    pairings_active: int = Field(description="帮扶中的结对")
    post_claims: int = Field(description="本月认领服务岗位")
    wish_claims: int = Field(description="本月认领微心愿")


class LedgerRowOut(BaseModel):
    activity_id: str
    title: str = Field(description="活动名称")
    category: str
    category_label: str = Field(description="类别")
    brand: str | None = Field(description="品牌")
    host_organization_id: str
    dates: list[str] = Field(description="日期 — local dates of the month's sessions.")
    places: list[str] = Field(description="地点")
    sessions: int = Field(description="场次")
    participants: int = Field(description="人次")
    verified_minutes: int = Field(description="核验时长（分钟）")


def _categories(counts: Counter[str]) -> list[Tally]:
    return tallies(counts, ActivityCategory, zeros=False)


@router.get(
    "/statistics/monthly",
    response_model=VolunteeringMonthlyOut,
    summary="月报 figures of volunteering for an organisation and everything below it",
)
async def monthly_statistics(
    caller: CurrentCaller, ctx: Ctx, store: Store, asked: MonthlyAsk
) -> VolunteeringMonthlyOut:
    figures = await statistics.monthly(ctx, store, caller, asked.organization_id, asked.month)
    return VolunteeringMonthlyOut(
        **asked.head(),
        activities=figures.activities,
        sessions=figures.sessions,
        participants=figures.participants,
        verified_minutes=figures.verified_minutes,
        sessions_by_category=_categories(figures.sessions_by_category),
        participants_by_category=_categories(figures.participants_by_category),
        sessions_by_brand=named_tallies(figures.sessions_by_brand, {}),
        participants_by_brand=named_tallies(figures.participants_by_brand, {}),
        registered_volunteers=figures.registered_volunteers,
        new_volunteers=figures.new_volunteers,
        members_invited=figures.members_invited,
        members_checked_in=figures.members_checked_in,
        members_overdue=figures.members_overdue,
        pairings_active=figures.pairings_active,
        post_claims=figures.post_claims,
        wish_claims=figures.wish_claims,
    )


@router.get(
    "/statistics/monthly/activities",
    response_model=Page[LedgerRowOut],
    summary="活动台账: the month's activities with dates, places, 场次, 人次 and verified minutes",
)
async def activity_ledger(
    caller: CurrentCaller,
    ctx: Ctx,
    store: Store,
    organization_id: OrganizationParam,
    month: MonthParam,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[LedgerRowOut]:
    rows, next_cursor = await statistics.ledger(
        ctx, store, caller, organization_id, month, cursor=cursor, limit=limit
    )
    items = [LedgerRowOut(**vars(row), category_label=ActivityCategory(row.category).label) for row in rows]
    return Page(items=items, next_cursor=next_cursor)
