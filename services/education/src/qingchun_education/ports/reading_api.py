"""REST API of reading: recommended books, curated lists, reading logs and reading challenges."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_education.app import reading
from qingchun_education.app.reading_commands import (
    BookCreate,
    ChallengeCreate,
    ParticipantJoin,
    ReadingListCreate,
    ReadingLogCreate,
)
from qingchun_education.domain.reading import ReadingAgeBand, ReadingListStatus
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.reading_schemas import (
    BookOut,
    ChallengeOut,
    ProgressOut,
    ReadingListOut,
    ReadingLogOut,
    ReadingTotalsOut,
    book_out,
    challenge_out,
    log_out,
    progress_out,
    reading_list_out,
    totals_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids

router = APIRouter(prefix="/v1", tags=["reading"])

Ids = Annotated[str | None, Query(description="Batch read: comma-separated ids")]
OrgFilter = Annotated[str | None, Query(max_length=40)]


# catalogue ---------------------------------------------------------------------------------------
@router.post("/books", status_code=201, response_model=BookOut, summary="Add a recommended book (staff)")
async def create_book(body: BookCreate, caller: CurrentCaller, ctx: Ctx) -> BookOut:
    return book_out(await reading.create_book(ctx, caller, body))


@router.get(
    "/books", response_model=Page[BookOut], summary="The book catalogue, by age band or tag (or ids=…)"
)
async def list_books(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Ids = None,
    age_band: ReadingAgeBand | None = None,
    tag: Annotated[str | None, Query(max_length=30)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[BookOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[book_out(d) for d in await reading.books_batch(ctx, batch)])
    items, next_cursor = await reading.books_page(ctx, cursor=cursor, limit=limit, age_band=age_band, tag=tag)
    return Page(items=[book_out(d) for d in items], next_cursor=next_cursor)


@router.get("/books/{book_id}", response_model=BookOut, summary="One catalogue book")
async def get_book(book_id: str, caller: CurrentCaller, ctx: Ctx) -> BookOut:
    return book_out(await reading.book(ctx, book_id))


# curated lists -----------------------------------------------------------------------------------
@router.post(
    "/reading-lists",
    status_code=201,
    response_model=ReadingListOut,
    summary="Curate a reading list (draft until reviewed and published)",
)
async def create_list(body: ReadingListCreate, caller: CurrentCaller, ctx: Ctx) -> ReadingListOut:
    return reading_list_out(await reading.create_list(ctx, caller, body))


@router.get(
    "/reading-lists",
    response_model=Page[ReadingListOut],
    summary="Published reading lists by age band; a curator's staff also see its drafts (or ids=…)",
)
async def list_lists(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Ids = None,
    age_band: ReadingAgeBand | None = None,
    curator_organization_id: OrgFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ReadingListOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[reading_list_out(d) for d in await reading.lists_batch(ctx, caller, batch)])
    items, next_cursor = await reading.lists_page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        age_band=age_band,
        curator_organization_id=curator_organization_id,
    )
    return Page(items=[reading_list_out(d) for d in items], next_cursor=next_cursor)


@router.get("/reading-lists/{list_id}", response_model=ReadingListOut, summary="One reading list")
async def get_list(list_id: str, caller: CurrentCaller, ctx: Ctx) -> ReadingListOut:
    return reading_list_out(await reading.reading_list(ctx, caller, list_id))


@router.post(
    "/reading-lists/{list_id}:review",
    response_model=ReadingListOut,
    summary="Record the 健康向上 review (a staff member other than the creator)",
)
async def review_list(list_id: str, caller: CurrentCaller, ctx: Ctx) -> ReadingListOut:
    return reading_list_out(await reading.review_list(ctx, caller, list_id))


@router.post(
    "/reading-lists/{list_id}:publish",
    response_model=ReadingListOut,
    summary="Publish a reviewed reading list",
)
async def publish_list(list_id: str, caller: CurrentCaller, ctx: Ctx) -> ReadingListOut:
    return reading_list_out(await reading.publish_list(ctx, caller, list_id))


# reading logs ------------------------------------------------------------------------------------
@router.post(
    "/reading-logs",
    status_code=201,
    response_model=ReadingLogOut,
    summary="Log reading for oneself or, on a family account, for one's child",
)
async def create_log(body: ReadingLogCreate, caller: CurrentCaller, ctx: Ctx) -> ReadingLogOut:
    return log_out(await reading.log_reading(ctx, caller, body))


@router.get(
    "/learners/{learner_id}/reading-logs",
    response_model=Page[ReadingLogOut],
    summary="A learner's reading logs (the learner, their guardians, their community's staff)",
)
async def list_logs(
    learner_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ReadingLogOut]:
    items, next_cursor = await reading.logs_page(ctx, caller, learner_id, cursor=cursor, limit=limit)
    return Page(items=[log_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/learners/{learner_id}/reading-totals",
    response_model=ReadingTotalsOut,
    summary="A learner's reading in all: distinct books and minutes",
)
async def get_totals(learner_id: str, caller: CurrentCaller, ctx: Ctx) -> ReadingTotalsOut:
    return totals_out(learner_id, *await reading.totals(ctx, caller, learner_id))


# challenges --------------------------------------------------------------------------------------
@router.post(
    "/reading-challenges",
    status_code=201,
    response_model=ChallengeOut,
    summary="Set a reading challenge (e.g. 暑期阅读挑战) for an organisation",
)
async def create_challenge(body: ChallengeCreate, caller: CurrentCaller, ctx: Ctx) -> ChallengeOut:
    return challenge_out(await reading.create_challenge(ctx, caller, body))


@router.get(
    "/reading-challenges",
    response_model=Page[ChallengeOut],
    summary="Reading challenges by organisation or age band (or ids=…)",
)
async def list_challenges(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Ids = None,
    owner_organization_id: OrgFilter = None,
    age_band: ReadingAgeBand | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ChallengeOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[challenge_out(d) for d in await reading.challenges_batch(ctx, batch)])
    items, next_cursor = await reading.challenges_page(
        ctx, cursor=cursor, limit=limit, owner_organization_id=owner_organization_id, age_band=age_band
    )
    return Page(items=[challenge_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/reading-challenges/{challenge_id}", response_model=ChallengeOut, summary="One reading challenge"
)
async def get_challenge(challenge_id: str, caller: CurrentCaller, ctx: Ctx) -> ChallengeOut:
    return challenge_out(await reading.challenge(ctx, challenge_id))


@router.post(
    "/reading-challenges/{challenge_id}/participants",
    status_code=201,
    response_model=ProgressOut,
    summary="Join a challenge, as the learner or their guardian",
)
async def join_challenge(
    challenge_id: str, body: ParticipantJoin, caller: CurrentCaller, ctx: Ctx
) -> ProgressOut:
    return progress_out(body.learner_id, await reading.join(ctx, caller, challenge_id, body))


@router.get(
    "/reading-challenges/{challenge_id}/participants",
    response_model=Page[ProgressOut],
    summary="Who takes part (learner ids) and how far each got, for the challenge's staff",
)
async def list_participants(
    challenge_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ProgressOut]:
    rows, next_cursor = await reading.participants_page(ctx, caller, challenge_id, cursor=cursor, limit=limit)
    return Page(items=[progress_out(i, p) for i, p in rows], next_cursor=next_cursor)


@router.get(
    "/reading-challenges/{challenge_id}/participants/{learner_id}",
    response_model=ProgressOut,
    summary="A participant's progress: books and minutes read in the period against the goal",
)
async def get_progress(challenge_id: str, learner_id: str, caller: CurrentCaller, ctx: Ctx) -> ProgressOut:
    return progress_out(learner_id, await reading.participant_progress(ctx, caller, challenge_id, learner_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "reading_age_band": ReadingAgeBand,
    "reading_list_status": ReadingListStatus,
}
