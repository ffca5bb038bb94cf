"""Responses of ventures, star nominations, microloans and the 创业报表, with Chinese labels beside codes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from qingchun_employment.domain.loans import Guarantee, LoanPurpose, LoanStatus
from qingchun_employment.domain.ventures import NominationStatus, VentureKind
from qingchun_plumbing.mongo import Document


class JobsEntryOut(BaseModel):
    on: date
    jobs: int


class VentureOut(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    sector: str
    street_organization_id: str
    community_organization_id: str | None = Field(default=None, description="The 社区/村 it is based in.")
    incubator_organization_id: str | None
    started_on: date
    jobs_created: int = Field(description="As last checked.")
    jobs_history: list[JobsEntryOut] = Field(description="Every check, oldest first (≤240).")
    founder_seeker_id: str | None = Field(
        default=None, description="Only for the founder and the league staff over the street."
    )
    version: int
    created_at: datetime


class NominationOut(BaseModel):
    id: str
    venture_id: str
    year: int
    reason: str
    status: str
    status_label: str
    street_organization_id: str
    nominated_at: datetime
    decided_at: datetime | None
    version: int


class LoanStepOut(BaseModel):
    status: str
    status_label: str
    at: datetime = Field(description="When the step was entered.")
    on: date | None = Field(description="The day it happened (earlier when entered after the fact: 补录).")


class LoanOut(BaseModel):
    id: str
    applicant_seeker_id: str
    venture_id: str | None
    purpose: str
    purpose_label: str
    amount_yuan: int = Field(description="Applied for.")
    approved_amount_yuan: int | None
    term_months: int
    guarantee: str
    guarantee_label: str
    subsidised_interest: bool = Field(description="贴息")
    status: str
    status_label: str
    history: list[LoanStepOut] = Field(description="Each status with when it began (≤7).")
    community_organization_id: str
    street_organization_id: str
    applied_on: date | None = Field(default=None, description="The day the application was received.")
    approved_at: datetime | None
    approved_on: date | None = Field(default=None, description="The day it was approved.")
    disbursed_on: date | None
    repaid_yuan: int
    balance_yuan: int = Field(description="Still owed: the approved sum less repayments.")
    repayment_count: int
    version: int
    created_at: datetime


class RepaymentOut(BaseModel):
    id: str
    amount_yuan: int
    paid_on: date
    recorded_at: datetime


class StreetReportOut(BaseModel):
    """One street's month (创业报表); counts and whole yuan."""

    street_organization_id: str
    street_name: str | None
    ventures_self_employed: int = Field(description="自主创业 ventures started in the month.")
    ventures_homecoming: int = Field(description="返乡创业 ventures started in the month.")
    jobs_created: int = Field(description="Net change of the ventures' checked job counts over the month.")
    jobs_at_month_end: int
    loans_applied: int
    loans_applied_yuan: int
    loans_approved: int
    loans_approved_yuan: int
    loans_disbursed: int
    loans_disbursed_yuan: int
    loans_repaying: int = Field(description="Loans in repayment (还款中) on the month's last day.")
    loans_repaying_balance_yuan: int
    nominations: int = Field(description="创业明星 nominations made in the month.")
    stars_selected: int = Field(description="Nominations selected as 创业明星 in the month.")


def venture_out(doc: Document, founder_visible: bool) -> VentureOut:
    kind = VentureKind(doc["kind"])
    return VentureOut(
        id=doc["_id"],
        name=doc["name"],
        kind=kind.value,
        kind_label=kind.label,
        sector=doc["sector"],
        street_organization_id=doc["street_organization_id"],
        community_organization_id=doc.get("community_organization_id"),
        incubator_organization_id=doc.get("incubator_organization_id"),
        started_on=doc["started_on"],
        jobs_created=doc["jobs_created"],
        jobs_history=[JobsEntryOut.model_validate(e) for e in doc["jobs_history"]],
        founder_seeker_id=doc["founder_seeker_id"] if founder_visible else None,
        version=doc["version"],
        created_at=doc["created_at"],
    )


def nomination_out(doc: Document) -> NominationOut:
    status = NominationStatus(doc["status"])
    return NominationOut(
        id=doc["_id"],
        venture_id=doc["venture_id"],
        year=doc["year"],
        reason=doc["reason"],
        status=status.value,
        status_label=status.label,
        street_organization_id=doc["street_organization_id"],
        nominated_at=doc["nominated_at"],
        decided_at=doc.get("decided_at"),
        version=doc["version"],
    )


def _step(step: Document) -> LoanStepOut:
    status = LoanStatus(step["status"])
    return LoanStepOut(status=status.value, status_label=status.label, at=step["at"], on=step.get("on"))


def loan_out(doc: Document, balance_yuan: int) -> LoanOut:
    purpose, guarantee, status = (
        LoanPurpose(doc["purpose"]),
        Guarantee(doc["guarantee"]),
        LoanStatus(doc["status"]),
    )
    return LoanOut(
        id=doc["_id"],
        applicant_seeker_id=doc["applicant_seeker_id"],
        venture_id=doc.get("venture_id"),
        purpose=purpose.value,
        purpose_label=purpose.label,
        amount_yuan=doc["amount_yuan"],
        approved_amount_yuan=doc.get("approved_amount_yuan"),
        term_months=doc["term_months"],
        guarantee=guarantee.value,
        guarantee_label=guarantee.label,
        subsidised_interest=doc["subsidised_interest"],
        status=status.value,
        status_label=status.label,
        history=[_step(s) for s in doc["history"]],
        community_organization_id=doc["community_organization_id"],
        street_organization_id=doc["street_organization_id"],
        applied_on=doc.get("applied_on"),
        approved_at=doc.get("approved_at"),
        approved_on=doc.get("approved_on"),
        disbursed_on=doc.get("disbursed_on"),
        repaid_yuan=doc["repaid_yuan"],
        balance_yuan=balance_yuan,
        repayment_count=len(doc["repayments"]),
        version=doc["version"],
        created_at=doc["created_at"],
    )


def repayment_out(doc: Document) -> RepaymentOut:
    return RepaymentOut(
        id=doc["id"], amount_yuan=doc["amount_yuan"], paid_on=doc["paid_on"], recorded_at=doc["recorded_at"]
    )


def street_report_out(row: Document) -> StreetReportOut:
    return StreetReportOut.model_validate(row | {"street_organization_id": row["street_id"]})
