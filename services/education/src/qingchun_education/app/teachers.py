"""The teacher pool (社区教育师资库): staff add teachers, volunteers join as candidates, rotation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import VolunteerRegistered
from qingchun_education.app.context import STAFF_ROLES, EducationContext
from qingchun_education.app.school_commands import TeacherConfirm, TeacherCreate, TrainingRecord
from qingchun_education.domain.teachers import (
    Engagement,
    TeacherSource,
    TeacherStatus,
    check_training_date,
    is_qualified,
    next_status,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound


def _record(now: datetime, **fields: Any) -> Document:
    """A new pool entry: no training on record yet, so not qualified."""
    base = {"_id": new_id("tch"), "trainings": {}, "qualified": False, "created_at": now, "updated_at": now}
    return base | fields


async def create(ctx: EducationContext, caller: Caller, command: TeacherCreate) -> Document:
    await ctx.active_organization(command.home_community_id, "home_community_id")
    await ctx.require_staff(caller, command.home_community_id, "home_community_id")
    document = _record(
        ctx.now(),
        **command.model_dump(mode="json"),
        volunteer_id=None,
        status=TeacherStatus.ACTIVE.value,
        created_by=caller.subject,
    )
    await ctx.schools.insert_teacher(document)
    return document | {"version": 1}


async def on_volunteer_registered(ctx: EducationContext, envelope: Envelope) -> None:
    """A volunteer who opted into teaching becomes a candidate; the pool holds each person once."""
    data = VolunteerRegistered.model_validate(envelope.data)
    if not data.teaching_opt_in:
        return
    candidate = _record(
        ctx.now(),
        subject_id=data.subject_id,
        volunteer_id=data.volunteer_id,
        display_name=None,
        source=TeacherSource.VOLUNTEER.value,
        engagement=Engagement.VOLUNTEER.value,
        specialties=[],
        status=TeacherStatus.CANDIDATE.value,
        home_community_id=data.home_community_id,
    )
    await ctx.schools.add_candidate(candidate)


async def teacher(ctx: EducationContext, teacher_id: str) -> Document:
    document = await ctx.schools.teacher(teacher_id)
    if document is None:
        raise NotFound("no teacher has this id", field="teacher_id")
    return document


async def may_see_person(ctx: EducationContext, caller: Caller, document: Document) -> bool:
    """Names are for the teacher and the staff keeping the record (any staff while none does)."""
    if caller.subject == document["subject_id"]:
        return True
    community = document.get("home_community_id")
    if community is None:
        return caller.has_any(*STAFF_ROLES)
    return await ctx.manages(caller, community)


async def _for_change(ctx: EducationContext, caller: Caller, teacher_id: str) -> Document:
    document = await teacher(ctx, teacher_id)
    if document.get("home_community_id") is None:
        caller.require_any(*STAFF_ROLES)
    else:
        await ctx.require_staff(caller, document["home_community_id"])
    return document


async def _move(ctx: EducationContext, caller: Caller, teacher_id: str, action: str) -> Document:
    document = await _for_change(ctx, caller, teacher_id)
    status = next_status(TeacherStatus(document["status"]), action)
    return await ctx.schools.update_teacher(document, {"status": status.value})


async def confirm(
    ctx: EducationContext, caller: Caller, teacher_id: str, command: TeacherConfirm
) -> Document:
    document = await _for_change(ctx, caller, teacher_id)
    next_status(TeacherStatus(document["status"]), "confirm")
    changes = command.model_dump(mode="json", exclude_none=True)
    if "home_community_id" in changes:
        await ctx.active_organization(changes["home_community_id"], "home_community_id")
        await ctx.require_staff(caller, changes["home_community_id"], "home_community_id")
    for needed in ("display_name", "home_community_id"):
        if document.get(needed) is None and needed not in changes:
            raise InvalidInput("a candidate needs this before confirmation", field=needed, code="missing")
    return await ctx.schools.update_teacher(document, changes | {"status": TeacherStatus.ACTIVE.value})


async def deactivate(ctx: EducationContext, caller: Caller, teacher_id: str) -> Document:
    return await _move(ctx, caller, teacher_id, "deactivate")


async def reactivate(ctx: EducationContext, caller: Caller, teacher_id: str) -> Document:
    return await _move(ctx, caller, teacher_id, "reactivate")


async def record_training(
    ctx: EducationContext, caller: Caller, teacher_id: str, command: TrainingRecord
) -> Document:
    """Record (or re-date) one of the five trainings; qualified once all five are on record."""
    document = await _for_change(ctx, caller, teacher_id)
    check_training_date(command.completed_on, ctx.local_date())
    trainings = document.get("trainings", {}) | {command.topic.value: command.completed_on.isoformat()}
    return await ctx.schools.update_teacher(
        document, {"trainings": trainings, "qualified": is_qualified(trainings)}
    )


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.schools.teachers(ids)}
    return [found[i] for i in ids if i in found]


async def page(
    ctx: EducationContext, *, cursor: str | None, limit: int, filters: dict[str, Any]
) -> tuple[list[Document], str | None]:
    """Teachers by community, source, specialty, qualification or status (non-personal filters)."""
    query = {field: value for field, value in filters.items() if value is not None}
    return split_page(await ctx.schools.find_teachers(query, cursor_after(cursor), limit + 1), limit)


HANDLERS: dict[str, Callable[[EducationContext, Envelope], Awaitable[None]]] = {
    VolunteerRegistered.event_type: on_volunteer_registered
}
