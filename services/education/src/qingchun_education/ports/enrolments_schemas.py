"""Enrolment and attendance responses, with Chinese labels beside codes; learners by id only."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.enrolments import CancelReason, EnrolmentStatus
from qingchun_plumbing.mongo import Document


class EnrolmentOut(BaseModel):
    """One learner's enrolment in a course (names come from the learner reads, which guard minors)."""

    id: str
    course_id: str
    learner_id: str
    status: str
    status_label: str
    position: int = Field(description="Order of arrival on the course's roster (0 = first).")
    offer_expires_at: datetime | None = Field(
        default=None, description="An offered place is held until then (待确认)."
    )
    cancel_reason: str | None = None
    cancel_reason_label: str | None = None
    created_at: datetime
    completed_on: str | None = Field(default=None, description="ISO date of completion (结业).")
    exam_score: float | None = None
    passed_exam: bool | None = Field(default=None, description="None when the course has no exam.")


class AttendanceOut(BaseModel):
    session_id: str
    course_id: str
    attendances: int = Field(description="Learners present at the session in all (人次 of this session).")
    newly_marked: list[str] = Field(
        description="Learners this recording added (the others were marked before)."
    )


class PresentLearnerOut(BaseModel):
    learner_id: str


class AttendanceSummaryOut(BaseModel):
    sessions_held: int = Field(description="Sessions with attendance recorded.")
    attendances: int = Field(description="人次: each learner counted once per session attended.")
    unique_learners: int = Field(description="Different learners who attended at least once.")


def enrolment_out(doc: Document) -> EnrolmentOut:
    status = EnrolmentStatus(doc["status"])
    reason = CancelReason(doc["cancel_reason"]) if doc.get("cancel_reason") else None
    return EnrolmentOut(
        id=doc["_id"],
        course_id=doc["course_id"],
        learner_id=doc["learner_id"],
        status=status.value,
        status_label=status.label,
        position=doc["position"],
        offer_expires_at=doc.get("offer_expires_at"),
        cancel_reason=reason.value if reason else None,
        cancel_reason_label=reason.label if reason else None,
        created_at=doc["created_at"],
        completed_on=doc.get("completed_on"),
        exam_score=doc.get("exam_score"),
        passed_exam=doc.get("passed_exam"),
    )


def attendance_out(doc: Document, added: list[str]) -> AttendanceOut:
    return AttendanceOut(
        session_id=doc["_id"],
        course_id=doc["course_id"],
        attendances=len(doc["learner_ids"]),
        newly_marked=added,
    )
