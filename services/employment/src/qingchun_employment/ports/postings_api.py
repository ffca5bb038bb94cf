"""REST API of job postings (用工信息): drafting, submission, moderation, reports, closing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_employment.app import postings
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.posting_commands import ModerationNote, PostingCreate, PostingPatch, ReportCreate
from qingchun_employment.domain.moderation import HoldReason
from qingchun_employment.domain.postings import (
    ClosingReason,
    JobCategory,
    PostingAction,
    PostingKind,
    PostingStatus,
    ReportReason,
)
from qingchun_employment.ports.api import Ctx, Cursor, Limit
from qingchun_employment.ports.postings_schemas import PostingOut, ReportOut, posting_out, report_out
from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids

router = APIRouter(prefix="/v1", tags=["postings"])


async def _out(ctx: EmploymentContext, caller: Caller, doc: Document) -> PostingOut:
    return posting_out(doc, await postings.is_insider(ctx, caller, doc))


@router.post(
    "/postings",
    status_code=201,
    response_model=PostingOut,
    summary="Draft a job posting (用工信息) for an employer organisation",
)
async def create_posting(body: PostingCreate, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.create(ctx, caller, body))


@router.get(
    "/postings",
    response_model=Page[PostingOut],
    summary="Published postings, filtered; staff in scope also see drafts and those under moderation",
)
async def list_postings(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    employer_organization_id: Annotated[str | None, Query(max_length=40)] = None,
    place: Annotated[str | None, Query(max_length=40, description="An area id: postings in it.")] = None,
    category: JobCategory | None = None,
    kind: PostingKind | None = None,
    status: Annotated[list[PostingStatus], Query(description="Default: published.")] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PostingOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _out(ctx, caller, d) for d in await postings.batch(ctx, caller, batch)])
    items, next_cursor = await postings.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        employer_organization_id=employer_organization_id,
        place=place,
        category=category,
        kind=kind,
        statuses=status,
    )
    return Page(items=[await _out(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get("/postings/{posting_id}", response_model=PostingOut, summary="One posting visible to the caller")
async def get_posting(posting_id: str, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.visible(ctx, caller, posting_id))


@router.patch(
    "/postings/{posting_id}", response_model=PostingOut, summary="Change a draft (employer's staff)"
)
async def edit_posting(posting_id: str, body: PostingPatch, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.edit(ctx, caller, posting_id, body))


@router.post(
    "/postings/{posting_id}:submit",
    response_model=PostingOut,
    summary="Send a draft up (报送) as the community league organisation; fee demands hold it",
)
async def submit_posting(posting_id: str, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.submit(ctx, caller, posting_id))


@router.post(
    "/postings/{posting_id}:publish",
    response_model=PostingOut,
    summary="Publish a submitted posting on the city platform (league staff over the place)",
)
async def publish_posting(posting_id: str, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.publish(ctx, caller, posting_id))


@router.post(
    "/postings/{posting_id}:release",
    response_model=PostingOut,
    summary="Release a held posting back to submitted, with the moderator's note",
)
async def release_posting(
    posting_id: str, body: ModerationNote, caller: CurrentCaller, ctx: Ctx
) -> PostingOut:
    return await _out(ctx, caller, await postings.release(ctx, caller, posting_id, body))


@router.post(
    "/postings/{posting_id}:reject",
    response_model=PostingOut,
    summary="Reject a submitted or held posting for good, with the moderator's note",
)
async def reject_posting(
    posting_id: str, body: ModerationNote, caller: CurrentCaller, ctx: Ctx
) -> PostingOut:
    return await _out(ctx, caller, await postings.reject(ctx, caller, posting_id, body))


@router.post(
    "/postings/{posting_id}:withdraw",
    response_model=PostingOut,
    summary="Withdraw a posting (employer's staff or league staff)",
)
async def withdraw_posting(posting_id: str, caller: CurrentCaller, ctx: Ctx) -> PostingOut:
    return await _out(ctx, caller, await postings.withdraw(ctx, caller, posting_id))


@router.post(
    "/postings/{posting_id}/reports",
    status_code=201,
    response_model=ReportOut,
    summary="Report a published posting (once per reader); enough reports hold it for moderation",
)
async def report_posting(posting_id: str, body: ReportCreate, caller: CurrentCaller, ctx: Ctx) -> ReportOut:
    return report_out(await postings.report(ctx, caller, posting_id, body))


@router.get(
    "/postings/{posting_id}/reports",
    response_model=Page[ReportOut],
    summary="Readers' reports of a posting (league staff over its place)",
)
async def list_reports(
    posting_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ReportOut]:
    rows, next_cursor = await postings.reports_page(ctx, caller, posting_id, cursor=cursor, limit=limit)
    return Page(items=[report_out(r) for r in rows], next_cursor=next_cursor)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "job_category": JobCategory,
    "posting_kind": PostingKind,
    "posting_status": PostingStatus,
    "posting_action": PostingAction,
    "posting_closing_reason": ClosingReason,
    "posting_report_reason": ReportReason,
    "posting_hold_reason": HoldReason,
}
