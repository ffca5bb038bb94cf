"""Validated input of enrolment, completion and attendance writes."""

from __future__ import annotations

from pydantic import Field

from qingchun_plumbing.fields import Command, EntityId

MAX_MARKED = 500
"""Learners marked present in one recording: more than any room (a lecture hall) holds."""


class EnrolmentCreate(Command):
    learner_id: EntityId = Field(
        description="The learner (lrn_…): the caller, a child of theirs, or anyone for staff."
    )
    guardian_present: bool = Field(
        default=False,
        description="A guardian attends with the child (required for a child on a 亲子 course).",
    )


class CompletionRecord(Command):
    exam_score: float | None = Field(
        default=None, ge=0, le=1000, description="Required when the course has an exam (结业考试)."
    )


class AttendanceRecord(Command):
    learner_ids: list[EntityId] = Field(min_length=1, max_length=MAX_MARKED, description="Learners present.")
