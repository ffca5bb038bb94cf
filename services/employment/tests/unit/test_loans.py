"""Microloans: every step in order, nothing skipped, and the balance never below zero."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from qingchun_employment.domain.loans import (
    EARLIEST_LOAN_DAY,
    MAX_REPAYMENTS,
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
from qingchun_plumbing.rules import DomainError, InvalidTransition

S, A = LoanStatus, LoanAction
TODAY = date(2026, 9, 15)
DISBURSED = date(2026, 6, 1)
ALLOWED = {
    (S.APPLIED, A.REVIEW): S.REVIEWED,
    (S.REVIEWED, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.DISBURSE): S.DISBURSED,
    (S.DISBURSED, A.START_REPAYMENT): S.REPAYING,
    (S.REPAYING, A.CLOSE): S.CLOSED,
    (S.APPLIED, A.REJECT): S.REJECTED,
    (S.REVIEWED, A.REJECT): S.REJECTED,
}


def refusal(call: object, *args: object) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value.code, raised.value.field


@pytest.mark.parametrize(("status", "action"), list(itertools.product(LoanStatus, LoanAction)))
def test_every_status_and_action(status: LoanStatus, action: LoanAction) -> None:
    if (status, action) in ALLOWED:
        assert next_status(status, action, 0) is ALLOWED[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as raised:
            next_status(status, action, 0)
        assert (raised.value.code, raised.value.field) == ("invalid_transition", "status")


def test_a_loan_closes_only_when_repaid() -> None:
    with pytest.raises(InvalidTransition) as raised:
        next_status(S.REPAYING, A.CLOSE, 1)
    assert raised.value.field == "balance_yuan"
    assert next_status(S.REPAYING, A.CLOSE, 0) is S.CLOSED


def test_the_approver_may_grant_less_but_never_more() -> None:
    assert approved_amount(50_000, None) == 50_000
    assert approved_amount(50_000, 30_000) == 30_000
    assert approved_amount(50_000, 50_000) == 50_000
    assert refusal(approved_amount, 50_000, 50_001) == ("over_applied_amount", "approved_amount_yuan")
    assert refusal(approved_amount, 50_000, 0) == ("over_applied_amount", "approved_amount_yuan")


def test_disbursement_is_dated_between_approval_and_today() -> None:
    check_disbursed_on(DISBURSED, DISBURSED, TODAY)
    assert refusal(check_disbursed_on, date(2026, 9, 16), DISBURSED, TODAY) == ("in_future", "disbursed_on")
    assert refusal(check_disbursed_on, date(2026, 5, 31), DISBURSED, TODAY) == (
        "before_approval",
        "disbursed_on",
    )


def repaying(balance: int, count: int = 0) -> Outstanding:
    return Outstanding(S.REPAYING, balance, count, DISBURSED)


def test_a_repayment_may_pay_off_the_balance_exactly() -> None:
    check_repayment(repaying(1000), 1000, TODAY, TODAY)
    check_repayment(repaying(1000), 1, DISBURSED, TODAY)


@pytest.mark.parametrize(
    ("loan", "amount", "paid_on", "expected"),
    [
        (repaying(1000), 1001, TODAY, ("exceeds_balance", "amount_yuan")),
        (repaying(0), 1, TODAY, ("exceeds_balance", "amount_yuan")),
        (repaying(1000), 10, date(2026, 9, 16), ("in_future", "paid_on")),
        (repaying(1000), 10, date(2026, 5, 31), ("before_disbursement", "paid_on")),
        (repaying(1000, MAX_REPAYMENTS), 10, TODAY, ("too_many_repayments", "amount_yuan")),
    ],
)
def test_repayment_refusals(loan: Outstanding, amount: int, paid_on: date, expected: tuple[str, str]) -> None:
    assert refusal(check_repayment, loan, amount, paid_on, TODAY) == expected


@pytest.mark.parametrize("status", [s for s in LoanStatus if s is not S.REPAYING])
def test_repayments_are_taken_only_while_repaying(status: LoanStatus) -> None:
    with pytest.raises(InvalidTransition):
        check_repayment(Outstanding(status, 1000, 0, DISBURSED), 10, TODAY, TODAY)


def test_a_step_is_dated_between_the_step_before_and_today() -> None:
    check_step_day(date(2025, 11, 10), date(2025, 11, 10), date(2026, 1, 1), "on")
    with pytest.raises(DomainError) as future:
        check_step_day(date(2026, 1, 2), date(2025, 11, 10), date(2026, 1, 1), "on")
    assert (future.value.code, future.value.field) == ("in_future", "on")
    with pytest.raises(DomainError) as early:
        check_step_day(date(2025, 11, 9), date(2025, 11, 10), date(2026, 1, 1), "approved_on")
    assert (early.value.code, early.value.field) == ("before_previous_step", "approved_on")


def test_an_application_is_dated_from_the_first_loans_to_today() -> None:
    check_applied_on(EARLIEST_LOAN_DAY, date(2026, 1, 1))
    for day, code in [(date(2026, 1, 2), "in_future"), (date(2001, 12, 31), "before_loans_existed")]:
        with pytest.raises(DomainError) as refused:
            check_applied_on(day, date(2026, 1, 1))
        assert (refused.value.code, refused.value.field) == (code, "applied_on")
