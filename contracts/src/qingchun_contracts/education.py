"""Events published by the education service.

Learners are named by platform ids only (``learner_id``, the token ``subject_id`` where the
learner has an account); no name, birth date, contact or guardian ever travels. Care-file
(帮教档案) events carry the pseudonymous case id, the jurisdiction (an organisation, never a
person) and need or outcome codes; never a name, a category label (单亲, 有劣迹, 释解…) or a date
of birth. Partner-audience events describe courses (public titles, owners, counts).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from qingchun_contracts.base import Audience, EventData, event_contract


# courses ---------------------------------------------------------------------------------------
@event_contract(
    "qingchun.education.course.scheduled.v1",
    Audience.PARTNER,
    "A course (课程/班) was scheduled and opened for enrolment, with its sessions.",
)
class CourseScheduled(EventData):
    course_id: str
    programme_id: str
    title: str = Field(description="Public title of the course.")
    owner_organization_id: str
    category: str
    target_group: str
    first_session_starts_at: datetime | None = None
    session_count: int
    capacity: int
    needs_teachers: bool = Field(
        default=False, description="No teacher assigned yet: volunteering may offer its 师资库 volunteers."
    )


# enrolments ------------------------------------------------------------------------------------
class _EnrolmentFact(EventData):
    enrolment_id: str
    course_id: str
    learner_id: str


@event_contract(
    "qingchun.education.enrolment.created.v1",
    Audience.INTERNAL,
    "A learner enrolled in a course: with a place (enrolled) or on the waitlist.",
)
class EnrolmentCreated(_EnrolmentFact):
    status: str = Field(description="enrolled or waitlisted")
    age_band: str = Field(description="child, minor or adult; never the birth date.")


@event_contract(
    "qingchun.education.enrolment.promoted.v1",
    Audience.INTERNAL,
    "A waitlisted learner got a place (or was offered it, with a deadline) because one freed up.",
)
class EnrolmentPromoted(_EnrolmentFact):
    confirm_by: datetime | None = Field(
        default=None, description="Set under a confirmation window: the place is held until then."
    )


@event_contract(
    "qingchun.education.enrolment.cancelled.v1",
    Audience.INTERNAL,
    "An enrolment was withdrawn, declined or its offer lapsed; its place is free again.",
)
class EnrolmentCancelled(_EnrolmentFact):
    reason_code: str = Field(description="learner, organizer, declined or offer_lapsed")


@event_contract(
    "qingchun.education.attendance.recorded.v1",
    Audience.INTERNAL,
    "Attendance of one session was recorded: who was there, and the session's 人次.",
)
class AttendanceRecorded(EventData):
    session_id: str
    course_id: str
    owner_organization_id: str
    learner_ids: list[str] = Field(description="Learners newly marked present by this recording.")
    attendances: int = Field(description="Learners present at the session in all (人次 of this session).")


@event_contract(
    "qingchun.education.course.completed.v1",
    Audience.INTERNAL,
    "A learner completed a course (结业), after its exam where it has one.",
)
class CourseCompleted(_EnrolmentFact):
    subject_id: str | None = Field(default=None, description="The learner's account, when they have one.")
    category: str
    passed_exam: bool | None = Field(default=None, description="None when the course has no exam.")
    completed_on: str = Field(description="ISO date.")


@event_contract(
    "qingchun.education.certificate.issued.v1",
    Audience.INTERNAL,
    "A completion certificate (结业证书) was issued; anyone can verify it at its URL.",
)
class CertificateIssued(EventData):
    certificate_number: str
    enrolment_id: str
    course_id: str
    learner_id: str
    issuer_organization_id: str
    verification_url: str
    subject_id: str | None = Field(
        default=None, description="The learner's account, when they have one (employment adds the skill)."
    )
    category: str | None = Field(default=None, description="The course's category: the skill it certifies.")


# badges (雏鹰争章) ----------------------------------------------------------------------------------
@event_contract(
    "qingchun.education.badge.awarded.v1",
    Audience.INTERNAL,
    "A badge (雏鹰章) was awarded to a child, by a counsellor or earned from verified activity.",
)
class BadgeAwarded(EventData):
    award_id: str
    badge_id: str
    badge_code: str
    learner_id: str
    source: str = Field(description="counsellor or automatic")
    awarded_on: str = Field(description="ISO date.")


# care files (帮教档案): case id, jurisdiction and codes only ------------------------------------------
@event_contract(
    "qingchun.education.care_case.opened.v1",
    Audience.INTERNAL,
    "A care case was filed; helpers are needed for the listed needs (no name, no category).",
)
class CareCaseOpened(EventData):
    case_id: str = Field(description="Pseudonymous case id; says nothing about the person.")
    jurisdiction_organization_id: str = Field(description="The community or street that runs the case.")
    need_codes: list[str] = Field(description="Measures wanted: pairing, school_aid, skills_training, …")
    referral_consented: bool = Field(
        default=False,
        description="The youth (or guardian) agreed to a skills or job referral: employment may open a "
        "referral task for the jurisdiction's staff, by case id only.",
    )


@event_contract(
    "qingchun.education.care_case.outcome_changed.v1",
    Audience.INTERNAL,
    "A care case moved on (改好, 重返校园, 完成学业, 就业, closed) or was flagged as reoffended.",
)
class CareCaseOutcomeChanged(EventData):
    case_id: str
    jurisdiction_organization_id: str
    status: str = Field(description="The case's new status code.")
    outcome_code: str | None = Field(
        default=None, description="improved, returned_to_school, completed_studies or employed"
    )
    reoffended: bool = False
