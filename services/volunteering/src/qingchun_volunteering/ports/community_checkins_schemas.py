"""Response bodies of 社区报到, service posts and micro-wishes, with Chinese labels beside codes.

A check-in (with the member's display name) is only ever rendered for those ``may_read`` admits;
who claimed a post or wish is shown to the community's organisers and to the claimer only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_volunteering.domain.community_checkins import (
    CardReissueReason,
    CheckinAction,
    CheckinStatus,
    DocumentKind,
    FollowUpKind,
    OverdueReason,
)
from qingchun_volunteering.domain.community_service import ServicePostType, WishStatus


def _labels(values: Sequence[str]) -> list[str]:
    return [DocumentKind(v).label for v in values]


class MilestoneOut(BaseModel):
    name: str
    due: date


class CheckinRoundOut(BaseModel):
    id: str
    title: str
    sending_organization_id: str
    required_documents: list[str]
    required_documents_labels: list[str]
    checkin_deadline: date
    receipt_deadline: date
    milestones: list[MilestoneOut]
    invited: int
    created_at: datetime
    version: int


class CheckinRoundStatisticsOut(BaseModel):
    """Aggregates only, never a person."""

    round_id: str
    invited: int
    submitted: int = Field(description="Reported: submitted, confirmed or later.")
    confirmed: int = Field(description="Confirmed by the community, or later.")
    receipts_returned: int
    overdue: int = Field(description="Overdue now (including those under follow-up).")
    checkin_rate: float | None = Field(
        description="报到率 = confirmed / invited; null when nobody was invited."
    )


class FollowUpOut(BaseModel):
    kind: str
    kind_label: str
    reason: str | None
    reason_label: str | None
    note: str | None
    by: str
    at: datetime


class CardReissueOut(BaseModel):
    reason: str
    reason_label: str
    by: str
    at: datetime


class StepOut(BaseModel):
    action: str
    action_label: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    by: str | None = Field(description="Subject id of who acted; null for the service's own sweep.")
    at: datetime


class CheckinOut(BaseModel):
    id: str
    round_id: str
    round_title: str
    sending_organization_id: str
    community_id: str
    subject_id: str
    display_name: str
    status: str
    status_label: str
    checkin_deadline: date
    receipt_deadline: date
    required_documents: list[str]
    required_documents_labels: list[str]
    issued_documents: list[str]
    issued_documents_labels: list[str]
    submitted_documents: list[str]
    submitted_documents_labels: list[str]
    submitted_at: datetime | None
    confirmed_by: str | None
    confirmed_at: datetime | None
    receipt_returned_at: datetime | None
    claimed_posts: list[str]
    claimed_wishes: list[str]
    was_overdue: bool
    overdue_reason: str | None
    overdue_reason_label: str | None
    follow_ups: list[FollowUpOut]
    card_reissues: list[CardReissueOut]
    history: list[StepOut]
    version: int


class ServicePostOut(BaseModel):
    id: str
    community_id: str
    post_type: str
    post_type_label: str
    description: str | None
    capacity: int
    free: int
    claimed_by_me: bool
    claimer_subject_ids: list[str] | None = Field(description="For the community's organisers only.")
    created_at: datetime
    version: int


class MicroWishOut(BaseModel):
    id: str
    community_id: str
    title: str
    description: str
    status: str
    status_label: str
    claimed_by_me: bool
    household_ref: str | None = Field(description="For the community's organisers and the claimer only.")
    claimed_by: str | None = Field(description="For the community's organisers and the claimer only.")
    claimed_at: datetime | None
    fulfilled_at: datetime | None
    created_at: datetime
    version: int


def round_out(doc: Document) -> CheckinRoundOut:
    return CheckinRoundOut(
        id=doc["_id"],
        title=doc["title"],
        sending_organization_id=doc["sending_organization_id"],
        required_documents=doc["required_documents"],
        required_documents_labels=_labels(doc["required_documents"]),
        checkin_deadline=doc["checkin_deadline"],
        receipt_deadline=doc["receipt_deadline"],
        milestones=[MilestoneOut(**m) for m in doc["milestones"]],
        invited=doc["invited"],
        created_at=doc["created_at"],
        version=doc["version"],
    )


def _follow_up(entry: dict[str, Any]) -> FollowUpOut:
    reason = OverdueReason(entry["reason"]) if entry.get("reason") else None
    return FollowUpOut(
        kind=entry["kind"],
        kind_label=FollowUpKind(entry["kind"]).label,
        reason=reason.value if reason else None,
        reason_label=reason.label if reason else None,
        note=entry.get("note"),
        by=entry["by"],
        at=entry["at"],
    )


def _step(entry: dict[str, Any]) -> StepOut:
    return StepOut(
        action=entry["action"],
        action_label=CheckinAction(entry["action"]).label,
        from_status=entry["from"],
        from_status_label=CheckinStatus(entry["from"]).label,
        to_status=entry["to"],
        to_status_label=CheckinStatus(entry["to"]).label,
        by=entry.get("by"),
        at=entry["at"],
    )


def checkin_out(doc: Document) -> CheckinOut:
    status = CheckinStatus(doc["status"])
    reason = OverdueReason(doc["overdue_reason"]) if doc.get("overdue_reason") else None
    documents = {
        f"{name}{suffix}": value
        for name in ("required_documents", "issued_documents", "submitted_documents")
        for suffix, value in (("", doc[name]), ("_labels", _labels(doc[name])))
    }
    copied = {
        k: doc.get(k)
        for k in (
            "round_id",
            "round_title",
            "sending_organization_id",
            "community_id",
            "subject_id",
            "display_name",
            "checkin_deadline",
            "receipt_deadline",
            "submitted_at",
            "confirmed_by",
            "confirmed_at",
            "receipt_returned_at",
            "claimed_posts",
            "claimed_wishes",
            "was_overdue",
            "version",
        )
    }
    return CheckinOut(
        id=doc["_id"],
        status=status.value,
        status_label=status.label,
        overdue_reason=reason.value if reason else None,
        overdue_reason_label=reason.label if reason else None,
        follow_ups=[_follow_up(e) for e in doc["follow_ups"]],
        card_reissues=[
            CardReissueOut(
                reason=e["reason"], reason_label=CardReissueReason(e["reason"]).label, by=e["by"], at=e["at"]
            )
            for e in doc["card_reissues"]
        ],
        history=[_step(e) for e in doc["history"]],
        **documents,
        **copied,
    )


def post_out(doc: Document, me: str, organizer: bool) -> ServicePostOut:
    kind = ServicePostType(doc["post_type"])
    claimers = [c["subject_id"] for c in doc["claims"]]
    return ServicePostOut(
        id=doc["_id"],
        community_id=doc["community_id"],
        post_type=kind.value,
        post_type_label=kind.label,
        description=doc.get("description"),
        capacity=doc["capacity"],
        free=doc["free"],
        claimed_by_me=me in claimers,
        claimer_subject_ids=claimers if organizer else None,
        created_at=doc["created_at"],
        version=doc["version"],
    )


def wish_out(doc: Document, me: str, organizer: bool) -> MicroWishOut:
    status = WishStatus(doc["status"])
    mine = doc.get("claimed_by") == me
    return MicroWishOut(
        id=doc["_id"],
        community_id=doc["community_id"],
        title=doc["title"],
        description=doc["description"],
        status=status.value,
        status_label=status.label,
        claimed_by_me=mine,
        household_ref=doc.get("household_ref") if organizer or mine else None,
        claimed_by=doc.get("claimed_by") if organizer or mine else None,
        claimed_at=doc.get("claimed_at"),
        fulfilled_at=doc.get("fulfilled_at"),
        created_at=doc["created_at"],
        version=doc["version"],
    )
