"""REST API of real-name job-seeker profiles (青年求职者), their services and referral tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from qingchun_employment.app import care_referrals, seekers
from qingchun_employment.app.seeker_commands import AssessmentIn, Code, SeekerCreate, SeekerUpdate, ServiceIn
from qingchun_employment.domain.seekers import (
    ReferralNeed,
    ReferralStatus,
    SeekerCategory,
    SeekerStatus,
    ServiceType,
    Visibility,
    WantedKind,
)
from qingchun_employment.ports.api import Ctx, Cursor, Limit
from qingchun_employment.ports.seekers_schemas import (
    ReferralTaskOut,
    SeekerListItem,
    SeekerOut,
    ServiceOut,
    referral_task_out,
    seeker_item,
    seeker_out,
    service_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids

router = APIRouter(prefix="/v1", tags=["seekers"])

SeekerId = Annotated[str, Path(max_length=64)]
OWN = Visibility(full=True, contact=True)


# the seeker's own profile ----------------------------------------------------------------------
@router.post(
    "/seekers",
    status_code=201,
    response_model=SeekerOut,
    summary="Register yourself as a job seeker (实名制, with consent)",
)
async def register_seeker(body: SeekerCreate, caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    return seeker_out(await seekers.register(ctx, caller, body), OWN)


@router.get("/seekers/me", response_model=SeekerOut, summary="Your own job-seeker profile")
async def my_profile(caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    return seeker_out(await seekers.mine(ctx, caller), OWN)


@router.patch(
    "/seekers/me",
    response_model=SeekerOut,
    summary="Change your own profile (contact, residence, skills, what work you want…)",
)
async def update_my_profile(body: SeekerUpdate, caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    return seeker_out(await seekers.update_mine(ctx, caller, body), OWN)


# league staff's lists and work ----------------------------------------------------------------
@router.get(
    "/seekers",
    response_model=Page[SeekerListItem],
    summary="Seekers living in an area you serve (league staff; no phone), or ids=a,b,c",
)
async def list_seekers(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    area_id: Annotated[
        str | None, Query(max_length=40, description="A residence community or above.")
    ] = None,
    category: SeekerCategory | None = None,
    status: SeekerStatus | None = None,
    skill: Annotated[Code | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[SeekerListItem]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[seeker_item(d) for d in await seekers.batch(ctx, caller, batch)])
    items, next_cursor = await seekers.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        area_id=area_id,
        category=category,
        status=status,
        skill=skill,
    )
    return Page(items=[seeker_item(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/seekers/{seeker_id}",
    response_model=SeekerOut,
    summary="One profile: all for the seeker and their league staff; candidate facts for employers",
)
async def get_seeker(seeker_id: SeekerId, caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    document, seen = await seekers.profile(ctx, caller, seeker_id)
    return seeker_out(document, seen)


@router.post(
    "/seekers/{seeker_id}:assess",
    response_model=SeekerOut,
    summary="Record the intake (四知四清四掌握): registered → assessed",
)
async def assess_seeker(
    seeker_id: SeekerId, body: AssessmentIn, caller: CurrentCaller, ctx: Ctx
) -> SeekerOut:
    return seeker_out(await seekers.assess(ctx, caller, seeker_id, body), OWN)


@router.post(
    "/seekers/{seeker_id}:deactivate",
    response_model=SeekerOut,
    summary="Mark a serviced seeker inactive (不活跃)",
)
async def deactivate_seeker(seeker_id: SeekerId, caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    return seeker_out(await seekers.deactivate(ctx, caller, seeker_id), OWN)


@router.post(
    "/seekers/{seeker_id}:reactivate",
    response_model=SeekerOut,
    summary="Bring an inactive seeker back to serviced",
)
async def reactivate_seeker(seeker_id: SeekerId, caller: CurrentCaller, ctx: Ctx) -> SeekerOut:
    return seeker_out(await seekers.reactivate(ctx, caller, seeker_id), OWN)


@router.post(
    "/seekers/{seeker_id}/services",
    status_code=201,
    response_model=ServiceOut,
    summary="Record a service the seeker received (服务记录)",
)
async def record_service(seeker_id: SeekerId, body: ServiceIn, caller: CurrentCaller, ctx: Ctx) -> ServiceOut:
    _, service = await seekers.record_service(ctx, caller, seeker_id, body)
    return service_out(service)


@router.get(
    "/seekers/{seeker_id}/services",
    response_model=Page[ServiceOut],
    summary="The services a seeker received, for the seeker and their league staff",
)
async def list_services(
    seeker_id: SeekerId, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ServiceOut]:
    rows, next_cursor = await seekers.services_page(ctx, caller, seeker_id, cursor=cursor, limit=limit)
    return Page(items=[service_out(r) for r in rows], next_cursor=next_cursor)


# referral tasks from consented care cases ----------------------------------------------------
@router.get(
    "/referral-tasks",
    response_model=Page[ReferralTaskOut],
    tags=["referral tasks"],
    summary="Skills and job referrals from care cases of a jurisdiction (by case id only)",
)
async def list_referral_tasks(
    caller: CurrentCaller,
    ctx: Ctx,
    jurisdiction_organization_id: Annotated[str, Query(max_length=40)],
    status: ReferralStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ReferralTaskOut]:
    items, next_cursor = await care_referrals.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        jurisdiction_organization_id=jurisdiction_organization_id,
        status=status,
    )
    return Page(items=[referral_task_out(d) for d in items], next_cursor=next_cursor)


@router.post(
    "/referral-tasks/{referral_task_id}:done",
    response_model=ReferralTaskOut,
    tags=["referral tasks"],
    summary="Mark a referral task done",
)
async def finish_referral_task(
    referral_task_id: Annotated[str, Path(max_length=100)], caller: CurrentCaller, ctx: Ctx
) -> ReferralTaskOut:
    return referral_task_out(await care_referrals.done(ctx, caller, referral_task_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "seeker_category": SeekerCategory,
    "seeker_status": SeekerStatus,
    "wanted_kind": WantedKind,
    "seeker_service_type": ServiceType,
    "referral_need": ReferralNeed,
    "referral_status": ReferralStatus,
}
