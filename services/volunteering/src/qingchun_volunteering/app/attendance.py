"""Check-in and check-out (签到/签退) on a shift, and closing attendance when an activity completes.

Attendance lives on the volunteer's sign-up entry inside the shift document, written with the
shift's optimistic version and retried like sign-ups. Crediting comes first at check-out (an
idempotent entry per volunteer and shift), the check-out mark second, so a crash between them
is repaired by simply checking out again.
"""

from __future__ import annotations

from collections.abc import Callable

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import Conflict, NotFound, StaleWrite
from qingchun_volunteering.app import hours
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.activities import ActivityStatus
from qingchun_volunteering.domain.checkin_codes import (
    CheckinCode,
    check_checkin_open,
    current_code,
    opening_window,
    verify_code,
)
from qingchun_volunteering.domain.hours import EntryMethod
from qingchun_volunteering.domain.signups import SignupStatus

MAX_ATTEMPTS = 20
RUNNING = (ActivityStatus.PUBLISHED.value, ActivityStatus.IN_PROGRESS.value)


def _secret(ctx: VolunteeringContext) -> bytes:
    return ctx.settings.checkin_code_secret.get_secret_value().encode()


async def code_for(ctx: VolunteeringContext, caller: Caller, shift_id: str) -> CheckinCode:
    """What the organiser's screen shows now; it rotates every period."""
    shift = await ctx.shift(shift_id)
    await ctx.require_organizer(caller, shift["host_organization_id"], field="shift_id")
    return current_code(_secret(ctx), shift_id, ctx.now(), ctx.settings.checkin_code_period_seconds)


def _signup(shift: Document, volunteer_id: str) -> Document:
    entry: Document | None = next((e for e in shift["signups"] if e["volunteer_id"] == volunteer_id), None)
    if entry is None or entry["status"] not in (SignupStatus.CONFIRMED.value, SignupStatus.ATTENDED.value):
        raise Conflict("no confirmed sign-up on this shift", field="volunteer_id", code="not_signed_up")
    return entry


def _check_can_check_in(
    ctx: VolunteeringContext, shift: Document, activity: Document, volunteer_id: str
) -> None:
    if activity["status"] not in RUNNING:
        raise Conflict("the activity is not running", field="shift_id", code="activity_not_running")
    if _signup(shift, volunteer_id)["status"] == SignupStatus.ATTENDED.value:
        raise Conflict("already checked in on this shift", field="volunteer_id", code="already_checked_in")
    check_checkin_open(shift["starts_at"], shift["ends_at"], ctx.now())


async def check_in_with_code(ctx: VolunteeringContext, caller: Caller, shift_id: str, code: str) -> Document:
    """The volunteer checks themself in with the code on the organiser's screen."""
    volunteer = await ctx.store.volunteer_of(caller.subject)
    if volunteer is None:
        raise NotFound("register as a volunteer first", field="volunteer_id", code="not_registered")
    shift = await ctx.shift(shift_id)
    _check_can_check_in(ctx, shift, await ctx.activity(shift["activity_id"]), volunteer["_id"])
    period = ctx.settings.checkin_code_period_seconds
    verify_code(_secret(ctx), shift_id, code, ctx.now(), period, opening_window(shift["starts_at"], period))
    return await _check_in(ctx, shift_id, volunteer["_id"], EntryMethod.CODE)


async def check_in_by_organizer(
    ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str
) -> Document:
    """The organiser checks a volunteer in (no phone, flat battery, a child)."""
    shift = await ctx.shift(shift_id)
    await ctx.require_organizer(caller, shift["host_organization_id"], field="shift_id")
    _check_can_check_in(ctx, shift, await ctx.activity(shift["activity_id"]), volunteer_id)
    return await _check_in(ctx, shift_id, volunteer_id, EntryMethod.ORGANIZER)


async def _update_signup(
    ctx: VolunteeringContext, shift_id: str, volunteer_id: str, change: Callable[[Document, Document], None]
) -> Document:
    """Apply ``change(shift, entry)`` to the volunteer's sign-up in one versioned write, retried."""
    for _ in range(MAX_ATTEMPTS):
        shift = await ctx.shift(shift_id)
        signups = [dict(e) for e in shift["signups"]]
        entry = next(e for e in signups if e["volunteer_id"] == volunteer_id)
        change(shift, entry)
        try:
            return await ctx.store.update_shift(shift, {"signups": signups}, [])
        except StaleWrite:
            continue
    raise StaleWrite("the shift is too busy right now; try again")


async def _check_in(
    ctx: VolunteeringContext, shift_id: str, volunteer_id: str, method: EntryMethod
) -> Document:
    def attend(_: Document, entry: Document) -> None:
        if entry["status"] != SignupStatus.CONFIRMED.value:  # lost a race with another check-in
            raise Conflict(
                "already checked in on this shift", field="volunteer_id", code="already_checked_in"
            )
        entry |= {
            "status": SignupStatus.ATTENDED.value,
            "checked_in_at": ctx.now(),
            "checkin_method": method.value,
        }

    result = await _update_signup(ctx, shift_id, volunteer_id, attend)
    await ctx.hours.count_once(volunteer_id, "attended_count", f"attended:{shift_id}")
    return result


async def check_out(ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str) -> Document:
    """The volunteer (or the organiser) checks out; the minutes are credited at once, pending the host."""
    shift = await ctx.shift(shift_id)
    own = await ctx.store.volunteer_of(caller.subject)
    if own is None or own["_id"] != volunteer_id:
        await ctx.require_organizer(caller, shift["host_organization_id"], field="shift_id")
    entry = _signup(shift, volunteer_id)
    if entry["status"] != SignupStatus.ATTENDED.value:
        raise Conflict("check in before checking out", field="volunteer_id", code="not_checked_in")
    if entry.get("checked_out_at") is not None:
        raise Conflict("already checked out of this shift", field="volunteer_id", code="already_checked_out")
    now = ctx.now()
    await hours.credit_attendance(ctx, shift, entry, now)
    return await _update_signup(ctx, shift_id, volunteer_id, lambda _, e: e.update(checked_out_at=now))


async def close_shift(ctx: VolunteeringContext, shift: Document) -> Document:
    """At completion: credit open check-ins until the shift's end and mark the absent as no-shows.

    Every step is idempotent (entries per volunteer and shift, counters once per shift), so a
    completion interrupted half-way is finished by completing again.
    """
    for entry in shift["signups"]:
        if entry["status"] == SignupStatus.ATTENDED.value and entry.get("checked_out_at") is None:
            await hours.credit_attendance(ctx, shift, entry, shift["ends_at"])

    def settle(closing: Document) -> None:
        for entry in closing["signups"]:
            if entry["status"] == SignupStatus.CONFIRMED.value:
                entry["status"] = SignupStatus.NO_SHOW.value
            elif entry["status"] == SignupStatus.ATTENDED.value and entry.get("checked_out_at") is None:
                entry["checked_out_at"] = closing["ends_at"]

    for _ in range(MAX_ATTEMPTS):
        signups = [dict(e) for e in shift["signups"]]
        settle(shift | {"signups": signups})
        try:
            shift = await ctx.store.update_shift(shift, {"signups": signups}, [])
            break
        except StaleWrite:
            shift = await ctx.shift(shift["_id"])
    else:
        raise StaleWrite("the shift is too busy right now; try again")
    for entry in shift["signups"]:
        if entry["status"] == SignupStatus.NO_SHOW.value:
            await ctx.hours.count_once(entry["volunteer_id"], "no_show_count", f"no_show:{shift['_id']}")
    return shift


def attendance_of(shift: Document) -> int:
    return sum(e["status"] == SignupStatus.ATTENDED.value for e in shift["signups"])
