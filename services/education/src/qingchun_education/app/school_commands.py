"""Validated input of citizen-school and teacher-pool writes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from qingchun_education.domain.schools import (
    MAX_ROLE_HOLDERS,
    Eligibility,
    FundingSource,
    SchoolKind,
    SchoolRole,
)
from qingchun_education.domain.teachers import Engagement, TeacherSource, TrainingTopic
from qingchun_plumbing.fields import Command, Name, OrgId, SubjectId, Tag, Text

MAX_EQUIPMENT = 50
MAX_SPECIALTIES = 20


class RoleHolder(Command):
    role: SchoolRole
    subject_id: SubjectId = Field(description="The holder's account (the token's sub).")
    display_name: Name
    unit: Name | None = Field(default=None, description="Work unit, e.g. 街道联络工作站 or a 共建单位.")


class SchoolCreate(Command):
    organization_id: OrgId = Field(description="The community or street the school belongs to.")
    name: Name = Field(description="e.g. 和平社区市民学校; unique within the organisation.")
    kind: SchoolKind = SchoolKind.CITIZEN_SCHOOL
    plaque_date: date | None = Field(default=None, description="挂牌成立 date, once held.")
    setup_deadline: date | None = Field(default=None, description="When the plaque ceremony is due.")
    venue: Text | None = None
    equipment: list[Tag] = Field(default_factory=list, max_length=MAX_EQUIPMENT)
    funding_source: FundingSource = FundingSource.COMMUNITY
    teaching_time: Text | None = Field(default=None, description="e.g. 每周六晚")
    eligibility: Eligibility = Eligibility.ALL_RESIDENTS
    roles: list[RoleHolder] = Field(default_factory=list, max_length=MAX_ROLE_HOLDERS)


class SchoolRolesReplace(Command):
    roles: list[RoleHolder] = Field(max_length=MAX_ROLE_HOLDERS, description="The whole new roster.")


class SchoolEstablish(Command):
    plaque_date: date = Field(description="The day of the 挂牌成立 ceremony.")


class TeacherCreate(Command):
    subject_id: SubjectId
    display_name: Name
    source: TeacherSource
    engagement: Engagement
    specialties: list[Tag] = Field(default_factory=list, max_length=MAX_SPECIALTIES)
    home_community_id: OrgId = Field(description="The community whose staff keep this teacher's record.")


class TeacherConfirm(Command):
    """What staff add to a volunteer's candidacy: the name and the community, if not yet known."""

    display_name: Name | None = None
    home_community_id: OrgId | None = None
    engagement: Engagement | None = None
    specialties: list[Tag] | None = Field(default=None, max_length=MAX_SPECIALTIES)


class TrainingRecord(Command):
    topic: TrainingTopic
    completed_on: date
