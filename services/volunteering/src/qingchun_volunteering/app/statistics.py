"""Volunteering's part of the 月报 (DOMAIN.md §4.3 dashboard 3) and the month's activity ledger (台账).

An activity counts as held in a month when it was published (not planned, not cancelled) and one
of its shifts starts in the month; each such shift is a 场次 and each volunteer who attended it a
人次. Verified minutes are those the host verified for service on a day of the month. 社区报到
figures are the check-ins of the communities as they stand now (the overdue list is current).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.months import MonthWindow, month_window
from qingchun_plumbing.pagination import cursor_after, encode_cursor
from qingchun_volunteering.adapters.statistics import VolunteeringStatisticsStore
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.community_checkins import CONFIRMED_OR_LATER, LATE
from qingchun_volunteering.domain.signups import SignupStatus

ATTENDED = SignupStatus.ATTENDED.value
NO_BRAND = "（无品牌）"


@dataclass
class VolunteeringFigures:
    activities: int = 0
    sessions: int = 0
    participants: int = 0
    verified_minutes: int = 0
    sessions_by_category: Counter[str] = field(default_factory=Counter)
    participants_by_category: Counter[str] = field(default_factory=Counter)
    sessions_by_brand: Counter[str] = field(default_factory=Counter)
    participants_by_brand: Counter[str] = field(default_factory=Counter)
    registered_volunteers: int = 0
    new_volunteers: int = 0
    members_invited: int = 0
    members_checked_in: int = 0
    members_overdue: int = 0
    pairings_active: int = 0
    post_claims: int = 0
    wish_claims: int = 0


@dataclass(frozen=True)
class LedgerRow:
    """One activity of the month's ledger: what, where, how often, how many, how long."""

    activity_id: str
    title: str
    category: str
    brand: str | None
    host_organization_id: str
    dates: list[str]
    places: list[str]
    sessions: int
    participants: int
    verified_minutes: int


def _attended(shift: Document) -> int:
    return sum(s.get("status") == ATTENDED for s in shift.get("signups", []))


async def _window(ctx: VolunteeringContext, caller: Caller, organization_id: str, month: str) -> MonthWindow:
    """Organisers whose scope covers the organisation read its figures (the service's own check)."""
    await ctx.require_organizer(caller, organization_id, field="organization_id")
    return month_window(month, ZoneInfo(ctx.settings.local_timezone))


async def _held(
    store: VolunteeringStatisticsStore, hosts: list[str], window: MonthWindow, after: str | None = None
) -> tuple[dict[str, Document], dict[str, list[Document]]]:
    """Activities held in the month, and their shifts of the month, by activity id."""
    shifts: dict[str, list[Document]] = {}
    for shift in await store.shifts_between(hosts, window.start, window.end):
        shifts.setdefault(shift["activity_id"], []).append(shift)
    activities = {a["_id"]: a for a in await store.held_activities(list(shifts), after)}
    return activities, shifts


async def monthly(
    ctx: VolunteeringContext,
    store: VolunteeringStatisticsStore,
    caller: Caller,
    organization_id: str,
    month: str,
) -> VolunteeringFigures:
    window = await _window(ctx, caller, organization_id, month)
    within = await store.subtree(organization_id)
    figures = VolunteeringFigures()
    activities, shifts = await _held(store, within, window)
    figures.activities = len(activities)
    for activity_id, activity in activities.items():
        held = shifts[activity_id]
        attended = sum(_attended(s) for s in held)
        brand = activity.get("brand") or NO_BRAND
        figures.sessions += len(held)
        figures.participants += attended
        figures.sessions_by_category[activity["category"]] += len(held)
        figures.participants_by_category[activity["category"]] += attended
        figures.sessions_by_brand[brand] += len(held)
        figures.participants_by_brand[brand] += attended
    entries = await store.verified_entries(within, window.first.isoformat(), window.last.isoformat())
    figures.verified_minutes = sum(e["credited_minutes"] for e in entries)
    volunteers = await store.volunteers_registered(within, window.end)
    figures.registered_volunteers = len(volunteers)
    figures.new_volunteers = sum(window.holds(v["created_at"]) for v in volunteers)
    checkins = await store.checkins(within)
    figures.members_invited = len(checkins)
    figures.members_checked_in = sum(c["status"] in CONFIRMED_OR_LATER for c in checkins)
    figures.members_overdue = sum(c["status"] in LATE for c in checkins)
    figures.pairings_active = await store.active_pairings(within)
    figures.post_claims = sum(
        window.holds(claim["claimed_at"])
        for post in await store.post_claims(within)
        for claim in post["claims"]
    )
    figures.wish_claims = await store.wishes_claimed(within, window.start, window.end)
    return figures


async def ledger(
    ctx: VolunteeringContext,
    store: VolunteeringStatisticsStore,
    caller: Caller,
    organization_id: str,
    month: str,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[LedgerRow], str | None]:
    """The month's activities in id order, one page: the 活动台账 exported by the gateway."""
    window = await _window(ctx, caller, organization_id, month)
    within = await store.subtree(organization_id)
    activities, shifts = await _held(store, within, window, cursor_after(cursor))
    ids = sorted(activities)
    page, more = ids[:limit], len(ids) > limit
    zone = ZoneInfo(ctx.settings.local_timezone)
    entries = await store.verified_entries(within, window.first.isoformat(), window.last.isoformat())
    minutes: Counter[str] = Counter()
    for entry in entries:
        if entry.get("activity_id"):
            minutes[entry["activity_id"]] += entry["credited_minutes"]
    rows = []
    for activity_id in page:
        activity, held = activities[activity_id], shifts[activity_id]
        rows.append(
            LedgerRow(
                activity_id=activity_id,
                title=activity["title"],
                category=activity["category"],
                brand=activity.get("brand"),
                host_organization_id=activity["host_organization_id"],
                dates=sorted({s["starts_at"].astimezone(zone).date().isoformat() for s in held}),
                places=sorted({s["place"] for s in held if s.get("place")}),
                sessions=len(held),
                participants=sum(_attended(s) for s in held),
                verified_minutes=minutes[activity_id],
            )
        )
    return rows, encode_cursor({"after": page[-1]}) if more and page else None
