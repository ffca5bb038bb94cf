"""The community monthly report (月报) in the graph: the month's figures of an organisation
gathered from the four services, a community's submission (frozen by the registry), and a league
committee's submission rate. Figures are counts and public labels only; care files appear only as
the education service's suppressed aggregates (a withheld cell is null and marked ``suppressed``)."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.reports.gather import gather
from qingchun_gateway.reports.labels import SECTIONS, figure_label
from qingchun_gateway.schema.auth import action, entry
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.registry import Organization, organization

RATE_PAGE = 200


@strawberry.type(description="分项 — one row of a breakdown (a category, a brand, a stage …).")
class FigureItem:
    code: str = strawberry.field(description="编码 — stable code (or a brand's or programme's id/name).")
    label: str = strawberry.field(description="名称 — Chinese label.")
    value: float | None = strawberry.field(description="数值 — count or rate; null when withheld (<5).")
    suppressed: bool = strawberry.field(description="是否因小格抑制而不公布 — withheld to protect people.")


@strawberry.type(description="指标 — one figure of a section: a number (or date) or a breakdown.")
class Figure:
    key: str = strawberry.field(description="指标编码 — the service's figure name, e.g. sessions.")
    label: str = strawberry.field(description="指标名称 — e.g. 场次.")
    value: float | None = strawberry.field(description="数值 — null for a breakdown or a withheld figure.")
    text: str | None = strawberry.field(description="文本值 — a date such as the stages' 统计截止日.")
    items: list[FigureItem] = strawberry.field(description="分项 — the breakdown, empty for a single number.")


@strawberry.type(description="板块 — the figures one service owns (组织建设, 志愿服务, 社区教育, 就业创业).")
class ReportSection:
    service: str = strawberry.field(description="服务 — registry, volunteering, education or employment.")
    label: str = strawberry.field(description="板块名称")
    figures: list[Figure]


@strawberry.type(description="月报提交记录 — a submitted report, frozen by the registry.")
class MonthlyReportSubmission:
    id: strawberry.ID
    community_id: str
    community_name: str = strawberry.field(description="社区名称")
    month: str = strawberry.field(description="月份 (YYYY-MM)")
    submitted_by: str = strawberry.field(description="提交人 — subject id of who submitted.")
    submitted_at: str = strawberry.field(description="提交时间 (UTC, ISO 8601)")
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="冻结的月报数据 — the figures as frozen at submission.")
    def sections(self) -> list[ReportSection]:
        return sections(self.raw.get("figures", {}))


@strawberry.type(description="月报 — an organisation's month, gathered live from the four services.")
class MonthlyReport:
    organization_id: str
    month: str = strawberry.field(description="月份 (YYYY-MM)")
    sections: list[ReportSection] = strawberry.field(description="板块 — one per service.")

    @strawberry.field(description="组织 — the community, street, district or city reported on.")
    async def organization(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.organization_id))


@strawberry.type(description="未报社区 — a community that has not submitted the month's report.")
class CommunityRef:
    id: strawberry.ID
    name: str


@strawberry.type(description="报送率 — a league committee's communities that submitted the month.")
class SubmissionRate:
    committee_id: str
    month: str
    communities: int = strawberry.field(description="应报社区数")
    submitted: int = strawberry.field(description="已报社区数")
    rate: float | None = strawberry.field(description="报送率 (0–1); null without communities.")
    not_submitted: list[CommunityRef] = strawberry.field(description="未报社区 (first 200, id order)")
    more_not_submitted: bool = strawberry.field(description="是否还有更多未报社区")


def _item(row: dict[str, Any]) -> FigureItem:
    value = row.get("count", row.get("value"))
    return FigureItem(code=str(row["code"]), label=str(row["label"]), value=value, suppressed=value is None)


def _figure(section: str, key: str, value: Any) -> Figure:
    label = figure_label(section, key)
    if isinstance(value, list):
        return Figure(key=key, label=label, value=None, text=None, items=[_item(r) for r in value])
    if isinstance(value, str):
        return Figure(key=key, label=label, value=None, text=value, items=[])
    return Figure(key=key, label=label, value=value, text=None, items=[])


def sections(figures: dict[str, dict[str, Any]]) -> list[ReportSection]:
    return [
        ReportSection(
            service=name,
            label=SECTIONS.get(name, name),
            figures=[_figure(name, k, v) for k, v in values.items()],
        )
        for name, values in figures.items()
    ]


def to_submission(data: dict[str, Any]) -> MonthlyReportSubmission:
    return MonthlyReportSubmission(
        id=strawberry.ID(data["id"]),
        community_id=data["community_id"],
        community_name=data["community_name"],
        month=data["month"],
        submitted_by=data["submitted_by"],
        submitted_at=data["submitted_at"],
        raw=data,
    )


@strawberry.type
class ReportQuery:
    @entry("月报 — an organisation's figures for a month from all four services (staff over it).")
    async def monthly_report(
        self, info: GatewayInfo, organization_id: strawberry.ID, month: str
    ) -> MonthlyReport:
        figures = await gather(info.context.services, str(organization_id), month)
        return MonthlyReport(organization_id=str(organization_id), month=month, sections=sections(figures))

    @entry("已提交月报 — submitted reports of the communities under a committee.")
    async def monthly_report_submissions(
        self, info: GatewayInfo, committee_id: strawberry.ID, month: str | None = None
    ) -> list[MonthlyReportSubmission]:
        page = await info.context["registry"].get(
            "/v1/monthly-reports", {"committee_id": str(committee_id), "month": month, "limit": RATE_PAGE}
        )
        return [to_submission(d) for d in page["items"]]

    @entry("报送率 — how many communities under a league committee submitted the month's report.")
    async def submission_rate(
        self, info: GatewayInfo, committee_id: strawberry.ID, month: str
    ) -> SubmissionRate:
        data = await info.context["registry"].get(
            "/v1/monthly-reports/submission-rate",
            {"committee_id": str(committee_id), "month": month, "limit": RATE_PAGE},
        )
        return SubmissionRate(
            committee_id=data["committee_id"],
            month=data["month"],
            communities=data["communities"],
            submitted=data["submitted"],
            rate=data["rate"],
            not_submitted=[
                CommunityRef(id=strawberry.ID(c["id"]), name=c["name"]) for c in data["not_submitted"]
            ],
            more_not_submitted=data["next_cursor"] is not None,
        )


@strawberry.type
class ReportMutation:
    @action("提交月报 — gather a community's month from the four services and submit it (frozen once).")
    async def submit_monthly_report(
        self, info: GatewayInfo, community_id: strawberry.ID, month: str
    ) -> MonthlyReportSubmission:
        figures = await gather(info.context.services, str(community_id), month)
        body = {"community_id": str(community_id), "month": month, "figures": figures}
        return to_submission(await info.context["registry"].post("/v1/monthly-reports", body))
