"""The REST API of submitted monthly reports (月报): submit (frozen), read, list, submission rate."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.months import MONTH_PATTERN
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page
from qingchun_plumbing.statistics import MonthParam
from qingchun_registry.app import monthly_reports
from qingchun_registry.app.monthly_report_commands import MonthlyReportIn
from qingchun_registry.app.monthly_reports import ReportsContext
from qingchun_registry.ports.api import Ctx, Cursor, Limit

router = APIRouter(prefix="/v1", tags=["monthly reports"])
CommitteeParam = Annotated[
    str, Query(max_length=40, description="A league committee (or any organisation): its subtree's reports.")
]


def reports_context(request: Request, ctx: Ctx) -> ReportsContext:
    return ReportsContext(registry=ctx, reports=request.app.state.monthly_reports)


Reports = Annotated[ReportsContext, Depends(reports_context)]


class MonthlyReportOut(BaseModel):
    id: str
    community_id: str
    community_name: str
    area_ids: list[str] = Field(description="The community and the organisations above it, nearest first.")
    month: str
    figures: dict[str, dict[str, Any]] = Field(description="月报数据 — frozen at submission.")
    submitted_by: str = Field(description="提交人 — the subject id of who submitted.")
    submitted_at: datetime


class CommunityRef(BaseModel):
    id: str
    name: str


class SubmissionRateOut(BaseModel):
    committee_id: str
    month: str
    communities: int = Field(description="应报社区数 — active communities below the committee.")
    submitted: int = Field(description="已报社区数")
    rate: float | None = Field(description="报送率 — submitted / communities; null without communities.")
    not_submitted: list[CommunityRef] = Field(description="未报社区 — one page, in id order.")
    next_cursor: str | None = None


def report_out(doc: Document) -> MonthlyReportOut:
    return MonthlyReportOut(id=doc["_id"], **{k: doc[k] for k in MonthlyReportOut.model_fields if k != "id"})


@router.post(
    "/monthly-reports",
    status_code=201,
    response_model=MonthlyReportOut,
    summary="Submit a community's monthly report (月报); the month is frozen (a second one is 409)",
)
async def submit_report(body: MonthlyReportIn, caller: CurrentCaller, ctx: Reports) -> MonthlyReportOut:
    return report_out(await monthly_reports.submit(ctx, caller, body))


@router.get(
    "/monthly-reports/submission-rate",
    response_model=SubmissionRateOut,
    summary="报送率: a committee's communities that submitted the month, and a page of those missing",
)
async def submission_rate(
    caller: CurrentCaller,
    ctx: Reports,
    committee_id: CommitteeParam,
    month: MonthParam,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> SubmissionRateOut:
    figures, missing, next_cursor = await monthly_reports.rate(
        ctx, caller, committee_id, month, cursor=cursor, limit=limit
    )
    return SubmissionRateOut(
        committee_id=committee_id,
        month=month,
        communities=figures.communities,
        submitted=figures.submitted,
        rate=figures.rate,
        not_submitted=[CommunityRef(id=d["_id"], name=d["name"]) for d in missing],
        next_cursor=next_cursor,
    )


@router.get(
    "/monthly-reports",
    response_model=Page[MonthlyReportOut],
    summary="Submitted reports of the communities under a committee, optionally of one month",
)
async def list_reports(
    caller: CurrentCaller,
    ctx: Reports,
    committee_id: CommitteeParam,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[MonthlyReportOut]:
    items, next_cursor = await monthly_reports.page(
        ctx, caller, committee_id=committee_id, month=month, cursor=cursor, limit=limit
    )
    return Page(items=[report_out(d) for d in items], next_cursor=next_cursor)


@router.get("/monthly-reports/{report_id}", response_model=MonthlyReportOut, summary="One submitted report")
async def get_report(report_id: str, caller: CurrentCaller, ctx: Reports) -> MonthlyReportOut:
    return report_out(await monthly_reports.load(ctx, caller, report_id))
