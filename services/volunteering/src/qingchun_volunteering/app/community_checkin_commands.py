"""Validated input of 社区报到, service posts and micro-wishes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from qingchun_plumbing.fields import Command, Name, OrgId, SubjectId, Tag, Text, Title
from qingchun_volunteering.domain.community_checkins import (
    CardReissueReason,
    DocumentKind,
    FollowUpKind,
    OverdueReason,
)
from qingchun_volunteering.domain.community_service import ServicePostType

MAX_MEMBERS = 2000


class MilestoneIn(Command):
    """A step of the round with its date, e.g. 动员会 by 6/17, 支部与社区对接 by 6/30."""

    name: Title
    due: date


class InvitedMemberIn(Command):
    subject_id: SubjectId = Field(description="The member's platform subject id (token `sub`).")
    community_id: OrgId = Field(description="The residential community (社区/居委会) to report to.")
    display_name: Name = Field(
        description="Personal: shown only to the branch's and the community's organisers and the member."
    )
    reported_on: date | None = Field(
        default=None,
        description="Backfill only: the day the member handed in the documents, as the 台账 records it.",
    )


class CheckinRoundCreate(Command):
    """A sending branch (党支部/团支部/学校) opens a 报到 round and invites its members."""

    title: Title
    sending_organization_id: OrgId
    required_documents: list[DocumentKind] = Field(min_length=1, max_length=len(DocumentKind))
    checkin_deadline: date = Field(description="All members report by this day (local date).")
    receipt_deadline: date = Field(description="Return slips (回执联) are back at the branch by this day.")
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=20)
    members: list[InvitedMemberIn] = Field(min_length=1, max_length=MAX_MEMBERS)
    backfill: bool = Field(
        default=False,
        description="Record a round already under way from the paper ledger (台账): its dates may be past, "
        "members who already reported come in as submitted, and the rest are found overdue at once.",
    )


class DocumentsIn(Command):
    documents: list[DocumentKind] = Field(min_length=1, max_length=len(DocumentKind))


class FollowUpIn(Command):
    kind: FollowUpKind
    reason: OverdueReason | None = Field(default=None, description="Why the member had not reported.")
    note: Text | None = Field(default=None, description="The branch's note; no health details.")


class CardReissueIn(Command):
    reason: CardReissueReason


class ServicePostCreate(Command):
    community_id: OrgId
    post_type: ServicePostType
    capacity: int = Field(ge=1, le=1000)
    description: Text | None = None


class MicroWishCreate(Command):
    """A resident's small need, posted by community staff; the resident is never named."""

    community_id: OrgId
    title: Title
    description: Text
    household_ref: Tag | None = Field(
        default=None, description="Pseudonymous household reference (never a name or an address)."
    )
