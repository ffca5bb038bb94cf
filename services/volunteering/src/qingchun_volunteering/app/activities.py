"""Activities and their shifts: created under a registry organisation, published, carried out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import (
    ActivityCancelled,
    ActivityCompleted,
    ActivityPublished,
    ActivityVerified,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.waitlist import check_offer_window
from qingchun_volunteering.adapters.store import listing
from qingchun_volunteering.app import attendance, hours
from qingchun_volunteering.app.commands import ActivityCreate
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.activities import (
    ActivityAction,
    ActivityCategory,
    ActivityStatus,
    Shift,
    accepts_signups,
    apply_action,
    validate_shift,
)
from qingchun_volunteering.domain.signups import PENDING, SignupStatus

OPEN_STATUSES = (ActivityStatus.PLANNED.value, ActivityStatus.PUBLISHED.value)


async def create(ctx: VolunteeringContext, caller: Caller, command: ActivityCreate) -> Document:
    await ctx.active_organization(command.host_organization_id, "host_organization_id")
    await ctx.require_organizer(caller, command.host_organization_id, field="host_organization_id")
    check_offer_window(command.waitlist_policy, command.offer_window_hours)
    activity_id = new_id("act")
    area_ids = [command.host_organization_id, *await ctx.orgs.ancestor_ids(command.host_organization_id)]
    accepting = accepts_signups(ActivityStatus.PLANNED)
    shifts = []
    for position, given in enumerate(command.shifts):
        shift = Shift(
            given.starts_at,
            given.ends_at,
            given.capacity,
            given.min_age,
            given.max_age,
            given.family_only,
            tuple(given.required_skills),
        )
        try:
            validate_shift(shift)
        except DomainError as error:  # name the shift at fault
            raise DomainError(error.code, error.message, f"shifts.{position}.{error.field}") from None
        shifts.append(
            given.model_dump()
            | {
                "_id": new_id("sft"),
                "activity_id": activity_id,
                "host_organization_id": command.host_organization_id,
                "waitlist_policy": command.waitlist_policy.value,
                "offer_window_hours": command.offer_window_hours,
                "free": given.capacity,
                "waitlisted": 0,
                "signups": [],
            }
            | listing(area_ids, accepting, given.capacity)
        )
    now = datetime.now(UTC)
    activity = command.model_dump(mode="json", exclude={"shifts"}) | {
        "_id": activity_id,
        "status": ActivityStatus.PLANNED.value,
        "shift_ids": [s["_id"] for s in shifts],
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.store.insert_activity(activity, shifts)
    return activity | {"version": 1}


async def signed_up_volunteers(ctx: VolunteeringContext, activity_id: str) -> list[str]:
    ids = {
        entry["volunteer_id"]
        for shift in await ctx.store.shifts_of(activity_id)
        for entry in shift["signups"]
        if SignupStatus(entry["status"]) in PENDING
    }
    return sorted(ids)


async def act(ctx: VolunteeringContext, caller: Caller, activity_id: str, action: ActivityAction) -> Document:
    activity = await ctx.activity(activity_id)
    await ctx.require_organizer(caller, activity["host_organization_id"])
    after = apply_action(ActivityStatus(activity["status"]), action)
    events = []
    if action is ActivityAction.PUBLISH:
        shifts = await ctx.store.shifts_of(activity_id)
        events.append(
            ctx.events.envelope(
                ActivityPublished(
                    activity_id=activity_id,
                    title=activity["title"],
                    host_organization_id=activity["host_organization_id"],
                    category=activity["category"],
                    brand=activity.get("brand"),
                    first_shift_starts_at=min((s["starts_at"] for s in shifts), default=None),
                    shift_count=len(shifts),
                    total_capacity=sum(s["capacity"] for s in shifts),
                ),
                subject=activity_id,
            )
        )
    if action is ActivityAction.COMPLETE:
        events.append(await _completed(ctx, activity))
    if action is ActivityAction.VERIFY:
        events.append(await _verified(ctx, activity))
    if action is ActivityAction.CANCEL:
        events.append(
            ctx.events.envelope(
                ActivityCancelled(
                    activity_id=activity_id,
                    host_organization_id=activity["host_organization_id"],
                    reason_code="organizer",
                    volunteer_ids=await signed_up_volunteers(ctx, activity_id),
                ),
                subject=activity_id,
            )
        )
    opening = accepts_signups(after)
    if accepts_signups(ActivityStatus(activity["status"])) and not opening:
        # Closing: the shifts first, so a crash or a stale write in between leaves them closed, never open.
        await ctx.store.set_shifts_accepting(activity_id, False)
    result = await ctx.store.update_activity(activity, {"status": after.value}, events)
    if opening:
        # Opening: after the activity, for the same reason; starting re-opens them if a crash hid them.
        await ctx.store.set_shifts_accepting(activity_id, True)
    ctx.notify()
    return result


async def backfill_listings(ctx: VolunteeringContext) -> int:
    """List the shifts written before ``area_ids``/``accepting``/``open`` existed; idempotent, and a
    no-op scan once done. Until it runs such shifts are simply not matched (sign-up is unaffected)."""
    unlisted = await ctx.store.unlisted_shifts()
    areas: dict[str, list[str]] = {}
    accepting: dict[str, bool] = {}
    for shift in unlisted:
        host, activity_id = shift["host_organization_id"], shift["activity_id"]
        if host not in areas:
            areas[host] = [host, *await ctx.orgs.ancestor_ids(host)]
        if activity_id not in accepting:
            activity = await ctx.store.activity(activity_id)
            accepting[activity_id] = activity is not None and accepts_signups(
                ActivityStatus(activity["status"])
            )
        await ctx.store.list_shift(shift["_id"], areas[host], accepting[activity_id])
    return len(unlisted)


async def _figures(ctx: VolunteeringContext, activity_id: str, close: bool) -> tuple[int, int]:
    """Sessions (场次: shifts anyone attended) and participants (人次: attendances)."""
    shifts = await ctx.store.shifts_of(activity_id)
    if close:
        shifts = [await attendance.close_shift(ctx, s) for s in shifts]
    counts = [attendance.attendance_of(s) for s in shifts]
    return sum(c > 0 for c in counts), sum(counts)


async def _completed(ctx: VolunteeringContext, activity: Document) -> Envelope:
    """Close every shift (credit open check-ins, mark no-shows), then count."""
    sessions, participants = await _figures(ctx, activity["_id"], close=True)
    credited, _, _ = await hours.credited_and_pending(ctx, activity["_id"])
    completed = ActivityCompleted(
        activity_id=activity["_id"],
        host_organization_id=activity["host_organization_id"],
        category=activity["category"],
        brand=activity.get("brand"),
        sessions=sessions,
        participants=participants,
        credited_minutes=credited,
    )
    return ctx.events.envelope(completed, subject=activity["_id"])


async def _verified(ctx: VolunteeringContext, activity: Document) -> Envelope:
    """The host certifies the activity only once every hour entry is decided."""
    _, verified, pending = await hours.credited_and_pending(ctx, activity["_id"])
    hours.check_no_pending(pending)
    sessions, participants = await _figures(ctx, activity["_id"], close=False)
    verified_event = ActivityVerified(
        activity_id=activity["_id"],
        host_organization_id=activity["host_organization_id"],
        sessions=sessions,
        participants=participants,
        verified_minutes=verified,
    )
    return ctx.events.envelope(verified_event, subject=activity["_id"])


async def page(
    ctx: VolunteeringContext,
    *,
    cursor: str | None,
    limit: int,
    host_organization_id: str | None,
    statuses: list[ActivityStatus],
    categories: list[ActivityCategory],
) -> tuple[list[Document], str | None]:
    query: dict[str, Any] = {}
    if host_organization_id:
        query["host_organization_id"] = host_organization_id
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    if categories:
        query["category"] = {"$in": [c.value for c in categories]}
    return split_page(await ctx.store.find_activities(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: VolunteeringContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.store.activities(ids)}
    return [found[i] for i in ids if i in found]
