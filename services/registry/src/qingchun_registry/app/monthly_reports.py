"""Monthly reports (月报): a community's figures submitted once and frozen, read by the staff over
it, and each league committee's submission rate for a month.

Who submitted and when come from the caller and the clock, never from the body; the report and
its partner event (counts only) are one document write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from qingchun_contracts.registry import MonthlyReportSubmitted
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.months import month_window
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_registry.adapters.monthly_reports import MonthlyReportStore, already_submitted
from qingchun_registry.app.context import ADMIN_ROLES, RegistryContext
from qingchun_registry.app.monthly_report_commands import MonthlyReportIn
from qingchun_registry.domain.monthly_reports import SubmissionRate, check_submittable, submission_rate
from qingchun_registry.domain.organizations import OrgType

COMMUNITY = OrgType.COMMUNITY.value


@dataclass(frozen=True)
class ReportsContext:
    registry: RegistryContext
    reports: MonthlyReportStore
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def counts_of(figures: dict[str, dict[str, object]]) -> dict[str, int]:
    """The whole-number figures, flattened for the partner event (no labels, no breakdowns)."""
    return {
        f"{section}.{key}": value
        for section, values in figures.items()
        for key, value in values.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


async def submit(ctx: ReportsContext, caller: Caller, command: MonthlyReportIn) -> Document:
    registry = ctx.registry
    community = await registry.organization_of_type(command.community_id, COMMUNITY)
    community_field = "community_id"
    await registry.require_scope(caller, command.community_id, roles=ADMIN_ROLES, field=community_field)
    if community.get("status") != "active":
        raise InvalidInput(
            "the community is deactivated", field=community_field, code="organization_inactive"
        )
    window = month_window(command.month, UTC)
    check_submittable(window.first, registry.today())
    if await ctx.reports.of_month(command.community_id, command.month) is not None:
        raise already_submitted()
    now = ctx.now()
    report_id = new_id("rpt")
    area_ids = [command.community_id, *await registry.store.ancestor_ids(command.community_id)]
    figures = command.model_dump(mode="json")["figures"]
    document: Document = {
        "_id": report_id,
        "community_id": command.community_id,
        "community_name": community["name"],
        "area_ids": area_ids,
        "month": command.month,
        "figures": figures,
        "submitted_by": caller.subject,
        "submitted_at": now,
    }
    event = registry.events.envelope(
        MonthlyReportSubmitted(
            report_id=report_id,
            community_id=command.community_id,
            area_ids=area_ids,
            month_starts_on=window.first,
            submitted_at=now,
            counts=counts_of(figures),
        ),
        subject=command.community_id,
    )
    await ctx.reports.insert(document, [event])
    registry.notify()
    return document | {"version": 1}


async def load(ctx: ReportsContext, caller: Caller, report_id: str) -> Document:
    document = await ctx.reports.report(report_id)
    if document is None:
        raise NotFound("no monthly report has this id", field="report_id")
    await ctx.registry.require_scope(caller, document["community_id"], roles=ADMIN_ROLES)
    return document


async def page(
    ctx: ReportsContext,
    caller: Caller,
    *,
    committee_id: str,
    month: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """Reports of the communities under a committee (or of one community), newest-id order kept stable."""
    await ctx.registry.organization(committee_id)
    await ctx.registry.require_scope(caller, committee_id, roles=ADMIN_ROLES, field="committee_id")
    query: dict[str, object] = {"area_ids": committee_id}
    if month is not None:
        query["month"] = month_window(month, UTC).month
    return split_page(await ctx.reports.find(query, cursor_after(cursor), limit + 1), limit)


async def rate(
    ctx: ReportsContext, caller: Caller, committee_id: str, month: str, *, cursor: str | None, limit: int
) -> tuple[SubmissionRate, list[Document], str | None]:
    """The committee's active communities against those that submitted; a page of those missing."""
    registry = ctx.registry
    await registry.organization(committee_id)
    await registry.require_scope(caller, committee_id, roles=ADMIN_ROLES, field="committee_id")
    window = month_window(month, UTC)
    below = [committee_id, *await registry.store.descendant_ids(committee_id)]
    documents = await registry.store.organizations(below)
    communities = sorted(d["_id"] for d in documents if d["type"] == COMMUNITY and d["status"] == "active")
    figures = submission_rate(communities, await ctx.reports.submitted_communities(communities, window.month))
    after = cursor_after(cursor)
    missing = [{"_id": c} for c in figures.missing if after is None or c > after]
    shown, next_cursor = split_page(missing[: limit + 1], limit)
    names = {d["_id"]: d for d in documents}
    return figures, [names[m["_id"]] for m in shown], next_cursor
