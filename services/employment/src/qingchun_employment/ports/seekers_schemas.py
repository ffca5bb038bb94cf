"""Job-seeker responses, with Chinese labels beside codes; each field only for who may see it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_employment.domain.seekers import (
    ReferralNeed,
    ReferralStatus,
    SeekerCategory,
    SeekerStatus,
    ServiceType,
    Visibility,
)
from qingchun_plumbing.mongo import Document


class ConsentOut(BaseModel):
    recorded_at: datetime
    version: str


class AssessmentOut(BaseModel):
    notes: str = Field(description="Intake notes (四知四清四掌握).")
    assessed_by: str
    assessed_at: datetime


class CertificateOut(BaseModel):
    number: str
    category: str | None
    issued_at: datetime


class SeekerOut(BaseModel):
    """The whole profile for the seeker and their league staff; an employer gets the candidate facts,
    and ``real_name``/``phone`` only once the seeker applied there (``contact_visible``)."""

    id: str
    contact_visible: bool
    real_name: str | None = None
    phone: str | None = None
    status: str
    status_label: str
    residence_community_id: str
    skills: list[str]
    certificates: list[CertificateOut]
    wanted_categories: list[str]
    wanted_kinds: list[str]
    available_from: date | None
    entrepreneurial_intent: bool
    employment_intent: str | None
    subject_id: str | None = Field(default=None, description="Only for the seeker and league staff.")
    id_last4: str | None = Field(default=None, description="Only for the seeker and league staff.")
    birth_year: int | None = Field(default=None, description="Only for the seeker and league staff.")
    category: str | None = Field(default=None, description="Only for the seeker and league staff.")
    category_label: str | None = None
    consent: ConsentOut | None = None
    assessment: AssessmentOut | None = None
    services_count: int | None = None
    version: int
    created_at: datetime


class SeekerListItem(BaseModel):
    """A line of the league staff's list: no phone, no ID digits, no intake notes."""

    id: str
    real_name: str
    residence_community_id: str
    category: str
    category_label: str
    status: str
    status_label: str
    skills: list[str]
    wanted_categories: list[str]
    wanted_kinds: list[str]
    available_from: date | None
    entrepreneurial_intent: bool
    services_count: int
    version: int
    created_at: datetime


class ServiceOut(BaseModel):
    id: str
    type: str
    type_label: str
    date: date
    note: str | None
    recorded_by: str
    recorded_at: datetime


class ReferralTaskOut(BaseModel):
    """A care case's employment needs, by case id only."""

    id: str
    case_id: str
    jurisdiction_organization_id: str
    needs: list[str]
    need_labels: list[str]
    status: str
    status_label: str
    created_at: datetime
    done_at: datetime | None
    done_by: str | None
    version: int


def _private(doc: Document) -> dict[str, Any]:
    category = SeekerCategory(doc["category"])
    return {
        "subject_id": doc["subject_id"],
        "id_last4": doc.get("id_last4"),
        "birth_year": doc["birth_year"],
        "category": category.value,
        "category_label": category.label,
        "consent": doc["consent"],
        "assessment": doc.get("assessment"),
        "services_count": doc.get("services_count", 0),
    }


def seeker_out(doc: Document, seen: Visibility) -> SeekerOut:
    status = SeekerStatus(doc["status"])
    fields: dict[str, Any] = {
        "id": doc["_id"],
        "contact_visible": seen.contact,
        "status": status.value,
        "status_label": status.label,
        "residence_community_id": doc["residence_community_id"],
        "skills": doc["skills"],
        "certificates": doc.get("certificates", []),
        "wanted_categories": doc["wanted_categories"],
        "wanted_kinds": doc["wanted_kinds"],
        "available_from": doc.get("available_from"),
        "entrepreneurial_intent": doc["entrepreneurial_intent"],
        "employment_intent": doc.get("employment_intent"),
        "version": doc["version"],
        "created_at": doc["created_at"],
    }
    if seen.contact:
        fields |= {"real_name": doc["real_name"], "phone": doc["phone"]}
    if seen.full:
        fields |= _private(doc)
    return SeekerOut.model_validate(fields)


def seeker_item(doc: Document) -> SeekerListItem:
    category, status = SeekerCategory(doc["category"]), SeekerStatus(doc["status"])
    return SeekerListItem(
        id=doc["_id"],
        real_name=doc["real_name"],
        residence_community_id=doc["residence_community_id"],
        category=category.value,
        category_label=category.label,
        status=status.value,
        status_label=status.label,
        skills=doc["skills"],
        wanted_categories=doc["wanted_categories"],
        wanted_kinds=doc["wanted_kinds"],
        available_from=doc.get("available_from"),
        entrepreneurial_intent=doc["entrepreneurial_intent"],
        services_count=doc.get("services_count", 0),
        version=doc["version"],
        created_at=doc["created_at"],
    )


def service_out(doc: Document) -> ServiceOut:
    kind = ServiceType(doc["type"])
    return ServiceOut(
        id=doc["id"],
        type=kind.value,
        type_label=kind.label,
        date=doc["date"],
        note=doc.get("note"),
        recorded_by=doc["recorded_by"],
        recorded_at=doc["recorded_at"],
    )


def referral_task_out(doc: Document) -> ReferralTaskOut:
    needs, status = [ReferralNeed(n) for n in doc["needs"]], ReferralStatus(doc["status"])
    return ReferralTaskOut(
        id=doc["_id"],
        case_id=doc["case_id"],
        jurisdiction_organization_id=doc["jurisdiction_organization_id"],
        needs=[n.value for n in needs],
        need_labels=[n.label for n in needs],
        status=status.value,
        status_label=status.label,
        created_at=doc["created_at"],
        done_at=doc.get("done_at"),
        done_by=doc.get("done_by"),
        version=doc["version"],
    )
