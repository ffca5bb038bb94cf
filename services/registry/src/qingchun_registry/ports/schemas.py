"""Response bodies: what the registry shows, with Chinese labels beside every code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_registry.adapters.documents import creation_from, term_from
from qingchun_registry.domain.agreements import AgreementStatus, AgreementType
from qingchun_registry.domain.creation import CreationStage, SurveyItem, allowed_next
from qingchun_registry.domain.designations import DesignationKind
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.domain.terms import TermStatus, term_status
from qingchun_registry.domain.youth_centers import CenterStatus, Requirement


class Coded(BaseModel):
    code: str
    label: str = Field(description="中文名称")


class AreaOut(BaseModel):
    city: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None


class DesignationOut(BaseModel):
    id: str
    kind: str
    kind_label: str
    issuer_organization_id: str | None
    granted_on: date
    valid_until: date | None
    status: str


class SurveyOut(BaseModel):
    checked: list[Coded]
    missing: list[Coded]
    complete: bool
    youth_count: int
    hardship_household_count: int
    dropout_youth_count: int
    unemployed_youth_count: int
    juvenile_offence_count: int
    volunteer_project_count: int


class CreationOut(BaseModel):
    """创建青年文明社区 progress."""

    stage: str
    stage_label: str
    next_stages: list[Coded]
    batch: str | None
    plan_title: str | None
    is_demonstration: bool
    survey: SurveyOut | None


class ElectionOut(BaseModel):
    held_on: date
    method: str
    committee_size: int | None
    secretary_subject_id: str | None


class BranchOut(BaseModel):
    """团支部/总支: term and elections (按期换届)."""

    term_start: date | None
    term_end: date | None
    term_years: int | None
    term_status: str
    term_status_label: str
    member_count: int | None
    resident_member_count: int | None
    elections: list[ElectionOut]


class RegistrationOut(BaseModel):
    authority: str
    number: str
    registered_on: date


class YouthCenterOut(BaseModel):
    """青年中心 and its five basic requirements."""

    status: str
    status_label: str
    compliant: bool
    unmet_requirements: list[Coded]
    build_mode: str | None
    indoor_area_m2: float | None
    full_time_staff_count: int
    org_form: str | None
    projects: list[str]
    operating_models: list[str]
    plaque_installed: bool
    registration: RegistrationOut | None


class OrganizationOut(BaseModel):
    id: str
    name: str
    type: str
    type_label: str
    category: str
    category_label: str
    parent_id: str | None
    area: AreaOut
    address: str | None
    office_phone: str | None
    founded_on: date | None
    tags: list[str]
    status: str
    designations: list[DesignationOut]
    community: CreationOut | None = None
    branch: BranchOut | None = None
    youth_center: YouthCenterOut | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class AgreementOut(BaseModel):
    id: str
    type: str
    type_label: str
    title: str
    status: str
    status_label: str
    party_ids: list[str]
    site_ids: list[str]
    commitments: list[str]
    meeting_schedule: list[str]
    funding_split: str | None
    signed_on: date | None
    plaque_on: date | None
    ends_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


def _coded(values: list[Any]) -> list[Coded]:
    return [Coded(code=v.value, label=v.label) for v in values]


def _creation(doc: Document) -> CreationOut:
    creation = creation_from(doc)
    survey = None
    if creation.survey is not None:
        s = creation.survey
        survey = SurveyOut(
            checked=_coded([i for i in SurveyItem if i in s.checked]),
            missing=_coded(s.missing),
            complete=s.complete,
            youth_count=s.youth_count,
            hardship_household_count=s.hardship_household_count,
            dropout_youth_count=s.dropout_youth_count,
            unemployed_youth_count=s.unemployed_youth_count,
            juvenile_offence_count=s.juvenile_offence_count,
            volunteer_project_count=s.volunteer_project_count,
        )
    stage = CreationStage(creation.stage)
    next_stages = [s for s in CreationStage if s in allowed_next(stage)]
    return CreationOut(
        stage=stage.value,
        stage_label=stage.label,
        next_stages=_coded(next_stages),
        batch=creation.batch,
        plan_title=creation.plan_title,
        is_demonstration=creation.is_demonstration,
        survey=survey,
    )


def _branch(doc: Document, today: date, due_soon_days: int) -> BranchOut:
    term = term_from(doc.get("term"))
    status = term_status(term, today, due_soon_days)
    return BranchOut(
        term_start=term.start if term else None,
        term_end=term.end if term else None,
        term_years=term.years if term else None,
        term_status=status.value,
        term_status_label=status.label,
        member_count=doc.get("member_count"),
        resident_member_count=doc.get("resident_member_count"),
        elections=[
            ElectionOut(**{k: e.get(k) for k in ElectionOut.model_fields}) for e in doc.get("elections", [])
        ],
    )


def _youth_center(doc: Document) -> YouthCenterOut:
    status = CenterStatus(doc["status"])
    profile = doc["profile"]
    return YouthCenterOut(
        status=status.value,
        status_label=status.label,
        compliant=not doc["unmet"],
        unmet_requirements=_coded([Requirement(r) for r in doc["unmet"]]),
        registration=RegistrationOut(**doc["registration"]) if doc.get("registration") else None,
        **profile,
    )


def organization_out(doc: Document, today: date, due_soon_days: int) -> OrganizationOut:
    org_type = OrgType(doc["type"])
    return OrganizationOut(
        id=doc["_id"],
        name=doc["name"],
        type=org_type.value,
        type_label=org_type.label,
        category=org_type.category.value,
        category_label=org_type.category.label,
        parent_id=doc.get("parent_id"),
        area=AreaOut(**doc.get("area", {})),
        address=doc.get("address"),
        office_phone=doc.get("office_phone"),
        founded_on=doc.get("founded_on"),
        tags=doc.get("tags", []),
        status=doc["status"],
        designations=[
            DesignationOut(**d, kind_label=DesignationKind(d["kind"]).label) for d in doc["designations"]
        ],
        community=_creation(doc["community"]) if "community" in doc else None,
        branch=_branch(doc["branch"], today, due_soon_days) if "branch" in doc else None,
        youth_center=_youth_center(doc["youth_center"]) if "youth_center" in doc else None,
        version=doc["version"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )


def agreement_out(doc: Document) -> AgreementOut:
    kind, status = AgreementType(doc["type"]), AgreementStatus(doc["status"])
    fields = {
        k: doc.get(k) for k in AgreementOut.model_fields if k not in {"id", "type_label", "status_label"}
    }
    return AgreementOut(**fields | {"id": doc["_id"], "type_label": kind.label, "status_label": status.label})


LABELLED_ENUMS: dict[str, Any] = {
    "organization_type": OrgType,
    "creation_stage": CreationStage,
    "survey_item": SurveyItem,
    "term_status": TermStatus,
    "youth_center_status": CenterStatus,
    "youth_center_requirement": Requirement,
    "designation_kind": DesignationKind,
    "agreement_type": AgreementType,
    "agreement_status": AgreementStatus,
}
