"""Validated input of pairing writes (结对); the beneficiary reference is checked by the domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from qingchun_plumbing.fields import Command, OrgId, Text, Title
from qingchun_volunteering.app.team_commands import VolunteerId
from qingchun_volunteering.domain.pairings import (
    DEFAULT_REVIEW_INTERVAL_MONTHS,
    MAX_HELPERS,
    MAX_REVIEW_INTERVAL_MONTHS,
    BeneficiaryKind,
    EndReason,
    PairingType,
    ReviewOutcome,
    VisitKind,
)


class BeneficiaryIn(Command):
    kind: BeneficiaryKind
    ref: str = Field(
        max_length=200,
        description="Pseudonymous id only: hh_… (household) or case_… (care case), 6–40 letters/digits.",
    )


class HelpersIn(Command):
    helper_volunteer_ids: list[VolunteerId] = Field(min_length=1, max_length=MAX_HELPERS)
    helper_organization_id: OrgId | None = Field(
        default=None, description="A helping unit beside the people: 青年文明号, 维权岗, 二级单位."
    )


class PairingCreate(Command):
    type: PairingType
    host_organization_id: OrgId
    beneficiary: BeneficiaryIn
    helper_volunteer_ids: list[VolunteerId] = Field(
        default_factory=list,
        max_length=MAX_HELPERS,
        description="Empty: the need is identified, helpers to come.",
    )
    helper_organization_id: OrgId | None = None


class AgreementIn(Command):
    """结对工作协议: the paper stays with the host; the service records its reference and terms."""

    signed_on: date
    document_ref: Title = Field(description="Where the signed paper is filed, e.g. 育才街社区结对档案2024-07")
    terms_summary: Text
    review_interval_months: int = Field(
        default=DEFAULT_REVIEW_INTERVAL_MONTHS, ge=1, le=MAX_REVIEW_INTERVAL_MONTHS
    )


class VisitIn(Command):
    visited_on: date
    kind: VisitKind
    notes: Text = Field(description="Care data: visible to the helpers and organisers only; never in events.")


class ReviewIn(Command):
    outcome: ReviewOutcome
    summary: Text


class CloseIn(Command):
    end_reason: EndReason
