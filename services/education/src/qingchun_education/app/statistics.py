"""Education's part of the 月报 (DOMAIN.md §4.3 dashboards 4 and 5): sessions and 人次 per
programme, enrolments, completions, badges, citizen-school compliance, and the care files only
as the care statistics publish them (aggregates, small cells withheld, for those allowed).

A session counts in the month it starts (local time) when its course ran (scheduled or
completed, not a draft or cancelled one); 人次 are the learners marked present at it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from qingchun_education.adapters.statistics import EducationStatisticsStore
from qingchun_education.app import care_statistics
from qingchun_education.app.context import EducationContext
from qingchun_education.app.schools import RAN, compliance_page
from qingchun_education.domain.care_statistics import CareStatistics
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.months import MonthWindow, month_window
from qingchun_plumbing.pagination import MAX_LIMIT
from qingchun_plumbing.problems import Forbidden

NO_PROGRAMME = "none"


@dataclass
class EducationFigures:
    sessions: int = 0
    attendances: int = 0
    sessions_by_programme: Counter[str] = field(default_factory=Counter)
    attendances_by_programme: Counter[str] = field(default_factory=Counter)
    sessions_by_kind: Counter[str] = field(default_factory=Counter)
    programme_names: dict[str, str] = field(default_factory=dict)
    enrolments: int = 0
    completions: int = 0
    badges_awarded: int = 0
    citizen_schools: Counter[str] = field(default_factory=Counter)
    care: CareStatistics | None = None


async def _sessions(
    store: EducationStatisticsStore, owners: list[str], window: MonthWindow, figures: EducationFigures
) -> None:
    courses = {c["_id"]: c for c in await store.courses_of(owners, sorted(RAN))}
    programme_ids = sorted({c["programme_id"] for c in courses.values() if c.get("programme_id")})
    programmes = {p["_id"]: p for p in await store.programmes(programme_ids)}
    figures.programme_names = {k: p["name"] for k, p in programmes.items()} | {NO_PROGRAMME: "（未归入项目）"}
    sessions = await store.sessions_between(list(courses), window.start, window.end)
    present = await store.attendance_counts([s["_id"] for s in sessions])
    for session in sessions:
        programme_id = courses[session["course_id"]].get("programme_id") or NO_PROGRAMME
        kind = programmes[programme_id]["kind"] if programme_id in programmes else None
        count = present.get(session["_id"], 0)
        figures.sessions += 1
        figures.attendances += count
        figures.sessions_by_programme[programme_id] += 1
        figures.attendances_by_programme[programme_id] += count
        if kind is not None:
            figures.sessions_by_kind[kind] += 1


async def _schools(ctx: EducationContext, caller: Caller, organization_id: str, month: str) -> Counter[str]:
    statuses: Counter[str] = Counter()
    cursor: str | None = None
    while True:
        judged, cursor = await compliance_page(
            ctx, caller, organization_id, month, cursor=cursor, limit=MAX_LIMIT
        )
        statuses.update(compliance.status.value for _, compliance in judged)
        if cursor is None:
            return statuses


async def monthly(
    ctx: EducationContext, store: EducationStatisticsStore, caller: Caller, organization_id: str, month: str
) -> EducationFigures:
    await ctx.require_staff(caller, organization_id, "organization_id")
    window = month_window(month, ZoneInfo(ctx.settings.local_timezone))
    owners = await store.subtree(organization_id)
    figures = EducationFigures()
    await _sessions(store, owners, window, figures)
    for roster in await store.roster_entries(owners):
        for entry in roster.get("entries", []):
            figures.enrolments += window.holds(entry["created_at"])
            figures.completions += bool(entry.get("completed_on")) and window.holds_day(entry["completed_on"])
    figures.badges_awarded = await store.awards_between(
        owners, window.first.isoformat(), window.last.isoformat()
    )
    figures.citizen_schools = await _schools(ctx, caller, organization_id, month)
    try:
        figures.care = await care_statistics.statistics(ctx, caller, organization_id)
    except Forbidden:
        figures.care = None  # not this caller's to see; the refusal is audited by the care module
    return figures
