"""Attendance use cases: staff mark who was at a session; counts in 人次 and in unique learners.

A session's attendance is one document; a recording adds the learners not yet marked in one
optimistic write with its event, so recording someone twice (or two staff at once) counts once.
"""

from __future__ import annotations

from qingchun_contracts.education import AttendanceRecorded
from qingchun_education.app.context import EducationContext
from qingchun_education.app.enrolment_commands import AttendanceRecord
from qingchun_education.app.enrolments import MAX_ATTEMPTS, course_of
from qingchun_education.domain.attendance import check_enrolled, check_held, check_room, newly_present
from qingchun_education.domain.enrolments import ATTENDING, EnrolmentStatus
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import NotFound, StaleWrite


async def _session_of_staff(
    ctx: EducationContext, caller: Caller, session_id: str
) -> tuple[Document, Document]:
    """The session and its course, for staff of the course's organisation only."""
    session = await ctx.learning.session(session_id)
    if session is None:
        raise NotFound("no session has this id", field="session_id")
    course = await course_of(ctx, session["course_id"])
    await ctx.require_staff(caller, course["owner_organization_id"], "session_id")
    return session, course


async def _attending(ctx: EducationContext, course_id: str) -> set[str]:
    roster = await ctx.enrolments.roster(course_id)
    entries = roster["entries"] if roster is not None else []
    return {e["learner_id"] for e in entries if EnrolmentStatus(e["status"]) in ATTENDING}


def _blank(session: Document, course: Document) -> Document:
    return {
        "_id": session["_id"],
        "course_id": course["_id"],
        "programme_id": course.get("programme_id"),
        "owner_organization_id": course["owner_organization_id"],
        "learner_ids": [],
    }


async def record(
    ctx: EducationContext, caller: Caller, session_id: str, command: AttendanceRecord
) -> tuple[Document, list[str]]:
    """Mark learners present; returns the session's attendance and who this recording added."""
    session, course = await _session_of_staff(ctx, caller, session_id)
    check_held(session["starts_at"], ctx.now())
    check_enrolled(command.learner_ids, await _attending(ctx, course["_id"]))
    for _ in range(MAX_ATTEMPTS):
        stored = await ctx.enrolments.attendance(session_id)
        present = stored["learner_ids"] if stored is not None else []
        added = newly_present(present, command.learner_ids)
        if not added:
            return stored or _blank(session, course), []
        check_room(len(present), len(added), session.get("capacity"))
        recorded = AttendanceRecorded(
            session_id=session_id,
            course_id=course["_id"],
            owner_organization_id=course["owner_organization_id"],
            learner_ids=added,
            attendances=len(present) + len(added),
        )
        events = [ctx.events.envelope(recorded, subject=session_id)]
        try:
            if stored is None:
                result = await ctx.enrolments.insert_attendance(
                    _blank(session, course) | {"learner_ids": added, "created_at": ctx.now()}, events
                )
            else:
                result = await ctx.enrolments.update_attendance(
                    stored, {"learner_ids": present + added}, events
                )
        except StaleWrite:
            continue
        ctx.notify()
        return result, added
    raise StaleWrite("the session's attendance is too busy right now; try again")


async def present_page(
    ctx: EducationContext, caller: Caller, session_id: str, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """Learners marked present at a session, by id (ids only: names come from the learner reads)."""
    await _session_of_staff(ctx, caller, session_id)
    stored = await ctx.enrolments.attendance(session_id)
    after = cursor_after(cursor)
    ids = sorted(i for i in (stored["learner_ids"] if stored else []) if after is None or i > after)
    return split_page([{"_id": i} for i in ids[: limit + 1]], limit)


async def course_summary(ctx: EducationContext, caller: Caller, course_id: str) -> dict[str, int]:
    course = await course_of(ctx, course_id)
    await ctx.require_staff(caller, course["owner_organization_id"], "course_id")
    return await ctx.enrolments.attendance_summary({"course_id": course_id})


async def programme_summary(ctx: EducationContext, caller: Caller, programme_id: str) -> dict[str, int]:
    """Over all the programme's courses: a learner at two of its courses is one unique learner."""
    programme = await ctx.learning.programme(programme_id)
    if programme is None:
        raise NotFound("no programme has this id", field="programme_id")
    await ctx.require_staff(caller, programme["owner_organization_id"], "programme_id")
    return await ctx.enrolments.attendance_summary({"programme_id": programme_id})
