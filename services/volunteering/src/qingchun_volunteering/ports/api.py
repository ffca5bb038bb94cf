"""The volunteering REST API (``/v1``): volunteers, activities, shifts and sign-ups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound
from qingchun_plumbing.waitlist import WaitlistPolicy
from qingchun_volunteering.app import activities, signups, volunteers
from qingchun_volunteering.app.commands import ActivityCreate, SignupIn, VolunteerCreate, VolunteerUpdate
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.activities import ActivityAction, ActivityCategory, ActivityStatus
from qingchun_volunteering.domain.signups import SignupStatus
from qingchun_volunteering.domain.stars import StarLevel
from qingchun_volunteering.domain.volunteers import AgeBand, VolunteerType
from qingchun_volunteering.ports.schemas import (
    ActivityOut,
    ShiftOut,
    VolunteerOut,
    activity_out,
    shift_out,
    volunteer_out,
)


def volunteering_context(request: Request) -> VolunteeringContext:
    context: VolunteeringContext = request.app.state.volunteering
    return context


Ctx = Annotated[VolunteeringContext, Depends(volunteering_context)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=200)]
router = APIRouter(prefix="/v1")


async def _volunteer(ctx: VolunteeringContext, caller: Caller, doc: Document) -> VolunteerOut:
    personal = caller.subject in {doc["subject_id"], doc.get("guardian_subject_id")}
    return volunteer_out(
        doc, volunteers.band_of(ctx, doc), await volunteers.may_see_contact(ctx, caller, doc), personal
    )


async def _shift(ctx: VolunteeringContext, caller: Caller, doc: Document) -> ShiftOut:
    me = await ctx.store.volunteer_of(caller.subject)
    organizer = await ctx.organizes(caller, doc["host_organization_id"])
    return shift_out(doc, me["_id"] if me else None, organizer)


# volunteers -------------------------------------------------------------------------------
@router.post(
    "/volunteers",
    status_code=201,
    response_model=VolunteerOut,
    tags=["volunteers"],
    summary="Register yourself as a volunteer (志愿者注册)",
)
async def register_volunteer(body: VolunteerCreate, caller: CurrentCaller, ctx: Ctx) -> VolunteerOut:
    return await _volunteer(ctx, caller, await volunteers.register(ctx, caller, body))


@router.patch(
    "/volunteers/me",
    response_model=VolunteerOut,
    tags=["volunteers"],
    summary="Change your own profile (specialties, interests, 服务时间, talent pool…)",
)
async def update_my_profile(body: VolunteerUpdate, caller: CurrentCaller, ctx: Ctx) -> VolunteerOut:
    return await _volunteer(ctx, caller, await volunteers.update_profile(ctx, caller, body))


@router.get("/volunteers/me", response_model=VolunteerOut, tags=["volunteers"], summary="Your own profile")
async def my_profile(caller: CurrentCaller, ctx: Ctx) -> VolunteerOut:
    doc = await ctx.store.volunteer_of(caller.subject)
    if doc is None:
        raise NotFound("you are not registered as a volunteer", code="not_registered")
    return await _volunteer(ctx, caller, doc)


@router.get(
    "/volunteers",
    response_model=Page[VolunteerOut],
    tags=["volunteers"],
    summary="Organisers: one community's volunteers in their scope (or ids=a,b,c)",
)
async def list_volunteers(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    home_community_id: Annotated[str | None, Query(max_length=40)] = None,
    talent_pool: Annotated[bool | None, Query(description="Only members of the 青年人才库")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[VolunteerOut]:
    batch = batch_ids(ids)
    if batch is not None:
        found = {d["_id"]: d for d in await ctx.store.volunteers(batch)}
        visible = [
            found[i] for i in batch if i in found and await volunteers.may_see_contact(ctx, caller, found[i])
        ]
        return Page(items=[await _volunteer(ctx, caller, d) for d in visible])
    if home_community_id is None:
        raise InvalidInput(
            "name the community whose volunteers to list (or ids=…)",
            field="home_community_id",
            code="missing",
        )
    items, next_cursor = await volunteers.page(
        ctx, caller, cursor=cursor, limit=limit, home_community_id=home_community_id, talent_pool=talent_pool
    )
    return Page(items=[await _volunteer(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/volunteers/{volunteer_id}",
    response_model=VolunteerOut,
    tags=["volunteers"],
    summary="A profile: the volunteer, their guardian and their organisers (a minor's: see README)",
)
async def get_volunteer(volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> VolunteerOut:
    doc = await ctx.volunteer(volunteer_id)
    if not await volunteers.may_see_contact(ctx, caller, doc):
        raise Forbidden(
            "only the volunteer, their guardian and their organisers may read this profile",
            code="not_visible",
        )
    return await _volunteer(ctx, caller, doc)


@router.post(
    "/volunteers/{volunteer_id}:consent",
    response_model=VolunteerOut,
    tags=["volunteers"],
    summary="The named guardian records consent (监护人同意) for a minor",
)
async def record_consent(volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> VolunteerOut:
    return await _volunteer(ctx, caller, await volunteers.record_consent(ctx, caller, volunteer_id))


# activities -------------------------------------------------------------------------------
@router.post(
    "/activities",
    status_code=201,
    response_model=ActivityOut,
    tags=["activities"],
    summary="Plan an activity with its shifts under a registry organisation",
)
async def create_activity(body: ActivityCreate, caller: CurrentCaller, ctx: Ctx) -> ActivityOut:
    return activity_out(await activities.create(ctx, caller, body))


@router.get(
    "/activities",
    response_model=Page[ActivityOut],
    tags=["activities"],
    summary="Activities by host, status and category (or ids=a,b,c)",
)
async def list_activities(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    host_organization_id: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[list[ActivityStatus], Query()] = [],  # noqa: B006
    category: Annotated[list[ActivityCategory], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ActivityOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[activity_out(d) for d in await activities.batch(ctx, batch)])
    items, next_cursor = await activities.page(
        ctx,
        cursor=cursor,
        limit=limit,
        host_organization_id=host_organization_id,
        statuses=status,
        categories=category,
    )
    return Page(items=[activity_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/activities/{activity_id}", response_model=ActivityOut, tags=["activities"], summary="One activity"
)
async def get_activity(activity_id: str, caller: CurrentCaller, ctx: Ctx) -> ActivityOut:
    return activity_out(await ctx.activity(activity_id))


@router.post(
    "/activities/{activity_id}:{action}",
    response_model=ActivityOut,
    tags=["activities"],
    summary="publish, start, complete, verify, report or cancel (guarded)",
)
async def act_on_activity(
    activity_id: str, action: ActivityAction, caller: CurrentCaller, ctx: Ctx
) -> ActivityOut:
    return activity_out(await activities.act(ctx, caller, activity_id, action))


@router.get(
    "/activities/{activity_id}/shifts",
    response_model=Page[ShiftOut],
    tags=["activities"],
    summary="The activity's shifts (≤50, one page); organisers also see the sign-ups",
)
async def activity_shifts(activity_id: str, caller: CurrentCaller, ctx: Ctx) -> Page[ShiftOut]:
    await ctx.activity(activity_id)
    return Page(items=[await _shift(ctx, caller, s) for s in await ctx.store.shifts_of(activity_id)])


# sign-ups -----------------------------------------------------------------------------------
@router.get(
    "/shifts",
    response_model=Page[ShiftOut],
    tags=["sign-ups"],
    summary="Shifts by id (ids=a,b,c, for the gateway's DataLoaders); organisers also see the sign-ups",
)
async def batch_shifts(caller: CurrentCaller, ctx: Ctx, ids: Annotated[str, Query()]) -> Page[ShiftOut]:
    wanted = batch_ids(ids) or []
    return Page(items=[await _shift(ctx, caller, s) for s in await ctx.store.shifts(wanted)])


@router.get(
    "/shifts/{shift_id}",
    response_model=ShiftOut,
    tags=["sign-ups"],
    summary="One shift with your status; organisers also see the sign-ups",
)
async def get_shift(shift_id: str, caller: CurrentCaller, ctx: Ctx) -> ShiftOut:
    return await _shift(ctx, caller, await ctx.shift(shift_id))


@router.post(
    "/shifts/{shift_id}/signups",
    status_code=201,
    response_model=ShiftOut,
    tags=["sign-ups"],
    summary="Sign yourself up: a place if one is free, else the waitlist",
)
async def sign_up(shift_id: str, body: SignupIn, caller: CurrentCaller, ctx: Ctx) -> ShiftOut:
    return await _shift(ctx, caller, await signups.sign_up(ctx, caller, shift_id, body.guardian_present))


@router.post(
    "/shifts/{shift_id}/signups/{volunteer_id}:cancel",
    response_model=ShiftOut,
    tags=["sign-ups"],
    summary="Cancel a sign-up (yourself, or as organiser); the waitlist policy moves others up",
)
async def cancel_signup(shift_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> ShiftOut:
    return await _shift(ctx, caller, await signups.cancel(ctx, caller, shift_id, volunteer_id))


@router.post(
    "/shifts/{shift_id}/signups/{volunteer_id}:accept",
    response_model=ShiftOut,
    tags=["sign-ups"],
    summary="Accept the place you were offered from the waitlist (待确认), before its deadline",
)
async def accept_offer(shift_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> ShiftOut:
    return await _shift(ctx, caller, await signups.accept(ctx, caller, shift_id, volunteer_id))


@router.post(
    "/shifts/{shift_id}/signups/{volunteer_id}:decline",
    response_model=ShiftOut,
    tags=["sign-ups"],
    summary="Decline an offered place (yourself, or as organiser); the next in line is offered it",
)
async def decline_offer(shift_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> ShiftOut:
    return await _shift(ctx, caller, await signups.decline(ctx, caller, shift_id, volunteer_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "volunteer_type": VolunteerType,
    "age_band": AgeBand,
    "activity_category": ActivityCategory,
    "activity_status": ActivityStatus,
    "activity_action": ActivityAction,
    "waitlist_policy": WaitlistPolicy,
    "signup_status": SignupStatus,
    "star_level": StarLevel,
}
