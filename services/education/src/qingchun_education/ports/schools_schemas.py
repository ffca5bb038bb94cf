"""Citizen-school, compliance and teacher responses: codes with Chinese labels; names only for staff."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.compliance import Compliance
from qingchun_education.domain.schools import (
    Eligibility,
    FundingSource,
    SchoolKind,
    SchoolRole,
    SetupStatus,
    setup_status,
)
from qingchun_education.domain.teachers import (
    Engagement,
    TeacherSource,
    TeacherStatus,
    TrainingTopic,
    missing_trainings,
)
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document


class Labelled(BaseModel):
    code: str
    label: str


def labelled(member: LabelledEnum) -> Labelled:
    return Labelled(code=member.value, label=member.label)


class RoleHolderOut(BaseModel):
    role: str
    role_label: str
    unit: str | None
    subject_id: str | None = Field(default=None, description="Only for staff who manage the school.")
    display_name: str | None = Field(default=None, description="Only for staff who manage the school.")


class SchoolOut(BaseModel):
    id: str
    organization_id: str
    name: str
    kind: str
    kind_label: str
    plaque_date: date | None
    setup_deadline: date | None
    setup_status: str
    setup_status_label: str
    venue: str | None
    equipment: list[str]
    funding_source: str
    funding_source_label: str
    teaching_time: str | None
    eligibility: str
    eligibility_label: str
    roles: list[RoleHolderOut]
    version: int
    created_at: datetime


def _holder(raw: Document, named: bool) -> RoleHolderOut:
    role = SchoolRole(raw["role"])
    return RoleHolderOut(
        role=role.value,
        role_label=role.label,
        unit=raw.get("unit"),
        subject_id=raw["subject_id"] if named else None,
        display_name=raw["display_name"] if named else None,
    )


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def school_out(doc: Document, holders_visible: bool, today: date) -> SchoolOut:
    kind, funding = SchoolKind(doc["kind"]), FundingSource(doc["funding_source"])
    eligibility = Eligibility(doc["eligibility"])
    plaque, deadline = _day(doc.get("plaque_date")), _day(doc.get("setup_deadline"))
    setup: SetupStatus = setup_status(plaque, deadline, today)
    return SchoolOut(
        id=doc["_id"],
        organization_id=doc["organization_id"],
        name=doc["name"],
        kind=kind.value,
        kind_label=kind.label,
        plaque_date=plaque,
        setup_deadline=deadline,
        setup_status=setup.value,
        setup_status_label=setup.label,
        venue=doc.get("venue"),
        equipment=doc.get("equipment", []),
        funding_source=funding.value,
        funding_source_label=funding.label,
        teaching_time=doc.get("teaching_time"),
        eligibility=eligibility.value,
        eligibility_label=eligibility.label,
        roles=[_holder(r, holders_visible) for r in doc.get("roles", [])],
        version=doc["version"],
        created_at=doc["created_at"],
    )


class ComplianceOut(BaseModel):
    month: str = Field(description="YYYY-MM")
    status: str
    status_label: str
    activities_or_lectures: int = Field(description="Held activities and lectures in the month.")
    teaching_weeks: int
    weeks_required: int = Field(description="Weeks judged so far (over, or already taught).")
    missing_weeks: list[str] = Field(description="ISO week labels, e.g. 2026-W37.")
    reasons: list[Labelled]


class SchoolComplianceOut(BaseModel):
    school_id: str
    name: str
    organization_id: str
    compliance: ComplianceOut


def compliance_out(result: Compliance) -> ComplianceOut:
    return ComplianceOut(
        month=result.month,
        status=result.status.value,
        status_label=result.status.label,
        activities_or_lectures=result.activities_or_lectures,
        teaching_weeks=result.teaching_weeks,
        weeks_required=result.weeks_required,
        missing_weeks=result.missing_weeks,
        reasons=[labelled(r) for r in result.reasons],
    )


def school_compliance_out(doc: Document, result: Compliance) -> SchoolComplianceOut:
    return SchoolComplianceOut(
        school_id=doc["_id"],
        name=doc["name"],
        organization_id=doc["organization_id"],
        compliance=compliance_out(result),
    )


class TrainingOut(BaseModel):
    topic: str
    topic_label: str
    completed_on: date


class TeacherOut(BaseModel):
    """Everyone sees id, source and specialties; the rest is for the teacher and their staff."""

    id: str
    source: str
    source_label: str
    specialties: list[str]
    subject_id: str | None = None
    volunteer_id: str | None = None
    display_name: str | None = None
    engagement: str | None = None
    engagement_label: str | None = None
    status: str | None = None
    status_label: str | None = None
    home_community_id: str | None = None
    trainings: list[TrainingOut] | None = None
    missing_trainings: list[Labelled] | None = None
    qualified: bool | None = None
    version: int | None = None


def _trainings(raw: dict[str, str]) -> list[TrainingOut]:
    return [
        TrainingOut(topic=t.value, topic_label=t.label, completed_on=date.fromisoformat(raw[t.value]))
        for t in TrainingTopic
        if t.value in raw
    ]


def teacher_out(doc: Document, person_visible: bool) -> TeacherOut:
    source = TeacherSource(doc["source"])
    public = TeacherOut(
        id=doc["_id"], source=source.value, source_label=source.label, specialties=doc["specialties"]
    )
    if not person_visible:
        return public
    engagement, status = Engagement(doc["engagement"]), TeacherStatus(doc["status"])
    return public.model_copy(
        update={
            "subject_id": doc["subject_id"],
            "volunteer_id": doc.get("volunteer_id"),
            "display_name": doc.get("display_name"),
            "engagement": engagement.value,
            "engagement_label": engagement.label,
            "status": status.value,
            "status_label": status.label,
            "home_community_id": doc.get("home_community_id"),
            "trainings": _trainings(doc.get("trainings", {})),
            "missing_trainings": [labelled(t) for t in missing_trainings(doc.get("trainings", {}))],
            "qualified": doc.get("qualified", False),
            "version": doc["version"],
        }
    )
