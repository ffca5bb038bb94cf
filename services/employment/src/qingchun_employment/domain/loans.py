"""Microloans (小额担保贷款): the real-name loan from application to the last repayment.

The seeds give the steps (申请 → 审核 → 批准 → 放款 → 还款 → 结清, or 未通过) and require that policy
money be supervised (督查); they give no amounts or terms, so those are the applicant's data within
wide bounds. Each step rests on the one before, so the figures the 创业报表 reports for approvals,
disbursements and repayments describe loans that really went through them; the balance never goes
below zero and a loan closes only once it is repaid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MIN_AMOUNT_YUAN = 1
MAX_AMOUNT_YUAN = 500_000
MIN_TERM_MONTHS = 6
MAX_TERM_MONTHS = 60
MAX_REPAYMENTS = 600
"""Ten a month over the longest term: the repayments stay one bounded document field."""
EARLIEST_LOAN_DAY = date(2002, 1, 1)
"""小额担保贷款 began in 2002: a loan backfilled from before the platform is dated after that."""


class LoanPurpose(LabelledEnum):
    SELF_EMPLOYED = ("self_employed", "自主创业")
    HOMECOMING = ("homecoming", "回乡创业")


class Guarantee(LabelledEnum):
    GUARANTEE_AGENCY = ("guarantee_agency", "担保机构")
    COUNTER_GUARANTOR = ("counter_guarantor", "反担保人")
    CREDIT = ("credit", "信用")
    JOINT = ("joint", "联保")


class LoanStatus(LabelledEnum):
    APPLIED = ("applied", "已申请")
    REVIEWED = ("reviewed", "已审核")
    APPROVED = ("approved", "已批准")
    DISBURSED = ("disbursed", "已放款")
    REPAYING = ("repaying", "还款中")
    CLOSED = ("closed", "已结清")
    REJECTED = ("rejected", "未通过")


class LoanAction(LabelledEnum):
    REVIEW = ("review", "审核")
    APPROVE = ("approve", "批准")
    DISBURSE = ("disburse", "放款")
    START_REPAYMENT = ("start_repayment", "开始还款")
    CLOSE = ("close", "结清")
    REJECT = ("reject", "不予通过")


S, A = LoanStatus, LoanAction
_TRANSITIONS: dict[tuple[LoanStatus, LoanAction], LoanStatus] = {
    (S.APPLIED, A.REVIEW): S.REVIEWED,
    (S.REVIEWED, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.DISBURSE): S.DISBURSED,
    (S.DISBURSED, A.START_REPAYMENT): S.REPAYING,
    (S.REPAYING, A.CLOSE): S.CLOSED,
    (S.APPLIED, A.REJECT): S.REJECTED,
    (S.REVIEWED, A.REJECT): S.REJECTED,
}


def next_status(status: LoanStatus, action: LoanAction, balance_yuan: int) -> LoanStatus:
    """Where ``action`` takes the loan; out of order, or closing with money still owed, is refused."""
    try:
        target = _TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(f"“{status.label}”的贷款不能“{action.label}”", field="status") from None
    if target is S.CLOSED and balance_yuan > 0:
        raise InvalidTransition(f"尚有{balance_yuan}元未还清，不能结清", field="balance_yuan")
    return target


def approved_amount(applied_yuan: int, approved_yuan: int | None) -> int:
    """The sum approved: the amount applied for unless the approver grants less."""
    if approved_yuan is None:
        return applied_yuan
    if not MIN_AMOUNT_YUAN <= approved_yuan <= applied_yuan:
        raise DomainError(
            "over_applied_amount",
            f"批准金额须在1元至申请金额{applied_yuan}元之间",
            field="approved_amount_yuan",
        )
    return approved_yuan


def check_applied_on(applied_on: date, today: date) -> None:
    """An application may be entered after the fact (a loan from before the platform, 补录), dated the
    day it was received, but not in the future nor before there were such loans."""
    if applied_on > today:
        raise DomainError("in_future", "申请日期不能晚于今天", field="applied_on")
    if applied_on < EARLIEST_LOAN_DAY:
        raise DomainError(
            "before_loans_existed", f"申请日期不能早于{EARLIEST_LOAN_DAY.isoformat()}", field="applied_on"
        )


def check_step_day(day: date, previous: date, today: date, field: str) -> None:
    """A step is dated the day it happened, which may be before it is entered (补录), but never in the
    future nor before the step it follows: the 创业报表 counts each step in its own month."""
    if day > today:
        raise DomainError("in_future", "日期不能晚于今天", field=field)
    if day < previous:
        raise DomainError(
            "before_previous_step", f"日期不能早于上一步（{previous.isoformat()}）", field=field
        )


def check_disbursed_on(disbursed_on: date, approved_on: date, today: date) -> None:
    if disbursed_on > today:
        raise DomainError("in_future", "放款日期不能晚于今天", field="disbursed_on")
    if disbursed_on < approved_on:
        raise DomainError("before_approval", "放款日期不能早于批准日期", field="disbursed_on")


@dataclass(frozen=True)
class Outstanding:
    """What a repayment is checked against: where the loan stands and what is still owed."""

    status: LoanStatus
    balance_yuan: int
    repayments: int
    disbursed_on: date


def check_repayment(loan: Outstanding, amount_yuan: int, paid_on: date, today: date) -> None:
    """A repayment is taken only while repaying, within the balance, dated between disbursement and today."""
    if loan.status is not S.REPAYING:
        raise InvalidTransition(f"“{loan.status.label}”的贷款不能登记还款", field="status")
    if amount_yuan > loan.balance_yuan:
        raise DomainError(
            "exceeds_balance", f"还款金额超过未还余额{loan.balance_yuan}元", field="amount_yuan"
        )
    if paid_on > today:
        raise DomainError("in_future", "还款日期不能晚于今天", field="paid_on")
    if paid_on < loan.disbursed_on:
        raise DomainError("before_disbursement", "还款日期不能早于放款日期", field="paid_on")
    if loan.repayments >= MAX_REPAYMENTS:
        raise DomainError(
            "too_many_repayments", f"一笔贷款最多登记{MAX_REPAYMENTS}次还款", field="amount_yuan"
        )
