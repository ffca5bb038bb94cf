"""Validated input of care-file writes (帮教档案). Bad input is refused naming the field, never echoing it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_education.domain.care import (
    CareCategory,
    CareMeasure,
    CaseAction,
    EmploymentStatus,
    EscalationReason,
    EscalationTarget,
    Gender,
    GuardianRelation,
    SchoolingStatus,
    VisitKind,
)
from qingchun_plumbing.fields import Command, Name, OrgId, Phone, SubjectId, Text

VolunteerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,64}$")]


class YouthIn(Command):
    display_name: Name = Field(description="As the community knows the youth; kept only in this file.")
    birth_date: date
    gender: Gender | None = None
    contact: Phone | None = None


class GuardianIn(Command):
    name: Name
    relation: GuardianRelation
    contact: Phone | None = None


class CareCaseCreate(Command):
    """调查摸底: a youth found by the survey, recorded before the file is formally opened (建档)."""

    jurisdiction_organization_id: OrgId = Field(description="The community or street that runs the case.")
    youth: YouthIn
    categories: list[CareCategory] = Field(min_length=1, max_length=len(CareCategory))
    guardian: GuardianIn | None = None
    schooling_status: SchoolingStatus
    employment_status: EmploymentStatus
    measures: list[CareMeasure] = Field(default_factory=list, max_length=len(CareMeasure))
    responsible_person_subject_id: SubjectId | None = Field(
        default=None, description="专人负责: a subject id."
    )
    referral_consented: bool | None = Field(
        default=None,
        description="The youth (or guardian) agreed to a skills or job referral by 青年创业者行动 staff; "
        "only then does the opening event say so (by case id, never a name).",
    )


class CareCaseUpdate(Command):
    """Fields to change; those left out stay as they are (动态管理档案)."""

    youth: YouthIn | None = None
    categories: list[CareCategory] | None = Field(default=None, min_length=1, max_length=len(CareCategory))
    guardian: GuardianIn | None = None
    schooling_status: SchoolingStatus | None = None
    employment_status: EmploymentStatus | None = None
    measures: list[CareMeasure] | None = Field(default=None, max_length=len(CareMeasure))
    referral_consented: bool | None = Field(
        default=None,
        description="The youth (or guardian) agreed to a skills or job referral by 青年创业者行动 staff; "
        "only then does the opening event say so (by case id, never a name).",
    )
    responsible_person_subject_id: SubjectId | None = None
    last_reviewed_on: date | None = Field(default=None, description="The date of the latest periodic review.")


class TransitionIn(Command):
    action: CaseAction


class HelperIn(Command):
    subject_id: SubjectId = Field(description="The helper's platform subject id (token sub).")
    volunteer_id: VolunteerId | None = None
    pairing_id: VolunteerId | None = None


class VisitIn(Command):
    visited_on: date
    kind: VisitKind
    notes: Text | None = None


class EscalationIn(Command):
    to: EscalationTarget
    reason_code: EscalationReason
    note: Text | None = None
