"""REST API of check-in/out, crediting rules and service-hour entries (``/v1``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_volunteering.app import attendance, hours
from qingchun_volunteering.app.hours_commands import CheckinIn, CreditingRulesIn, RejectIn, RetroactiveIn
from qingchun_volunteering.domain.crediting import Rounding
from qingchun_volunteering.domain.hours import EntryMethod, EntryStatus
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit
from qingchun_volunteering.ports.hours_schemas import (
    AttendanceOut,
    CheckinCodeOut,
    CreditingRulesOut,
    HourEntryOut,
    VerifyAllOut,
    attendance_out,
    code_out,
    entry_out,
    rules_out,
)

router = APIRouter(prefix="/v1")
IdParam = Annotated[str, Query(max_length=40)]


# check-in and check-out -------------------------------------------------------------------------
@router.get(
    "/shifts/{shift_id}/checkin-code",
    response_model=CheckinCodeOut,
    tags=["check-in"],
    summary="Organisers: the rotating check-in code (QR text and 6 digits) to show on site",
)
async def checkin_code(shift_id: str, caller: CurrentCaller, ctx: Ctx) -> CheckinCodeOut:
    code = await attendance.code_for(ctx, caller, shift_id)
    return code_out(shift_id, code, ctx.settings.checkin_code_period_seconds)


@router.post(
    "/shifts/{shift_id}/checkins",
    response_model=AttendanceOut,
    tags=["check-in"],
    summary="Check yourself in with the code shown on site (签到)",
)
async def check_in(shift_id: str, body: CheckinIn, caller: CurrentCaller, ctx: Ctx) -> AttendanceOut:
    shift = await attendance.check_in_with_code(ctx, caller, shift_id, body.code)
    me = await ctx.store.volunteer_of(caller.subject)
    assert me is not None  # checked in just now
    return attendance_out(shift, me["_id"])


@router.post(
    "/shifts/{shift_id}/signups/{volunteer_id}:check-in",
    response_model=AttendanceOut,
    tags=["check-in"],
    summary="Organisers: check a volunteer in (method organizer)",
)
async def check_in_volunteer(
    shift_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx
) -> AttendanceOut:
    shift = await attendance.check_in_by_organizer(ctx, caller, shift_id, volunteer_id)
    return attendance_out(shift, volunteer_id)


@router.post(
    "/shifts/{shift_id}/signups/{volunteer_id}:check-out",
    response_model=AttendanceOut,
    tags=["check-in"],
    summary="Check out (yourself, or as organiser); the minutes are credited, pending the host",
)
async def check_out(shift_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> AttendanceOut:
    shift = await attendance.check_out(ctx, caller, shift_id, volunteer_id)
    return attendance_out(shift, volunteer_id)


# crediting rules ---------------------------------------------------------------------------------
@router.get(
    "/organizations/{org_id}/crediting-rules",
    response_model=CreditingRulesOut,
    tags=["hours"],
    summary="The crediting rules in force for an organisation (its own, an ancestor's or the default)",
)
async def get_crediting_rules(org_id: str, caller: CurrentCaller, ctx: Ctx) -> CreditingRulesOut:
    rules, source = await hours.effective_rules(ctx, org_id)
    return rules_out(org_id, rules, source)


@router.put(
    "/organizations/{org_id}/crediting-rules",
    response_model=CreditingRulesOut,
    tags=["hours"],
    summary="Organisers: set the organisation's crediting rules (minimum, rounding bands, caps)",
)
async def put_crediting_rules(
    org_id: str, body: CreditingRulesIn, caller: CurrentCaller, ctx: Ctx
) -> CreditingRulesOut:
    rules, source = await hours.put_rules(ctx, caller, org_id, body)
    return rules_out(org_id, rules, source)


# hour entries ------------------------------------------------------------------------------------
@router.get(
    "/hour-entries",
    response_model=Page[HourEntryOut],
    tags=["hours"],
    summary="Hour entries of a volunteer, an activity or a host (yours when no filter; or ids=a,b,c)",
)
async def list_hour_entries(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    volunteer_id: IdParam | None = None,
    activity_id: IdParam | None = None,
    host_organization_id: IdParam | None = None,
    status: Annotated[list[EntryStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[HourEntryOut]:
    batch = batch_ids(ids)
    if batch is not None:
        found = {d["_id"]: d for d in await ctx.hours.entries(batch)}
        visible = [found[i] for i in batch if i in found and await hours.may_see(ctx, caller, found[i])]
        return Page(items=[entry_out(d) for d in visible])
    items, next_cursor = await hours.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        host_organization_id=host_organization_id,
        statuses=status,
    )
    return Page(items=[entry_out(d) for d in items], next_cursor=next_cursor)


@router.get("/hour-entries/{entry_id}", response_model=HourEntryOut, tags=["hours"], summary="One hour entry")
async def get_hour_entry(entry_id: str, caller: CurrentCaller, ctx: Ctx) -> HourEntryOut:
    return entry_out(await hours.visible_entry(ctx, caller, entry_id))


@router.post(
    "/hour-entries",
    status_code=201,
    response_model=HourEntryOut,
    tags=["hours"],
    summary="Request a 补录 (retroactive entry) with evidence; another organiser of the host approves",
)
async def request_retroactive(body: RetroactiveIn, caller: CurrentCaller, ctx: Ctx) -> HourEntryOut:
    return entry_out(await hours.request_retroactive(ctx, caller, body))


@router.post(
    "/hour-entries/{entry_id}:verify",
    response_model=HourEntryOut,
    tags=["hours"],
    summary="Organisers of the host: verify (认定) a pending entry, or approve a 补录 as second approver",
)
async def verify_hour_entry(entry_id: str, caller: CurrentCaller, ctx: Ctx) -> HourEntryOut:
    return entry_out(await hours.verify(ctx, caller, entry_id))


@router.post(
    "/hour-entries/{entry_id}:reject",
    response_model=HourEntryOut,
    tags=["hours"],
    summary="Organisers of the host: reject a pending entry with a reason",
)
async def reject_hour_entry(entry_id: str, body: RejectIn, caller: CurrentCaller, ctx: Ctx) -> HourEntryOut:
    return entry_out(await hours.reject(ctx, caller, entry_id, body.reason))


@router.post(
    "/activities/{activity_id}/hour-entries:verify-all",
    response_model=VerifyAllOut,
    tags=["hours"],
    summary="Organisers of the host: verify every pending entry of an activity they may decide on",
)
async def verify_all(activity_id: str, caller: CurrentCaller, ctx: Ctx) -> VerifyAllOut:
    verified, skipped = await hours.verify_all(ctx, caller, activity_id)
    return VerifyAllOut(verified=verified, skipped=skipped)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "hour_entry_status": EntryStatus,
    "hour_entry_method": EntryMethod,
    "rounding": Rounding,
}
