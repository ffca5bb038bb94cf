"""REST API of applications (求职申请) and staff referrals (职业介绍)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_employment.app import applications, referrals
from qingchun_employment.app.application_commands import ApplicationCreate, ReferralCreate
from qingchun_employment.domain.applications import (
    ApplicationAction,
    ApplicationStatus,
    ReferralAnswer,
    ReferralStatus,
)
from qingchun_employment.ports.api import Ctx, Cursor, Limit
from qingchun_employment.ports.applications_schemas import (
    ApplicationOut,
    ReferralOut,
    application_out,
    referral_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput

router = APIRouter(prefix="/v1", tags=["applications"])
IdQuery = Annotated[str | None, Query(max_length=40)]


def _applications(page: tuple[list[Document], str | None]) -> Page[ApplicationOut]:
    items, next_cursor = page
    return Page(items=[application_out(d) for d in items], next_cursor=next_cursor)


@router.post(
    "/postings/{posting_id}/applications",
    status_code=201,
    response_model=ApplicationOut,
    summary="A registered seeker applies to a published posting (sharing contact with the employer)",
)
async def apply(
    posting_id: str, caller: CurrentCaller, ctx: Ctx, body: ApplicationCreate | None = None
) -> ApplicationOut:
    command = body or ApplicationCreate()
    return application_out(await applications.apply(ctx, caller, posting_id, command))


@router.get(
    "/postings/{posting_id}/applications",
    response_model=Page[ApplicationOut],
    summary="Employer staff: a posting's applications (seeker ids and status, in order of applying)",
)
async def list_of_posting(
    posting_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ApplicationOut]:
    return _applications(await applications.posting_page(ctx, caller, posting_id, cursor=cursor, limit=limit))


@router.get(
    "/seekers/{seeker_id}/applications",
    response_model=Page[ApplicationOut],
    summary="A seeker's applications, for the seeker and league staff of their community",
)
async def list_of_seeker(
    seeker_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ApplicationOut]:
    return _applications(await applications.seeker_page(ctx, caller, seeker_id, cursor=cursor, limit=limit))


@router.get(
    "/applications",
    response_model=Page[ApplicationOut],
    summary="Applications by ids=a,b,c (those you may see), or of a posting or a seeker",
)
async def list_applications(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query(description="Batch read: comma-separated ids")] = None,
    posting_id: IdQuery = None,
    seeker_id: IdQuery = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ApplicationOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[application_out(d) for d in await applications.batch(ctx, caller, batch)])
    if posting_id is not None:
        return await list_of_posting(posting_id, caller, ctx, cursor, limit)
    if seeker_id is not None:
        return await list_of_seeker(seeker_id, caller, ctx, cursor, limit)
    raise InvalidInput("give ids=…, posting_id=… or seeker_id=…", field="ids", code="missing")


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationOut,
    summary="One application (the seeker, the employer's staff, league staff of the seeker's community)",
)
async def get_application(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return application_out(await applications.visible(ctx, caller, application_id))


async def _act(
    ctx: Ctx, caller: CurrentCaller, application_id: str, action: ApplicationAction
) -> ApplicationOut:
    return application_out(await applications.act(ctx, caller, application_id, action))


@router.post(
    "/applications/{application_id}:review",
    response_model=ApplicationOut,
    summary="Employer staff: mark a new application read (已查看)",
)
async def review(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.REVIEW)


@router.post(
    "/applications/{application_id}:invite",
    response_model=ApplicationOut,
    summary="Employer staff: invite a reviewed applicant to an interview (面试)",
)
async def invite(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.INVITE)


@router.post(
    "/applications/{application_id}:offer",
    response_model=ApplicationOut,
    summary="Employer staff: offer the job after the interview (已录用通知)",
)
async def offer(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.OFFER)


@router.post(
    "/applications/{application_id}:hire",
    response_model=ApplicationOut,
    summary="Employer staff: confirm the start of work (已入职, a placement); a retry ends its follow-ups",
)
async def hire(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.HIRE)


@router.post(
    "/applications/{application_id}:reject",
    response_model=ApplicationOut,
    summary="Employer staff: turn down an open application (未录用)",
)
async def reject(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.REJECT)


@router.post(
    "/applications/{application_id}:withdraw",
    response_model=ApplicationOut,
    summary="The seeker withdraws their open application (已撤回)",
)
async def withdraw(application_id: str, caller: CurrentCaller, ctx: Ctx) -> ApplicationOut:
    return await _act(ctx, caller, application_id, ApplicationAction.WITHDRAW)


# referrals (职业介绍) --------------------------------------------------------------------------
@router.post(
    "/referrals",
    status_code=201,
    response_model=ReferralOut,
    tags=["referrals"],
    summary="League staff of the seeker's community refer the seeker to a published posting",
)
async def refer(body: ReferralCreate, caller: CurrentCaller, ctx: Ctx) -> ReferralOut:
    return referral_out(await referrals.refer(ctx, caller, body))


@router.get(
    "/referrals",
    response_model=Page[ReferralOut],
    tags=["referrals"],
    summary="Referrals of a seeker (the seeker, league staff) or a posting (league staff over the employer)",
)
async def list_referrals(
    caller: CurrentCaller,
    ctx: Ctx,
    seeker_id: IdQuery = None,
    posting_id: IdQuery = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ReferralOut]:
    items, next_cursor = await referrals.page(
        ctx, caller, seeker_id=seeker_id, posting_id=posting_id, cursor=cursor, limit=limit
    )
    return Page(items=[referral_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralOut,
    tags=["referrals"],
    summary="One referral (the referred seeker and league staff of their community)",
)
async def get_referral(referral_id: str, caller: CurrentCaller, ctx: Ctx) -> ReferralOut:
    return referral_out(await referrals.visible(ctx, caller, referral_id))


@router.post(
    "/referrals/{referral_id}:accept",
    response_model=ReferralOut,
    tags=["referrals"],
    summary="The seeker accepts: an application via the referral, sharing contact with the employer",
)
async def accept(referral_id: str, caller: CurrentCaller, ctx: Ctx) -> ReferralOut:
    return referral_out(await referrals.answer(ctx, caller, referral_id, ReferralAnswer.ACCEPT))


@router.post(
    "/referrals/{referral_id}:decline",
    response_model=ReferralOut,
    tags=["referrals"],
    summary="The seeker declines the referral (the employer never learns of it)",
)
async def decline(referral_id: str, caller: CurrentCaller, ctx: Ctx) -> ReferralOut:
    return referral_out(await referrals.answer(ctx, caller, referral_id, ReferralAnswer.DECLINE))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "application_status": ApplicationStatus,
    "application_action": ApplicationAction,
    "referral_status": ReferralStatus,
    "referral_answer": ReferralAnswer,
}
