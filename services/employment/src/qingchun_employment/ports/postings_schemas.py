"""Posting responses, with Chinese labels beside codes; moderation details only for insiders."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_employment.domain.moderation import HoldReason
from qingchun_employment.domain.postings import (
    ClosingReason,
    JobCategory,
    PostingAction,
    PostingKind,
    PostingStatus,
    ReportReason,
)
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document


class CodeLabel(BaseModel):
    code: str
    label: str


def _coded(member: LabelledEnum) -> CodeLabel:
    return CodeLabel(code=member.value, label=member.label)


class TraineeshipOut(BaseModel):
    allowance_yuan: int
    insurance: bool


class ModerationEntryOut(BaseModel):
    action: str
    action_label: str
    at: datetime
    note: str | None = None
    reasons: list[CodeLabel] = Field(default_factory=list)


class PostingOut(BaseModel):
    id: str
    employer_organization_id: str
    origin_community_id: str | None
    title: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    headcount: int
    hired: int
    skills: list[str]
    requirements: str
    place_organization_id: str
    area_ids: list[str] = Field(description="The place of work, then the areas above it.")
    pay_min: int | None
    pay_max: int | None
    traineeship: TraineeshipOut | None
    expires_on: date | None
    status: str
    status_label: str
    published_at: datetime | None
    expires_at: datetime | None
    closed_reason: str | None
    closed_reason_label: str | None
    hold_reasons: list[CodeLabel] = Field(
        default_factory=list, description="Why it waits for a moderator; only for its insiders."
    )
    moderation_log: list[ModerationEntryOut] = Field(
        default_factory=list, description="Submission and moderation history; only for its insiders."
    )
    version: int
    created_at: datetime


class ReportOut(BaseModel):
    id: str
    posting_id: str
    reason: str
    reason_label: str
    detail: str | None
    reporter_subject_id: str
    created_at: datetime


def _entry_out(entry: Document) -> ModerationEntryOut:
    action = PostingAction(entry["action"])
    return ModerationEntryOut(
        action=action.value,
        action_label=action.label,
        at=entry["at"],
        note=entry.get("note"),
        reasons=[_coded(HoldReason(r)) for r in entry.get("reasons", [])],
    )


def posting_out(doc: Document, insider: bool) -> PostingOut:
    category, kind, status = (
        JobCategory(doc["category"]),
        PostingKind(doc["kind"]),
        PostingStatus(doc["status"]),
    )
    closed = ClosingReason(doc["closed_reason"]) if doc.get("closed_reason") else None
    traineeship = doc.get("traineeship")
    return PostingOut(
        id=doc["_id"],
        employer_organization_id=doc["employer_organization_id"],
        origin_community_id=doc.get("origin_community_id"),
        title=doc["title"],
        category=category.value,
        category_label=category.label,
        kind=kind.value,
        kind_label=kind.label,
        headcount=doc["headcount"],
        hired=doc["hired"],
        skills=doc["skills"],
        requirements=doc["requirements"],
        place_organization_id=doc["place_organization_id"],
        area_ids=doc["area_ids"],
        pay_min=doc.get("pay_min"),
        pay_max=doc.get("pay_max"),
        traineeship=TraineeshipOut(**traineeship) if traineeship else None,
        expires_on=doc.get("expires_on"),
        status=status.value,
        status_label=status.label,
        published_at=doc.get("published_at"),
        expires_at=doc.get("expires_at"),
        closed_reason=closed.value if closed else None,
        closed_reason_label=closed.label if closed else None,
        hold_reasons=[_coded(HoldReason(r)) for r in doc.get("hold_reasons", [])] if insider else [],
        moderation_log=[_entry_out(e) for e in doc.get("moderation_log", [])] if insider else [],
        version=doc["version"],
        created_at=doc["created_at"],
    )


def report_out(doc: Document) -> ReportOut:
    reason = ReportReason(doc["reason"])
    return ReportOut(
        id=doc["_id"],
        posting_id=doc["posting_id"],
        reason=reason.value,
        reason_label=reason.label,
        detail=doc.get("detail"),
        reporter_subject_id=doc["subject_id"],
        created_at=doc["created_at"],
    )
