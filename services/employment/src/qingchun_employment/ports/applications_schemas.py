"""Application and referral responses, with Chinese labels beside codes.

They name the seeker by id only: names and contact details come from the seeker reads, which
show them to an employer only once ``contact_shared`` is true.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from qingchun_employment.domain.applications import ApplicationStatus, ReferralStatus
from qingchun_plumbing.mongo import Document


class StepOut(BaseModel):
    status: str
    status_label: str
    at: datetime


class ApplicationOut(BaseModel):
    id: str
    posting_id: str
    seeker_id: str
    employer_organization_id: str
    status: str
    status_label: str
    via_referral: bool
    referral_id: str | None
    contact_shared: bool = Field(description="The seeker shared contact details with this employer.")
    cover_note: str | None
    history: list[StepOut]
    hired_on: str | None = Field(default=None, description="ISO date of the hire (入职), local time.")
    version: int
    created_at: datetime


class ReferralOut(BaseModel):
    id: str
    seeker_id: str
    posting_id: str
    employer_organization_id: str
    note: str | None
    status: str
    status_label: str
    referred_by: str
    application_id: str | None = Field(description="The application accepting the referral made.")
    version: int
    created_at: datetime


def _step_out(step: Document) -> StepOut:
    status = ApplicationStatus(step["status"])
    return StepOut(status=status.value, status_label=status.label, at=step["at"])


def application_out(doc: Document) -> ApplicationOut:
    status = ApplicationStatus(doc["status"])
    return ApplicationOut(
        id=doc["_id"],
        posting_id=doc["posting_id"],
        seeker_id=doc["seeker_id"],
        employer_organization_id=doc["employer_organization_id"],
        status=status.value,
        status_label=status.label,
        via_referral=doc["via_referral"],
        referral_id=doc.get("referral_id"),
        contact_shared=doc["contact_shared"],
        cover_note=doc.get("cover_note"),
        history=[_step_out(s) for s in doc["history"]],
        hired_on=doc.get("hired_on"),
        version=doc["version"],
        created_at=doc["created_at"],
    )


def referral_out(doc: Document) -> ReferralOut:
    status = ReferralStatus(doc["status"])
    return ReferralOut(
        id=doc["_id"],
        seeker_id=doc["seeker_id"],
        posting_id=doc["posting_id"],
        employer_organization_id=doc["employer_organization_id"],
        note=doc.get("note"),
        status=status.value,
        status_label=status.label,
        referred_by=doc["referred_by"],
        application_id=doc.get("application_id"),
        version=doc["version"],
        created_at=doc["created_at"],
    )
