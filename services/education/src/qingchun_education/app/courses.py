"""Courses and their sessions: planned by staff under a programme, scheduled (announced), closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.education import CourseScheduled
from qingchun_education.app import programmes
from qingchun_education.app.context import EducationContext
from qingchun_education.app.learning_commands import CourseCreate, SessionIn, SessionsAdd
from qingchun_education.domain.courses import (
    CourseAction,
    CourseCategory,
    CourseRules,
    CourseStatus,
    SessionTimes,
    check_course,
    check_open_for_sessions,
    check_owner_in_programme,
    check_sessions,
    next_status,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound


@dataclass(frozen=True)
class CourseFilter:
    programme_id: str | None
    owner_organization_id: str | None
    category: CourseCategory | None
    status: CourseStatus | None
    citizen_school_id: str | None

    def query(self) -> dict[str, Any]:
        given = {
            "programme_id": self.programme_id,
            "owner_organization_id": self.owner_organization_id,
            "category": None if self.category is None else self.category.value,
            "status": None if self.status is None else self.status.value,
            "citizen_school_id": self.citizen_school_id,
        }
        return {k: v for k, v in given.items() if v is not None}


async def _owner(ctx: EducationContext, programme: Document, given: str | None) -> str:
    """The programme's owner, or an active organisation in its subtree."""
    if given is None:
        return str(programme["owner_organization_id"])
    await ctx.active_organization(given, "owner_organization_id")
    check_owner_in_programme(programme["owner_organization_id"], [given, *await ctx.orgs.ancestor_ids(given)])
    return given


async def _require_teachers(ctx: EducationContext, teacher_ids: list[str]) -> None:
    active = await ctx.schools.active_teacher_ids(teacher_ids) if teacher_ids else set()
    for position, teacher_id in enumerate(teacher_ids):
        if teacher_id not in active:
            raise InvalidInput(
                "not an active member of the teacher pool (社区教育师资库)",
                field=f"teacher_ids.{position}",
                code="unknown_teacher",
            )
    if len(set(teacher_ids)) != len(teacher_ids):
        raise InvalidInput("a teacher is listed twice", field="teacher_ids", code="teacher_repeated")


def _sessions(course: Document, given: list[SessionIn]) -> list[Document]:
    """Session documents in time order (so id order is time order within one batch), in UTC."""
    ordered = sorted(given, key=lambda s: s.starts_at)
    return [
        {
            "_id": new_id("ses"),
            "course_id": course["_id"],
            "citizen_school_id": course["citizen_school_id"],
            "starts_at": s.starts_at.astimezone(UTC),
            "ends_at": s.ends_at.astimezone(UTC),
            "venue": s.venue,
            "capacity": s.capacity or course["capacity"],
            "kind": s.kind.value,
        }
        for s in ordered
    ]


def _check_times(given: list[SessionIn], existing: int = 0) -> None:
    check_sessions([SessionTimes(s.starts_at, s.ends_at) for s in given], existing)


async def create(ctx: EducationContext, caller: Caller, command: CourseCreate) -> Document:
    programme = await programmes.programme(ctx, command.programme_id)
    owner = await _owner(ctx, programme, command.owner_organization_id)
    await ctx.require_staff(caller, owner, "owner_organization_id")
    check_course(
        CourseRules(
            command.waitlist_policy,
            command.offer_window_hours,
            command.min_age,
            command.max_age,
            command.has_exam,
            command.pass_mark,
        )
    )
    _check_times(command.sessions)
    await _require_teachers(ctx, command.teacher_ids)
    now = ctx.now()
    document: Document = command.model_dump(mode="json", exclude={"sessions"}) | {
        "_id": new_id("crs"),
        "owner_organization_id": owner,
        "status": CourseStatus.DRAFT.value,
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.learning.insert_course(document, _sessions(document, command.sessions))
    return document | {"version": 1}


async def course(ctx: EducationContext, course_id: str) -> Document:
    document = await ctx.learning.course(course_id)
    if document is None:
        raise NotFound("no course has this id", field="course_id")
    return document


async def _for_change(ctx: EducationContext, caller: Caller, course_id: str) -> Document:
    document = await course(ctx, course_id)
    await ctx.require_staff(caller, document["owner_organization_id"])
    return document


async def _scheduled(ctx: EducationContext, document: Document) -> Envelope:
    """The announcement partners hear: public facts of the course, nobody's personal data."""
    count, first = await ctx.learning.session_facts(document["_id"])
    event = CourseScheduled(
        course_id=document["_id"],
        programme_id=document["programme_id"],
        title=document["title"],
        owner_organization_id=document["owner_organization_id"],
        category=document["category"],
        target_group=document["target_group"],
        first_session_starts_at=first,
        session_count=count,
        capacity=document["capacity"],
        needs_teachers=not document["teacher_ids"],
    )
    return ctx.events.envelope(event, subject=document["_id"])


async def act(ctx: EducationContext, caller: Caller, course_id: str, action: CourseAction) -> Document:
    document = await _for_change(ctx, caller, course_id)
    target = next_status(CourseStatus(document["status"]), action)
    events = [await _scheduled(ctx, document)] if target is CourseStatus.SCHEDULED else []
    updated = await ctx.learning.update_course(document, {"status": target.value}, events)
    if events:
        ctx.notify()
    return updated


async def add_sessions(
    ctx: EducationContext, caller: Caller, course_id: str, command: SessionsAdd
) -> list[Document]:
    document = await _for_change(ctx, caller, course_id)
    check_open_for_sessions(CourseStatus(document["status"]))
    existing, _ = await ctx.learning.session_facts(course_id)
    _check_times(command.sessions, existing)
    added = _sessions(document, command.sessions)
    await ctx.learning.add_sessions(added)
    return added


async def session(ctx: EducationContext, session_id: str) -> Document:
    document = await ctx.learning.session(session_id)
    if document is None:
        raise NotFound("no session has this id", field="session_id")
    return document


async def sessions_page(
    ctx: EducationContext, course_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    await course(ctx, course_id)
    return split_page(await ctx.learning.sessions_of(course_id, cursor_after(cursor), limit + 1), limit)


async def page(
    ctx: EducationContext, filters: CourseFilter, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    return split_page(
        await ctx.learning.find_courses(filters.query(), cursor_after(cursor), limit + 1), limit
    )


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.learning.courses(ids)}
    return [found[i] for i in ids if i in found]
