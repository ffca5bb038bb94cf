"""REST API of ventures (创业项目), star nominations, microloans and the 创业报表."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_employment.app import loans, reports, ventures
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.venture_commands import (
    JobsRecord,
    LoanApproval,
    LoanCreate,
    LoanDisbursement,
    LoanStep,
    NominationCreate,
    RepaymentCreate,
    VentureCreate,
)
from qingchun_employment.domain.loans import Guarantee, LoanAction, LoanPurpose, LoanStatus
from qingchun_employment.domain.ventures import NominationAction, NominationStatus, VentureKind
from qingchun_employment.ports.api import Ctx, Cursor, Limit
from qingchun_employment.ports.ventures_schemas import (
    LoanOut,
    NominationOut,
    RepaymentOut,
    StreetReportOut,
    VentureOut,
    loan_out,
    nomination_out,
    repayment_out,
    street_report_out,
    venture_out,
)
from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput

router = APIRouter(prefix="/v1")
OrgQuery = Annotated[str | None, Query(max_length=40)]


async def _venture(ctx: EmploymentContext, caller: Caller, doc: Document) -> VentureOut:
    return venture_out(doc, await ventures.may_see_founder(ctx, caller, doc))


def _loan(doc: Document) -> LoanOut:
    return loan_out(doc, loans.balance(doc))


# ventures ---------------------------------------------------------------------------------------
@router.post(
    "/ventures",
    status_code=201,
    response_model=VentureOut,
    tags=["ventures"],
    summary="League staff register a venture (创业项目) in their street; publishes VentureStarted",
)
async def register_venture(body: VentureCreate, caller: CurrentCaller, ctx: Ctx) -> VentureOut:
    return await _venture(ctx, caller, await ventures.register(ctx, caller, body))


@router.get(
    "/ventures",
    response_model=Page[VentureOut],
    tags=["ventures"],
    summary="Ventures under an organisation, by kind (or ids=a,b,c); the founder only for insiders",
)
async def list_ventures(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    organization_id: OrgQuery = None,
    kind: Annotated[list[VentureKind], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[VentureOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _venture(ctx, caller, d) for d in await ventures.batch(ctx, batch)])
    if organization_id is None:
        raise InvalidInput("name the organisation (or ids=…)", field="organization_id", code="missing")
    items, next_cursor = await ventures.page(
        ctx, organization_id=organization_id, kinds=kind, cursor=cursor, limit=limit
    )
    return Page(items=[await _venture(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get("/ventures/{venture_id}", response_model=VentureOut, tags=["ventures"], summary="One venture")
async def get_venture(venture_id: str, caller: CurrentCaller, ctx: Ctx) -> VentureOut:
    return await _venture(ctx, caller, await ventures.venture(ctx, venture_id))


@router.post(
    "/ventures/{venture_id}/jobs",
    response_model=VentureOut,
    tags=["ventures"],
    summary="League staff record the jobs the venture provides as checked on a day (带动就业)",
)
async def record_jobs(venture_id: str, body: JobsRecord, caller: CurrentCaller, ctx: Ctx) -> VentureOut:
    return await _venture(ctx, caller, await ventures.record_jobs(ctx, caller, venture_id, body))


# 创业明星评选 ------------------------------------------------------------------------------------
@router.post(
    "/ventures/{venture_id}/nominations",
    status_code=201,
    response_model=NominationOut,
    tags=["entrepreneur stars"],
    summary="League staff nominate the venture for the year's 创业明星 (once a year)",
)
async def nominate(venture_id: str, body: NominationCreate, caller: CurrentCaller, ctx: Ctx) -> NominationOut:
    return nomination_out(await ventures.nominate(ctx, caller, venture_id, body))


@router.get(
    "/nominations",
    response_model=Page[NominationOut],
    tags=["entrepreneur stars"],
    summary="League staff: a year's 创业明星 nominations under an organisation",
)
async def list_nominations(
    caller: CurrentCaller,
    ctx: Ctx,
    organization_id: Annotated[str, Query(max_length=40)],
    year: Annotated[int, Query(ge=2000, le=2100)],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[NominationOut]:
    items, next_cursor = await ventures.nominations_page(
        ctx, caller, organization_id=organization_id, year=year, cursor=cursor, limit=limit
    )
    return Page(items=[nomination_out(d) for d in items], next_cursor=next_cursor)


@router.post(
    "/nominations/{nomination_id}:{action}",
    response_model=NominationOut,
    tags=["entrepreneur stars"],
    summary="District or city league staff select or decline a nomination (once)",
)
async def decide_nomination(
    nomination_id: str, action: NominationAction, caller: CurrentCaller, ctx: Ctx
) -> NominationOut:
    return nomination_out(await ventures.decide_nomination(ctx, caller, nomination_id, action))


# microloans (小额担保贷款) ------------------------------------------------------------------------
@router.post(
    "/loans",
    status_code=201,
    response_model=LoanOut,
    tags=["microloans"],
    summary="Apply for a microloan: a seeker for themself (实名制), or league staff for a seeker",
)
async def apply_for_loan(body: LoanCreate, caller: CurrentCaller, ctx: Ctx) -> LoanOut:
    return _loan(await loans.apply(ctx, caller, body))


@router.get(
    "/loans",
    response_model=Page[LoanOut],
    tags=["microloans"],
    summary="Your own loans, or league staff: loans of applicants under an organisation (or ids=a,b,c)",
)
async def list_loans(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    organization_id: OrgQuery = None,
    status: Annotated[list[LoanStatus], Query()] = [],  # noqa: B006
    venture_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[LoanOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[_loan(d) for d in await loans.batch(ctx, caller, batch)])
    items, next_cursor = await loans.page(
        ctx,
        caller,
        organization_id=organization_id,
        statuses=status,
        venture_id=venture_id,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=[_loan(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/loans/{loan_id}",
    response_model=LoanOut,
    tags=["microloans"],
    summary="One loan, for its applicant and their league staff",
)
async def get_loan(loan_id: str, caller: CurrentCaller, ctx: Ctx) -> LoanOut:
    return _loan(await loans.loan(ctx, caller, loan_id))


@router.post(
    "/loans/{loan_id}:approve",
    response_model=LoanOut,
    tags=["microloans"],
    summary="League staff approve a reviewed loan, for the sum applied or less",
)
async def approve_loan(
    loan_id: str, caller: CurrentCaller, ctx: Ctx, body: LoanApproval | None = None
) -> LoanOut:
    amount = body.approved_amount_yuan if body is not None else None
    on = body.approved_on if body is not None else None
    return _loan(
        await loans.act(ctx, caller, loan_id, LoanAction.APPROVE, approved_amount_yuan=amount, on=on)
    )


@router.post(
    "/loans/{loan_id}:disburse",
    response_model=LoanOut,
    tags=["microloans"],
    summary="League staff record the day an approved loan was paid out",
)
async def disburse_loan(loan_id: str, body: LoanDisbursement, caller: CurrentCaller, ctx: Ctx) -> LoanOut:
    return _loan(await loans.act(ctx, caller, loan_id, LoanAction.DISBURSE, disbursed_on=body.disbursed_on))


@router.post(
    "/loans/{loan_id}:{action}",
    response_model=LoanOut,
    tags=["microloans"],
    summary="League staff review, start_repayment, close (once repaid) or reject a loan, in order "
    "(optionally dated the day it happened: 补录)",
)
async def act_on_loan(
    loan_id: str, action: LoanAction, caller: CurrentCaller, ctx: Ctx, body: LoanStep | None = None
) -> LoanOut:
    return _loan(await loans.act(ctx, caller, loan_id, action, on=body.on if body is not None else None))


@router.post(
    "/loans/{loan_id}/repayments",
    status_code=201,
    response_model=LoanOut,
    tags=["microloans"],
    summary="League staff record a repayment while the loan is repaid (never below a zero balance)",
)
async def repay(loan_id: str, body: RepaymentCreate, caller: CurrentCaller, ctx: Ctx) -> LoanOut:
    return _loan(await loans.repay(ctx, caller, loan_id, body))


@router.get(
    "/loans/{loan_id}/repayments",
    response_model=Page[RepaymentOut],
    tags=["microloans"],
    summary="A loan's repayments, for its applicant and their league staff",
)
async def list_repayments(
    loan_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[RepaymentOut]:
    items, next_cursor = await loans.repayments_page(ctx, caller, loan_id, cursor=cursor, limit=limit)
    return Page(items=[repayment_out(d) for d in items], next_cursor=next_cursor)


# 创业报表 ---------------------------------------------------------------------------------------
@router.get(
    "/reports/entrepreneurship",
    response_model=Page[StreetReportOut],
    tags=["reports"],
    summary="League staff: the 创业报表 for a month, a row per street under the organisation",
)
async def entrepreneurship_report(
    caller: CurrentCaller,
    ctx: Ctx,
    organization_id: Annotated[str, Query(max_length=40)],
    month: Annotated[str, Query(max_length=7, description="YYYY-MM, in the city's time zone")],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StreetReportOut]:
    rows, next_cursor = await reports.entrepreneurship(
        ctx, caller, organization_id=organization_id, month=month, cursor=cursor, limit=limit
    )
    return Page(items=[street_report_out(r) for r in rows], next_cursor=next_cursor)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "venture_kind": VentureKind,
    "nomination_status": NominationStatus,
    "nomination_action": NominationAction,
    "loan_purpose": LoanPurpose,
    "loan_guarantee": Guarantee,
    "loan_status": LoanStatus,
    "loan_action": LoanAction,
}
