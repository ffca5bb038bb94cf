"""Pairing responses, with Chinese labels beside codes. Only the pairing's helpers and organisers
ever receive them (the API answers 404 to everyone else), so notes and summaries may appear."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from qingchun_plumbing.mongo import Document
from qingchun_volunteering.domain.pairings import (
    BeneficiaryKind,
    EndReason,
    PairingStatus,
    PairingType,
    ReviewOutcome,
    VisitKind,
    is_review_due,
)


class BeneficiaryOut(BaseModel):
    kind: str
    kind_label: str
    ref: str


class AgreementOut(BaseModel):
    signed_on: date
    document_ref: str
    terms_summary: str
    review_interval_months: int


class ReviewOut(BaseModel):
    id: str
    reviewed_on: date
    outcome: str
    outcome_label: str
    summary: str


class VisitOut(BaseModel):
    id: str
    visited_on: date
    kind: str
    kind_label: str
    notes: str
    logged_at: datetime


class PairingOut(BaseModel):
    id: str
    type: str
    type_label: str
    status: str
    status_label: str
    host_organization_id: str
    beneficiary: BeneficiaryOut
    helper_volunteer_ids: list[str]
    helper_organization_id: str | None
    agreement: AgreementOut | None
    started_on: date | None
    next_review_due: date | None
    review_due: bool
    visit_count: int
    last_visited_on: date | None
    last_review: ReviewOut | None
    end_reason: str | None
    end_reason_label: str | None
    closed_on: date | None
    version: int
    created_at: datetime


def review_out(entry: Document) -> ReviewOut:
    outcome = ReviewOutcome(entry["outcome"])
    return ReviewOut(
        id=entry["_id"],
        reviewed_on=entry["reviewed_on"],
        outcome=outcome.value,
        outcome_label=outcome.label,
        summary=entry["summary"],
    )


def visit_out(entry: Document) -> VisitOut:
    kind = VisitKind(entry["kind"])
    return VisitOut(
        id=entry["_id"],
        visited_on=entry["visited_on"],
        kind=kind.value,
        kind_label=kind.label,
        notes=entry["notes"],
        logged_at=entry["logged_at"],
    )


def pairing_out(doc: Document, today: date) -> PairingOut:
    """``today`` is the host's local date, against which the review falls due."""
    kind, status = PairingType(doc["type"]), PairingStatus(doc["status"])
    beneficiary = BeneficiaryKind(doc["beneficiary"]["kind"])
    end = EndReason(doc["end_reason"]) if doc.get("end_reason") else None
    due = date.fromisoformat(doc["next_review_due"]) if doc.get("next_review_due") else None
    return PairingOut(
        id=doc["_id"],
        type=kind.value,
        type_label=kind.label,
        status=status.value,
        status_label=status.label,
        host_organization_id=doc["host_organization_id"],
        beneficiary=BeneficiaryOut(
            kind=beneficiary.value, kind_label=beneficiary.label, ref=doc["beneficiary"]["ref"]
        ),
        helper_volunteer_ids=doc["helper_volunteer_ids"],
        helper_organization_id=doc.get("helper_organization_id"),
        agreement=AgreementOut(**doc["agreement"]) if doc.get("agreement") else None,
        started_on=doc.get("started_on"),
        next_review_due=due,
        review_due=is_review_due(status, due, today),
        visit_count=doc.get("visit_count", 0),
        last_visited_on=doc.get("last_visited_on"),
        last_review=review_out(doc["last_review"]) if doc.get("last_review") else None,
        end_reason=end.value if end else None,
        end_reason_label=end.label if end else None,
        closed_on=doc.get("closed_on"),
        version=doc["version"],
        created_at=doc["created_at"],
    )
