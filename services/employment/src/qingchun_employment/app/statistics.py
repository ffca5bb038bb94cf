"""Employment's part of the 月报 (DOMAIN.md §4.3 dashboard 6): postings published and filled,
seekers by category, applications and hires, microloans by status and ventures started.

Flows (published, filled, applied, hired, started) count in the month they happened (local
time); stocks (seekers by category, loans by status) are as they stand at the month's end for
seekers and now for loans, whose status history the 创业报表 already reads month by month.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from qingchun_employment.adapters.statistics import EmploymentStatisticsStore
from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.months import month_window

FILLED = "filled"


@dataclass
class EmploymentFigures:
    postings_published: int = 0
    postings_filled: int = 0
    applications: int = 0
    hires: int = 0
    seekers_registered: int = 0
    seekers: int = 0
    seekers_by_category: Counter[str] = field(default_factory=Counter)
    loans_applied: int = 0
    loans_by_status: Counter[str] = field(default_factory=Counter)
    ventures_started: int = 0
    ventures_by_kind: Counter[str] = field(default_factory=Counter)


async def monthly(
    ctx: EmploymentContext, store: EmploymentStatisticsStore, caller: Caller, organization_id: str, month: str
) -> EmploymentFigures:
    await ctx.require_league_staff(caller, organization_id, "organization_id")
    window = month_window(month, ZoneInfo(ctx.settings.local_timezone))
    figures = EmploymentFigures()
    postings = await store.postings(organization_id)
    figures.postings_published = sum(
        bool(p.get("published_at")) and window.holds(p["published_at"]) for p in postings
    )
    figures.postings_filled = sum(
        p["status"] == FILLED and bool(p.get("closed_at")) and window.holds(p["closed_at"]) for p in postings
    )
    applications = await store.applications_to([p["_id"] for p in postings])
    figures.applications = sum(window.holds(a["created_at"]) for a in applications)
    figures.hires = sum(bool(a.get("hired_on")) and window.holds_day(a["hired_on"]) for a in applications)
    seekers = [s for s in await store.seekers(organization_id) if s["created_at"] < window.end]
    figures.seekers = len(seekers)
    figures.seekers_registered = sum(window.holds(s["created_at"]) for s in seekers)
    figures.seekers_by_category = Counter(s["category"] for s in seekers)
    loans = await store.loans(organization_id)
    figures.loans_applied = sum(window.holds(loan["created_at"]) for loan in loans)
    figures.loans_by_status = Counter(loan["status"] for loan in loans)
    ventures = [v for v in await store.ventures(organization_id) if window.holds_day(v["started_on"])]
    figures.ventures_started = len(ventures)
    figures.ventures_by_kind = Counter(v["kind"] for v in ventures)
    return figures
