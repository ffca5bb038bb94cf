"""Reading (读书计划): the catalogue, curated lists, reading logs and reading challenges.

A child's reading is their own record: it is written by the child or a guardian (family
accounts for young children, who have no account of their own) and read by them and by the
staff of their home community. Curated lists reach readers only once reviewed as 健康向上 by a
second staff member and published.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from qingchun_education.app import badges
from qingchun_education.app.context import STAFF_ROLES, EducationContext
from qingchun_education.app.reading_commands import (
    BookCreate,
    ChallengeCreate,
    ParticipantJoin,
    ReadingListCreate,
    ReadingLogCreate,
)
from qingchun_education.domain.badges import RuleKind
from qingchun_education.domain.reading import (
    Progress,
    ReadingAgeBand,
    ReadingListStatus,
    age_band_of,
    book_key,
    check_distinct_books,
    check_goal,
    check_joinable,
    check_period,
    check_read_on,
    normalized_isbn,
    published,
    reviewed,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound

Page = tuple[list[Document], str | None]


def _by_id(documents: list[Document], ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in documents}
    return [found[i] for i in ids if i in found]


async def _acted_for(ctx: EducationContext, caller: Caller, learner_id: str) -> Document:
    learner = await ctx.learner(learner_id)
    if not ctx.acts_for(caller, learner):
        raise Forbidden(
            "only the learner or their guardian (family account) may do this",
            field="learner_id",
            code=badges.NOT_YOUR_LEARNER,
        )
    return learner


# catalogue ---------------------------------------------------------------------------------------
async def create_book(ctx: EducationContext, caller: Caller, command: BookCreate) -> Document:
    caller.require_any(*STAFF_ROLES)
    document: Document = command.model_dump(mode="json", exclude={"isbn"}) | {
        "_id": new_id("bok"),
        "created_by": caller.subject,
        "created_at": ctx.now(),
    }
    if command.isbn is not None:  # absent rather than null: the unique ISBN index is sparse
        document["isbn"] = normalized_isbn(command.isbn)
    await ctx.reading.insert_book(document)
    return document | {"version": 1}


async def book(ctx: EducationContext, book_id: str) -> Document:
    document = await ctx.reading.book(book_id)
    if document is None:
        raise NotFound("no book has this id", field="book_id")
    return document


async def books_page(
    ctx: EducationContext, *, cursor: str | None, limit: int, age_band: ReadingAgeBand | None, tag: str | None
) -> Page:
    query: dict[str, Any] = {}
    if age_band is not None:
        query["age_bands"] = age_band.value
    if tag is not None:
        query["tags"] = tag
    return split_page(await ctx.reading.find_books(query, cursor_after(cursor), limit + 1), limit)


async def books_batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    return _by_id(await ctx.reading.books(ids), ids)


# curated lists -----------------------------------------------------------------------------------
async def _require_catalogued(ctx: EducationContext, book_ids: list[str]) -> None:
    known = {d["_id"] for d in await ctx.reading.books(book_ids)}
    for position, book_id in enumerate(book_ids):
        if book_id not in known:
            raise InvalidInput(
                "no catalogue book has this id", field=f"book_ids.{position}", code="unknown_book"
            )


async def create_list(ctx: EducationContext, caller: Caller, command: ReadingListCreate) -> Document:
    await ctx.active_organization(command.curator_organization_id, "curator_organization_id")
    await ctx.require_staff(caller, command.curator_organization_id, "curator_organization_id")
    check_distinct_books(command.book_ids)
    await _require_catalogued(ctx, command.book_ids)
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("rls"),
        "status": ReadingListStatus.DRAFT.value,
        "created_by": caller.subject,
        "created_at": ctx.now(),
        "reviewed_by": None,
        "reviewed_at": None,
        "published_at": None,
    }
    await ctx.reading.insert_list(document)
    return document | {"version": 1}


async def may_see_list(ctx: EducationContext, caller: Caller, document: Document) -> bool:
    """Published lists are for everyone; drafts only for the curator's staff."""
    return document["status"] == ReadingListStatus.PUBLISHED.value or await ctx.manages(
        caller, document["curator_organization_id"]
    )


async def reading_list(ctx: EducationContext, caller: Caller, list_id: str) -> Document:
    document = await ctx.reading.reading_list(list_id)
    if document is None or not await may_see_list(ctx, caller, document):
        raise NotFound("no reading list visible to you has this id", field="reading_list_id")
    return document


async def review_list(ctx: EducationContext, caller: Caller, list_id: str) -> Document:
    """The 健康向上 review: by staff of the curator, never by the list's own creator."""
    document = await reading_list(ctx, caller, list_id)
    await ctx.require_staff(caller, document["curator_organization_id"])
    if caller.subject == document["created_by"]:
        raise Forbidden(
            "a list is reviewed by a staff member other than its creator", code="reviewer_is_creator"
        )
    status = reviewed(ReadingListStatus(document["status"]))
    changes = {"status": status.value, "reviewed_by": caller.subject, "reviewed_at": ctx.now()}
    return await ctx.reading.update_list(document, changes)


async def publish_list(ctx: EducationContext, caller: Caller, list_id: str) -> Document:
    document = await reading_list(ctx, caller, list_id)
    await ctx.require_staff(caller, document["curator_organization_id"])
    status = published(ReadingListStatus(document["status"]))
    return await ctx.reading.update_list(document, {"status": status.value, "published_at": ctx.now()})


async def lists_page(
    ctx: EducationContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    age_band: ReadingAgeBand | None,
    curator_organization_id: str | None,
) -> Page:
    """Published lists; a curator's staff naming their organisation also see its drafts."""
    query: dict[str, Any] = {}
    if age_band is not None:
        query["age_bands"] = age_band.value
    if curator_organization_id is not None:
        query["curator_organization_id"] = curator_organization_id
    if curator_organization_id is None or not await ctx.manages(caller, curator_organization_id):
        query["status"] = ReadingListStatus.PUBLISHED.value
    return split_page(await ctx.reading.find_lists(query, cursor_after(cursor), limit + 1), limit)


async def lists_batch(ctx: EducationContext, caller: Caller, ids: list[str]) -> list[Document]:
    return [
        d for d in _by_id(await ctx.reading.reading_lists(ids), ids) if await may_see_list(ctx, caller, d)
    ]


# reading logs ------------------------------------------------------------------------------------
async def _book_and_title(ctx: EducationContext, command: ReadingLogCreate) -> tuple[str | None, str | None]:
    if command.book_id is None:
        return None, command.title
    found = await ctx.reading.book(command.book_id)
    if found is None:
        raise InvalidInput("no catalogue book has this id", field="book_id", code="unknown_book")
    return found["_id"], found["title"]


async def log_reading(ctx: EducationContext, caller: Caller, command: ReadingLogCreate) -> Document:
    """Written by the child or a guardian; reading-minute badges the new total reaches follow at once."""
    learner = await _acted_for(ctx, caller, command.learner_id)
    key = book_key(command.book_id, command.title)
    check_read_on(command.read_on, ctx.local_date())
    book_id, title = await _book_and_title(ctx, command)
    document: Document = {
        "_id": new_id("rlg"),
        "learner_id": learner["_id"],
        "book_id": book_id,
        "title": title,
        "book_key": key,
        "minutes": command.minutes,
        "pages": command.pages,
        "read_on": command.read_on.isoformat(),
        "logged_by": caller.subject,
        "logged_at": ctx.now(),
    }
    await ctx.reading.insert_log(document)
    _, minutes = (await ctx.reading.totals([learner["_id"]]))[learner["_id"]]
    await badges.award_earned(ctx, learner, RuleKind.READING_MINUTES, minutes)
    return document


async def logs_page(
    ctx: EducationContext, caller: Caller, learner_id: str, *, cursor: str | None, limit: int
) -> Page:
    await badges.followed_learner(ctx, caller, learner_id)
    return split_page(await ctx.reading.find_logs(learner_id, cursor_after(cursor), limit + 1), limit)


async def totals(ctx: EducationContext, caller: Caller, learner_id: str) -> tuple[int, int]:
    """(distinct books, minutes) of everything the learner logged."""
    await badges.followed_learner(ctx, caller, learner_id)
    return (await ctx.reading.totals([learner_id])).get(learner_id, (0, 0))


# challenges --------------------------------------------------------------------------------------
async def _published_list(ctx: EducationContext, list_id: str) -> None:
    found = await ctx.reading.reading_list(list_id)
    if found is None or found["status"] != ReadingListStatus.PUBLISHED.value:
        raise InvalidInput(
            "a challenge names a published reading list", field="reading_list_id", code="list_not_published"
        )


async def create_challenge(ctx: EducationContext, caller: Caller, command: ChallengeCreate) -> Document:
    await ctx.active_organization(command.owner_organization_id, "owner_organization_id")
    await ctx.require_staff(caller, command.owner_organization_id, "owner_organization_id")
    check_period(command.starts_on, command.ends_on)
    check_goal(command.goal.books, command.goal.minutes)
    if command.reading_list_id is not None:
        await _published_list(ctx, command.reading_list_id)
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("rch"),
        "created_by": caller.subject,
        "created_at": ctx.now(),
    }
    await ctx.reading.insert_challenge(document)
    return document | {"version": 1}


async def challenge(ctx: EducationContext, challenge_id: str) -> Document:
    document = await ctx.reading.challenge(challenge_id)
    if document is None:
        raise NotFound("no reading challenge has this id", field="challenge_id")
    return document


async def challenges_page(
    ctx: EducationContext,
    *,
    cursor: str | None,
    limit: int,
    owner_organization_id: str | None,
    age_band: ReadingAgeBand | None,
) -> Page:
    query: dict[str, Any] = {}
    if owner_organization_id is not None:
        query["owner_organization_id"] = owner_organization_id
    if age_band is not None:
        query["age_bands"] = age_band.value
    return split_page(await ctx.reading.find_challenges(query, cursor_after(cursor), limit + 1), limit)


async def challenges_batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    return _by_id(await ctx.reading.challenges(ids), ids)


async def _progress_of(
    ctx: EducationContext, document: Document, learner_ids: list[str]
) -> dict[str, Progress]:
    """Only logs read within the challenge's period count, its first and last day included."""
    found = await ctx.reading.totals(learner_ids, document["starts_on"], document["ends_on"])
    goal = document["goal"]
    return {
        i: Progress(*found.get(i, (0, 0)), goal_books=goal["books"], goal_minutes=goal["minutes"])
        for i in learner_ids
    }


async def join(
    ctx: EducationContext, caller: Caller, challenge_id: str, command: ParticipantJoin
) -> Progress:
    document = await challenge(ctx, challenge_id)
    learner = await _acted_for(ctx, caller, command.learner_id)
    today = ctx.local_date()
    band = age_band_of(date.fromisoformat(learner["birth_date"]), today)
    check_joinable(
        today,
        date.fromisoformat(document["ends_on"]),
        band,
        [ReadingAgeBand(b) for b in document["age_bands"]],
    )
    await ctx.reading.insert_participant(
        {
            "_id": new_id("rcp"),
            "challenge_id": challenge_id,
            "learner_id": learner["_id"],
            "joined_by": caller.subject,
            "joined_at": ctx.now(),
        }
    )
    return (await _progress_of(ctx, document, [learner["_id"]]))[learner["_id"]]


async def participant_progress(
    ctx: EducationContext, caller: Caller, challenge_id: str, learner_id: str
) -> Progress:
    """For the child, their guardians, their home community's staff and the challenge's staff."""
    document = await challenge(ctx, challenge_id)
    learner = await ctx.learner(learner_id)
    if not (
        await ctx.follows_learner(caller, learner)
        or await ctx.manages(caller, document["owner_organization_id"])
    ):
        raise Forbidden(
            "this learner's progress is not yours to see", field="learner_id", code="not_your_learner"
        )
    if await ctx.reading.participant(challenge_id, learner_id) is None:
        raise NotFound("the learner does not take part in this challenge", field="learner_id")
    return (await _progress_of(ctx, document, [learner_id]))[learner_id]


async def participants_page(
    ctx: EducationContext, caller: Caller, challenge_id: str, *, cursor: str | None, limit: int
) -> tuple[list[tuple[str, Progress]], str | None]:
    """The challenge's staff see who takes part (learner ids, never names) and how far each got."""
    document = await challenge(ctx, challenge_id)
    await ctx.require_staff(caller, document["owner_organization_id"])
    rows, next_cursor = split_page(
        await ctx.reading.find_participants(challenge_id, cursor_after(cursor), limit + 1), limit
    )
    learner_ids = [r["learner_id"] for r in rows]
    found = await _progress_of(ctx, document, learner_ids)
    return [(i, found[i]) for i in learner_ids], next_cursor
