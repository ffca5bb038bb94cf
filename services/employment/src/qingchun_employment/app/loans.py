"""Microloans (小额担保贷款): the applicant's real-name application and the staff steps after it.

The applicant applies from their own job-seeker profile (实名制), or league staff apply for them at
the service window. From then on only league staff over the applicant's community move the loan on;
each move and its ``LoanStatusChanged`` are one versioned write, so a refused or raced step writes
nothing and publishes nothing. A loan from before the platform is entered with its real dates (补录):
each step may name the day it happened, never in the future nor before the step before it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from qingchun_contracts.employment import LoanStatusChanged
from qingchun_employment.app import ventures
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.venture_commands import LoanCreate, RepaymentCreate
from qingchun_employment.domain.loans import (
    LoanAction,
    LoanStatus,
    Outstanding,
    approved_amount,
    check_applied_on,
    check_disbursed_on,
    check_repayment,
    check_step_day,
    next_status,
)
from qingchun_employment.domain.reports import local_day, street_of
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound


def principal(document: Document) -> int:
    """What is owed once disbursed: the approved sum (the applied sum until approval)."""
    amount: int = document.get("approved_amount_yuan") or document["amount_yuan"]
    return amount


def balance(document: Document) -> int:
    repaid: int = document["repaid_yuan"]
    return principal(document) - repaid


def _changed(document: Document, status: LoanStatus) -> LoanStatusChanged:
    return LoanStatusChanged(
        loan_id=document["_id"],
        venture_id=document.get("venture_id"),
        applicant_seeker_id=document["applicant_seeker_id"],
        status=status.value,
        amount_yuan=principal(document),
    )


async def _applicant(ctx: EmploymentContext, caller: Caller, command: LoanCreate) -> Document:
    """The applicant's profile: the caller's own, or one that staff over its community name."""
    if command.applicant_seeker_id is None:
        own = await ctx.seekers.seeker_of(caller.subject)
        if own is None:
            raise Forbidden(
                "a loan is real-name (实名制): register your job-seeker profile first",
                field="applicant_seeker_id",
                code="seeker_profile_required",
            )
        return own
    seeker = await ctx.seekers.seeker(command.applicant_seeker_id)
    if seeker is None:
        raise InvalidInput("no job seeker has this id", field="applicant_seeker_id", code="not_a_seeker")
    if seeker["subject_id"] != caller.subject:
        await ctx.require_league_staff(caller, seeker["residence_community_id"], "applicant_seeker_id")
    return seeker


async def _street(ctx: EmploymentContext, seeker: Document, venture: Document | None) -> str:
    """Where the 创业报表 counts the loan: the venture's street, else the applicant's."""
    if venture is not None:
        street: str = venture["street_organization_id"]
        return street
    chain = await ctx.chain(seeker["residence_community_id"])
    types = {o["_id"]: o.get("type") for o in await ctx.orgs.organizations(chain)}
    return street_of([(org_id, types.get(org_id)) for org_id in chain])


async def _venture_of(ctx: EmploymentContext, seeker: Document, venture_id: str | None) -> Document | None:
    if venture_id is None:
        return None
    venture = await ctx.ventures.venture(venture_id)
    if venture is None:
        raise InvalidInput("no venture has this id", field="venture_id", code="not_a_venture")
    if venture["founder_seeker_id"] != seeker["_id"]:
        raise InvalidInput(
            "the applicant did not found this venture", field="venture_id", code="not_the_founder"
        )
    return venture


async def apply(ctx: EmploymentContext, caller: Caller, command: LoanCreate) -> Document:
    seeker = await _applicant(ctx, caller, command)
    venture = await _venture_of(ctx, seeker, command.venture_id)
    street = await _street(ctx, seeker, venture)
    now, status = ctx.now(), LoanStatus.APPLIED
    applied_on = command.applied_on or ventures.today(ctx)
    check_applied_on(applied_on, ventures.today(ctx))
    if command.applied_on is not None and not await ctx.is_league_staff(
        caller, seeker["residence_community_id"]
    ):
        raise Forbidden(
            "only league staff enter a loan after the fact (补录)",
            field="applied_on",
            code="backfill_staff_only",
        )
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("lon"),
        "applicant_seeker_id": seeker["_id"],
        "applicant_subject_id": seeker["subject_id"],
        "community_organization_id": seeker["residence_community_id"],
        "area_ids": seeker["area_ids"],
        "street_organization_id": street,
        "street_area_ids": await ctx.chain(street),
        "applied_on": applied_on.isoformat(),
        "approved_amount_yuan": None,
        "approved_at": None,
        "approved_on": None,
        "disbursed_on": None,
        "status": status.value,
        "history": [_history_entry(status, now, applied_on, caller)],
        "repayments": [],
        "repaid_yuan": 0,
        "created_at": now,
        "updated_at": now,
    }
    event = ctx.events.envelope(_changed(document, status), subject=document["_id"])
    await ctx.ventures.insert_loan(document, [event])
    ctx.notify()
    return document | {"version": 1}


async def loan(ctx: EmploymentContext, caller: Caller, loan_id: str) -> Document:
    """The loan, for its applicant and the league staff over the applicant's community."""
    document = await ctx.ventures.loan(loan_id)
    if document is None:
        raise NotFound("no loan has this id", field="loan_id")
    if not await may_see(ctx, caller, document):
        raise Forbidden("only the applicant and their league staff see a loan", code="not_visible")
    return document


async def may_see(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    if caller.subject == document["applicant_subject_id"]:
        return True
    return await ctx.is_league_staff(caller, document["community_organization_id"])


async def _for_staff(ctx: EmploymentContext, caller: Caller, loan_id: str) -> Document:
    document = await ctx.ventures.loan(loan_id)
    if document is None:
        raise NotFound("no loan has this id", field="loan_id")
    await ctx.require_league_staff(caller, document["community_organization_id"])
    return document


def _history_entry(status: LoanStatus, at: datetime, on: date, caller: Caller) -> Document:
    """``at``: when it was entered (the audit); ``on``: the day it happened (what the report counts)."""
    return {"status": status.value, "at": at, "on": on.isoformat(), "by": caller.subject}


def step_day(ctx: EmploymentContext, step: Document) -> date:
    """The day a history step happened; steps entered before backdating existed happened when entered."""
    on = step.get("on")
    return date.fromisoformat(on) if on else local_day(step["at"], ventures.zone(ctx))


def approval_day(ctx: EmploymentContext, document: Document) -> date:
    on = document.get("approved_on")
    return date.fromisoformat(on) if on else local_day(document["approved_at"], ventures.zone(ctx))


_DAY_FIELDS = {LoanAction.APPROVE: "approved_on", LoanAction.DISBURSE: "disbursed_on"}


def _step_changes(
    ctx: EmploymentContext,
    document: Document,
    action: LoanAction,
    amount: int | None,
    day: date,
) -> dict[str, Any]:
    """What the step records beside the status: the approved sum and day, or the day the money went out."""
    today = ventures.today(ctx)
    changes: dict[str, Any] = {}
    if action is LoanAction.APPROVE:
        changes = {
            "approved_amount_yuan": approved_amount(document["amount_yuan"], amount),
            "approved_at": ctx.now(),
            "approved_on": day.isoformat(),
        }
    if action is LoanAction.DISBURSE:
        check_disbursed_on(day, approval_day(ctx, document), today)
        changes = {"disbursed_on": day.isoformat()}
    check_step_day(day, step_day(ctx, document["history"][-1]), today, _DAY_FIELDS.get(action, "on"))
    return changes


async def act(
    ctx: EmploymentContext,
    caller: Caller,
    loan_id: str,
    action: LoanAction,
    *,
    approved_amount_yuan: int | None = None,
    disbursed_on: date | None = None,
    on: date | None = None,
) -> Document:
    """One step; ``on`` (or ``disbursed_on``) dates it when it happened before it is entered (补录)."""
    document = await _for_staff(ctx, caller, loan_id)
    status = next_status(LoanStatus(document["status"]), action, balance(document))
    if action is LoanAction.DISBURSE and disbursed_on is None:
        raise InvalidInput("say when the money was paid out", field="disbursed_on", code="missing")
    day = disbursed_on or on or ventures.today(ctx)
    changes = _step_changes(ctx, document, action, approved_amount_yuan, day)
    changes |= {
        "status": status.value,
        "history": [*document["history"], _history_entry(status, ctx.now(), day, caller)],
    }
    event = ctx.events.envelope(_changed(document | changes, status), subject=loan_id)
    updated = await ctx.ventures.update_loan(document, changes, [event])
    ctx.notify()
    return updated


async def repay(ctx: EmploymentContext, caller: Caller, loan_id: str, command: RepaymentCreate) -> Document:
    """Staff record a repayment the bank confirmed; it never takes the balance below zero."""
    document = await _for_staff(ctx, caller, loan_id)
    disbursed_on = date.fromisoformat(document["disbursed_on"]) if document["disbursed_on"] else date.min
    outstanding = Outstanding(
        LoanStatus(document["status"]), balance(document), len(document["repayments"]), disbursed_on
    )
    check_repayment(outstanding, command.amount_yuan, command.paid_on, ventures.today(ctx))
    repayment = command.model_dump(mode="json") | {
        "id": new_id("rpy"),
        "recorded_by": caller.subject,
        "recorded_at": ctx.now(),
    }
    changes = {
        "repayments": [*document["repayments"], repayment],
        "repaid_yuan": document["repaid_yuan"] + command.amount_yuan,
    }
    return await ctx.ventures.update_loan(document, changes, [])


async def repayments_page(
    ctx: EmploymentContext, caller: Caller, loan_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    document = await loan(ctx, caller, loan_id)
    after = cursor_after(cursor)
    rows = [r | {"_id": r["id"]} for r in document["repayments"] if after is None or r["id"] > after]
    return split_page(rows[: limit + 1], limit)


async def page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    organization_id: str | None,
    statuses: list[LoanStatus],
    venture_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """Staff: the loans of applicants under an organisation; anyone else: their own loans."""
    query: dict[str, Any]
    if organization_id is not None:
        await ctx.require_league_staff(caller, organization_id, "organization_id")
        query = {"area_ids": organization_id}
    else:
        query = {"applicant_subject_id": caller.subject}
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    if venture_id is not None:
        query["venture_id"] = venture_id
    return split_page(await ctx.ventures.find_loans(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EmploymentContext, caller: Caller, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.ventures.loans(ids)}
    return [found[i] for i in ids if i in found and await may_see(ctx, caller, found[i])]
