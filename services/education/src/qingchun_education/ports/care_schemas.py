"""Care-file responses: codes with their Chinese labels; the youth's data only to those who may read it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_education.domain.care import (
    CareCategory,
    CareMeasure,
    CaseStatus,
    EmploymentStatus,
    EscalationReason,
    EscalationTarget,
    Gender,
    GuardianRelation,
    SchoolingStatus,
    VisitKind,
)
from qingchun_education.domain.care_access import CareAction
from qingchun_education.domain.care_statistics import CareStatistics, Cell
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document


class Coded(BaseModel):
    code: str
    label: str


def coded(member: LabelledEnum) -> Coded:
    return Coded(code=member.value, label=member.label)


class YouthOut(BaseModel):
    display_name: str
    birth_date: date
    gender: Coded | None
    contact: str | None


class GuardianOut(BaseModel):
    name: str
    relation: Coded
    contact: str | None


class HelperOut(BaseModel):
    subject_id: str
    volunteer_id: str | None
    pairing_id: str | None


class EscalationOut(BaseModel):
    id: str
    to: Coded
    reason: Coded
    note: str | None
    by: str
    at: datetime


class CareCaseOut(BaseModel):
    id: str = Field(description="Pseudonymous: says nothing about the person.")
    jurisdiction_organization_id: str
    status: str
    status_label: str
    outcome: Coded | None
    reoffended: bool
    youth: YouthOut
    categories: list[Coded]
    guardian: GuardianOut | None
    schooling_status: Coded
    employment_status: Coded
    measures: list[Coded]
    helpers: list[HelperOut]
    responsible_person_subject_id: str | None
    referral_consented: bool
    visit_count: int
    last_visited_on: date | None
    escalations: list[EscalationOut]
    last_reviewed_on: date | None
    version: int
    created_at: datetime


class VisitOut(BaseModel):
    id: str
    visited_on: date
    kind: Coded
    notes: str | None = Field(description="Null for visits logged in volunteering (notes stay there).")
    helper_subject_id: str | None
    pairing_id: str | None


class AuditEntryOut(BaseModel):
    id: str
    case_id: str | None
    action: Coded
    subject: str
    roles: list[str]
    outcome: str
    at: datetime
    correlation_id: str | None


class CountOut(BaseModel):
    code: str
    label: str
    value: int | None = Field(description="Null when withheld (a small cell, or one that would reveal it).")
    suppressed: bool


class RateOut(BaseModel):
    code: str
    label: str
    value: float | None = Field(description="Share between 0 and 1; null when built on a withheld count.")
    suppressed: bool


class CareStatisticsOut(BaseModel):
    organization_id: str
    small_cell_threshold: int
    by_status: list[CountOut]
    figures: list[CountOut]
    rates: list[RateOut]


def _youth(doc: Document) -> YouthOut:
    gender = doc.get("gender")
    return YouthOut(
        display_name=doc["display_name"],
        birth_date=doc["birth_date"],
        gender=coded(Gender(gender)) if gender else None,
        contact=doc.get("contact"),
    )


def _guardian(doc: Document | None) -> GuardianOut | None:
    if doc is None:
        return None
    relation = GuardianRelation(doc["relation"])
    return GuardianOut(name=doc["name"], relation=coded(relation), contact=doc.get("contact"))


def _escalation(doc: Document) -> EscalationOut:
    return EscalationOut(
        id=doc["_id"],
        to=coded(EscalationTarget(doc["to"])),
        reason=coded(EscalationReason(doc["reason_code"])),
        note=doc.get("note"),
        by=doc["by"],
        at=doc["at"],
    )


def case_out(doc: Document) -> CareCaseOut:
    status = CaseStatus(doc["status"])
    return CareCaseOut(
        id=doc["_id"],
        jurisdiction_organization_id=doc["jurisdiction_organization_id"],
        status=status.value,
        status_label=status.label,
        outcome=coded(CaseStatus(doc["outcome"])) if doc["outcome"] else None,
        reoffended=doc["reoffended"],
        youth=_youth(doc["youth"]),
        categories=[coded(CareCategory(c)) for c in doc["categories"]],
        guardian=_guardian(doc["guardian"]),
        schooling_status=coded(SchoolingStatus(doc["schooling_status"])),
        employment_status=coded(EmploymentStatus(doc["employment_status"])),
        measures=[coded(CareMeasure(m)) for m in doc["measures"]],
        helpers=[HelperOut(**h) for h in doc["helpers"]],
        responsible_person_subject_id=doc["responsible_person_subject_id"],
        referral_consented=bool(doc.get("referral_consented")),
        visit_count=doc["visit_count"],
        last_visited_on=doc["last_visited_on"],
        escalations=[_escalation(e) for e in doc["escalations"]],
        last_reviewed_on=doc["last_reviewed_on"],
        version=doc["version"],
        created_at=doc["created_at"],
    )


def visit_out(doc: Document) -> VisitOut:
    return VisitOut(
        id=doc["_id"],
        visited_on=doc["visited_on"],
        kind=coded(VisitKind(doc["kind"])),
        notes=doc.get("notes"),
        helper_subject_id=doc.get("helper_subject_id"),
        pairing_id=doc.get("pairing_id"),
    )


def audit_out(doc: Document) -> AuditEntryOut:
    return AuditEntryOut(
        id=doc["_id"],
        case_id=doc["case_id"],
        action=coded(CareAction(doc["action"])),
        subject=doc["subject"],
        roles=doc["roles"],
        outcome=doc["outcome"],
        at=doc["at"],
        correlation_id=doc.get("correlation_id"),
    )


def _count(member: LabelledEnum, cell: Cell) -> CountOut:
    value = None if cell.value is None else int(cell.value)
    return CountOut(code=member.value, label=member.label, value=value, suppressed=cell.suppressed)


def statistics_out(organization_id: str, threshold: int, stats: CareStatistics) -> CareStatisticsOut:
    return CareStatisticsOut(
        organization_id=organization_id,
        small_cell_threshold=threshold,
        by_status=[_count(s, c) for s, c in stats.by_status.items()],
        figures=[_count(f, c) for f, c in stats.figures.items()],
        rates=[
            RateOut(code=r.value, label=r.label, value=c.value, suppressed=c.suppressed)
            for r, c in stats.rates.items()
        ],
    )
