"""Responses of learners, programmes, courses and sessions, with Chinese labels beside codes.

A learner's name and birth date are personal (minors' above all): the response carries them only
for the learner, their guardians and the staff over their home community; anyone else sees the
id, the age band and whether consent is on record.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.courses import CourseCategory, CourseMode, CourseStatus, SessionKind
from qingchun_education.domain.programmes import ProgrammeKind, Season, TargetGroup
from qingchun_plumbing.ages import AgeBand
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.waitlist import WaitlistPolicy


# learners ---------------------------------------------------------------------------------------
class ConsentOut(BaseModel):
    guardian_subject_id: str
    recorded_at: datetime


class LearnerOut(BaseModel):
    id: str
    age_band: str
    age_band_label: str
    consent_recorded: bool
    personal: bool = Field(description="Whether the personal fields below are shown to you.")
    display_name: str | None = None
    birth_date: date | None = None
    subject_id: str | None = None
    guardian_subject_ids: list[str] | None = None
    home_community_id: str | None = None
    consent: ConsentOut | None = None
    version: int


def learner_out(doc: Document, band: AgeBand, personal: bool) -> LearnerOut:
    public = LearnerOut(
        id=doc["_id"],
        age_band=band.value,
        age_band_label=band.label,
        consent_recorded=doc.get("consent") is not None,
        personal=personal,
        version=doc["version"],
    )
    if not personal:
        return public
    return public.model_copy(
        update={
            "display_name": doc["display_name"],
            "birth_date": date.fromisoformat(doc["birth_date"]),
            "subject_id": doc["subject_id"],
            "guardian_subject_ids": doc["guardian_subject_ids"],
            "home_community_id": doc.get("home_community_id"),
            "consent": None if doc.get("consent") is None else ConsentOut(**doc["consent"]),
        }
    )


# programmes -------------------------------------------------------------------------------------
class ProgrammeOut(BaseModel):
    id: str
    name: str
    owner_organization_id: str
    partner_organization_ids: list[str]
    kind: str
    kind_label: str
    brand: str | None
    target_group: str
    target_group_label: str
    season: str
    season_label: str
    year: int
    sessions_planned: int
    version: int
    created_at: datetime


def programme_out(doc: Document) -> ProgrammeOut:
    kind, group, season = ProgrammeKind(doc["kind"]), TargetGroup(doc["target_group"]), Season(doc["season"])
    return ProgrammeOut(
        id=doc["_id"],
        name=doc["name"],
        owner_organization_id=doc["owner_organization_id"],
        partner_organization_ids=doc["partner_organization_ids"],
        kind=kind.value,
        kind_label=kind.label,
        brand=doc.get("brand"),
        target_group=group.value,
        target_group_label=group.label,
        season=season.value,
        season_label=season.label,
        year=doc["year"],
        sessions_planned=doc["sessions_planned"],
        version=doc["version"],
        created_at=doc["created_at"],
    )


# courses ----------------------------------------------------------------------------------------
class CourseOut(BaseModel):
    id: str
    programme_id: str
    owner_organization_id: str
    title: str
    category: str
    category_label: str
    target_group: str
    target_group_label: str
    mode: str
    mode_label: str
    teacher_ids: list[str]
    capacity: int
    waitlist_policy: str
    waitlist_policy_label: str
    offer_window_hours: int | None
    family: bool
    min_age: int | None
    max_age: int | None
    has_exam: bool
    pass_mark: int | None
    citizen_school_id: str | None
    status: str
    status_label: str
    version: int
    created_at: datetime


def course_out(doc: Document) -> CourseOut:
    category, group = CourseCategory(doc["category"]), TargetGroup(doc["target_group"])
    mode, policy, status = (
        CourseMode(doc["mode"]),
        WaitlistPolicy(doc["waitlist_policy"]),
        CourseStatus(doc["status"]),
    )
    fields = {
        k: doc[k]
        for k in (
            "programme_id",
            "owner_organization_id",
            "title",
            "teacher_ids",
            "capacity",
            "offer_window_hours",
            "family",
            "min_age",
            "max_age",
            "has_exam",
            "pass_mark",
            "citizen_school_id",
            "version",
            "created_at",
        )
    }
    return CourseOut(
        id=doc["_id"],
        category=category.value,
        category_label=category.label,
        target_group=group.value,
        target_group_label=group.label,
        mode=mode.value,
        mode_label=mode.label,
        waitlist_policy=policy.value,
        waitlist_policy_label=policy.label,
        status=status.value,
        status_label=status.label,
        **fields,
    )


class SessionOut(BaseModel):
    id: str
    course_id: str
    citizen_school_id: str | None
    starts_at: datetime
    ends_at: datetime
    venue: str
    capacity: int
    kind: str
    kind_label: str


def session_out(doc: Document) -> SessionOut:
    kind = SessionKind(doc["kind"])
    return SessionOut(
        id=doc["_id"],
        course_id=doc["course_id"],
        citizen_school_id=doc.get("citizen_school_id"),
        starts_at=doc["starts_at"],
        ends_at=doc["ends_at"],
        venue=doc["venue"],
        capacity=doc["capacity"],
        kind=kind.value,
        kind_label=kind.label,
    )
