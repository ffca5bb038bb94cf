"""REST API of enrolments, waitlist offers, attendance and completion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_education.app import attendance, enrolments
from qingchun_education.app.enrolment_commands import AttendanceRecord, CompletionRecord, EnrolmentCreate
from qingchun_education.domain.enrolments import CancelReason, EnrolmentStatus
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.enrolments_schemas import (
    AttendanceOut,
    AttendanceSummaryOut,
    EnrolmentOut,
    PresentLearnerOut,
    attendance_out,
    enrolment_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput

router = APIRouter(prefix="/v1", tags=["enrolments"])


# enrolling and the waitlist ---------------------------------------------------------------------
@router.post(
    "/courses/{course_id}/enrolments",
    status_code=201,
    response_model=EnrolmentOut,
    summary="Enrol a learner (yourself, your child, or as the course's staff): a place or the waitlist",
)
async def enrol(course_id: str, body: EnrolmentCreate, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.enrol(ctx, caller, course_id, body))


@router.post(
    "/enrolments/{enrolment_id}:cancel",
    response_model=EnrolmentOut,
    summary="Withdraw (learner, guardian or staff); the place goes as the waitlist policy says",
)
async def cancel(enrolment_id: str, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.cancel(ctx, caller, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}:accept",
    response_model=EnrolmentOut,
    summary="Take up an offered place before its deadline (learner or guardian)",
)
async def accept(enrolment_id: str, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.accept(ctx, caller, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}:decline",
    response_model=EnrolmentOut,
    summary="Turn an offered place down; the next in line is offered it",
)
async def decline(enrolment_id: str, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.decline(ctx, caller, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}:promote",
    response_model=EnrolmentOut,
    summary="Staff: move a waitlisted learner into a free place (manual or notify-all courses)",
)
async def promote(enrolment_id: str, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.promote_waitlisted(ctx, caller, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}:complete",
    response_model=EnrolmentOut,
    summary="Staff: record completion (结业), with the exam score where the course has an exam",
)
async def complete(
    enrolment_id: str, body: CompletionRecord, caller: CurrentCaller, ctx: Ctx
) -> EnrolmentOut:
    return enrolment_out(await enrolments.complete(ctx, caller, enrolment_id, body))


# reading enrolments -----------------------------------------------------------------------------
@router.get(
    "/enrolments",
    response_model=Page[EnrolmentOut],
    summary="Enrolments by ids=a,b,c (those you may see), or a learner's (learner_id=…)",
)
async def list_enrolments(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    learner_id: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[EnrolmentOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[enrolment_out(d) for d in await enrolments.batch(ctx, caller, batch)])
    if learner_id is None:
        raise InvalidInput("give ids=… or learner_id=…", field="ids")
    items, next_cursor = await enrolments.learner_page(ctx, caller, learner_id, cursor, limit)
    return Page(items=[enrolment_out(d) for d in items], next_cursor=next_cursor)


@router.get("/enrolments/{enrolment_id}", response_model=EnrolmentOut, summary="One enrolment")
async def get_enrolment(enrolment_id: str, caller: CurrentCaller, ctx: Ctx) -> EnrolmentOut:
    return enrolment_out(await enrolments.enrolment(ctx, caller, enrolment_id))


@router.get(
    "/courses/{course_id}/enrolments",
    response_model=Page[EnrolmentOut],
    summary="Staff: the course's roster in order of enrolment, optionally by status",
)
async def list_of_course(
    course_id: str,
    caller: CurrentCaller,
    ctx: Ctx,
    status: Annotated[list[EnrolmentStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[EnrolmentOut]:
    items, next_cursor = await enrolments.course_page(ctx, caller, course_id, status, cursor, limit)
    return Page(items=[enrolment_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/learners/{learner_id}/enrolments",
    response_model=Page[EnrolmentOut],
    summary="A learner's enrolments (the learner, their guardians; staff see their own courses')",
)
async def list_of_learner(
    learner_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[EnrolmentOut]:
    items, next_cursor = await enrolments.learner_page(ctx, caller, learner_id, cursor, limit)
    return Page(items=[enrolment_out(d) for d in items], next_cursor=next_cursor)


# attendance -------------------------------------------------------------------------------------
@router.post(
    "/sessions/{session_id}/attendance",
    response_model=AttendanceOut,
    summary="Staff: mark enrolled learners present at a session that has begun (twice counts once)",
)
async def record_attendance(
    session_id: str, body: AttendanceRecord, caller: CurrentCaller, ctx: Ctx
) -> AttendanceOut:
    document, added = await attendance.record(ctx, caller, session_id, body)
    return attendance_out(document, added)


@router.get(
    "/sessions/{session_id}/attendance",
    response_model=Page[PresentLearnerOut],
    summary="Staff: learners marked present at a session (ids)",
)
async def list_attendance(
    session_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[PresentLearnerOut]:
    items, next_cursor = await attendance.present_page(ctx, caller, session_id, cursor, limit)
    return Page(items=[PresentLearnerOut(learner_id=d["_id"]) for d in items], next_cursor=next_cursor)


@router.get(
    "/courses/{course_id}/attendance-summary",
    response_model=AttendanceSummaryOut,
    summary="Staff: the course's sessions held, attendances (人次) and unique learners",
)
async def course_summary(course_id: str, caller: CurrentCaller, ctx: Ctx) -> AttendanceSummaryOut:
    return AttendanceSummaryOut(**await attendance.course_summary(ctx, caller, course_id))


@router.get(
    "/programmes/{programme_id}/attendance-summary",
    response_model=AttendanceSummaryOut,
    summary="Staff: the programme's sessions held, attendances (人次) and unique learners over its courses",
)
async def programme_summary(programme_id: str, caller: CurrentCaller, ctx: Ctx) -> AttendanceSummaryOut:
    return AttendanceSummaryOut(**await attendance.programme_summary(ctx, caller, programme_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "enrolment_status": EnrolmentStatus,
    "enrolment_cancel_reason": CancelReason,
}
