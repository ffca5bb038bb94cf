"""Validated input of ventures (创业项目), star nominations and microloans (小额担保贷款)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from qingchun_employment.domain.loans import (
    MAX_AMOUNT_YUAN,
    MAX_TERM_MONTHS,
    MIN_AMOUNT_YUAN,
    MIN_TERM_MONTHS,
    Guarantee,
    LoanPurpose,
)
from qingchun_employment.domain.ventures import FIRST_STAR_YEAR, MAX_JOBS, VentureKind
from qingchun_plumbing.fields import Command, EntityId, Name, OrgId, Text

Jobs = Annotated[
    int, Field(ge=0, le=MAX_JOBS, description="Jobs the venture provides, the founder's own included.")
]
Yuan = Annotated[int, Field(ge=MIN_AMOUNT_YUAN, le=MAX_AMOUNT_YUAN, description="Whole yuan.")]


class VentureCreate(Command):
    founder_seeker_id: EntityId = Field(description="The founder's real-name job-seeker profile.")
    name: Name = Field(description="Public trading name, e.g. 孝感市晓燕电商工作室")
    kind: VentureKind
    sector: Name = Field(description="e.g. 电子商务, 餐饮, 纺织加工, 蔬菜种植")
    street_organization_id: OrgId = Field(
        description="The street (街道团工委 or 街道办事处) the venture trades in."
    )
    community_organization_id: OrgId | None = Field(
        default=None, description="The 社区 or 村 of that street it is based in, if known."
    )
    incubator_organization_id: OrgId | None = Field(
        default=None, description="The 创业孵化基地 or 创业示范基地 hosting it, if any."
    )
    started_on: date
    jobs_created: Jobs


class JobsRecord(Command):
    on: date = Field(description="The day the figure was checked.")
    jobs: Jobs


class NominationCreate(Command):
    year: int = Field(ge=FIRST_STAR_YEAR, le=2100, description="The 创业明星评选 year.")
    reason: Text = Field(description="Why the venture is nominated, e.g. 带动12名返乡青年就业")


class LoanCreate(Command):
    applicant_seeker_id: EntityId | None = Field(
        default=None, description="Staff name the applicant; a seeker applying for themself leaves it out."
    )
    venture_id: EntityId | None = Field(
        default=None, description="The applicant's own venture, if registered."
    )
    purpose: LoanPurpose
    amount_yuan: Yuan
    term_months: int = Field(ge=MIN_TERM_MONTHS, le=MAX_TERM_MONTHS)
    guarantee: Guarantee
    subsidised_interest: bool = Field(default=False, description="贴息")
    applied_on: date | None = Field(
        default=None,
        description="The day the application was received, if earlier than today (补录); by default today.",
    )


class LoanApproval(Command):
    approved_amount_yuan: Yuan | None = Field(
        default=None, description="At most the amount applied for; by default all of it."
    )
    approved_on: date | None = Field(
        default=None, description="The day it was approved, if earlier than today (补录); by default today."
    )


class LoanStep(Command):
    on: date | None = Field(
        default=None,
        description="The day the step happened, if earlier than today (补录); by default today. "
        "Never before the previous step.",
    )


class LoanDisbursement(Command):
    disbursed_on: date


class RepaymentCreate(Command):
    amount_yuan: Yuan
    paid_on: date
