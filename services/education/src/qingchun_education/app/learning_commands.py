"""Validated input of learner, programme, course and session writes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from qingchun_education.domain.courses import (
    MAX_CAPACITY,
    MAX_SESSION_CAPACITY,
    MAX_SESSIONS,
    CourseCategory,
    CourseMode,
    SessionKind,
)
from qingchun_education.domain.programmes import MAX_YEAR, MIN_YEAR, ProgrammeKind, Season, TargetGroup
from qingchun_plumbing.fields import Command, EntityId, Name, OrgId, SubjectId, Title
from qingchun_plumbing.waitlist import MAX_OFFER_WINDOW_HOURS, WaitlistPolicy

DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
SchoolRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


# learners ---------------------------------------------------------------------------------------
class LearnerCreate(Command):
    display_name: DisplayName
    birth_date: date
    home_community_id: OrgId | None = None
    for_child: bool = Field(
        default=False, description="Register a child on your family account; you become their guardian."
    )
    child_subject_id: SubjectId | None = Field(
        default=None, description="With for_child: the child's own account, if they have one."
    )
    guardian_subject_id: SubjectId | None = Field(
        default=None, description="Registering yourself under the adult age: the guardian who will consent."
    )


class LearnerAccountLink(Command):
    child_subject_id: SubjectId = Field(description="The child's own account, now that they have one.")


# programmes -------------------------------------------------------------------------------------
class ProgrammeCreate(Command):
    name: Name = Field(description="e.g. 国学经典亲子诵读班")
    owner_organization_id: OrgId
    partner_organization_ids: list[OrgId] = Field(default_factory=list, max_length=20)
    kind: ProgrammeKind
    brand: Name | None = Field(default=None, description="e.g. 福娃福地书香国学")
    target_group: TargetGroup
    season: Season
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    sessions_planned: int = Field(default=0, ge=0, le=10_000)


# courses and sessions ---------------------------------------------------------------------------
class SessionIn(Command):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue: Name
    capacity: int | None = Field(
        default=None, ge=1, le=MAX_SESSION_CAPACITY, description="The venue's size; default: the course's."
    )
    kind: SessionKind = SessionKind.TEACHING


class CourseCreate(Command):
    programme_id: EntityId
    owner_organization_id: OrgId | None = Field(
        default=None, description="Default: the programme's owner; else an organisation in its subtree."
    )
    title: Title
    category: CourseCategory
    target_group: TargetGroup
    mode: CourseMode
    teacher_ids: list[EntityId] = Field(default_factory=list, max_length=20)
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    waitlist_policy: WaitlistPolicy = WaitlistPolicy.AUTO_PROMOTE
    offer_window_hours: int | None = Field(default=None, ge=1, le=MAX_OFFER_WINDOW_HOURS)
    family: bool = Field(default=False, description="Parent–child class: a guardian enrols with the child.")
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    has_exam: bool = False
    pass_mark: int | None = Field(default=None, ge=0, le=100)
    citizen_school_id: SchoolRef | None = None
    sessions: list[SessionIn] = Field(min_length=1, max_length=MAX_SESSIONS)


class SessionsAdd(Command):
    sessions: list[SessionIn] = Field(min_length=1, max_length=MAX_SESSIONS)
