"""The 创业报表 figures: each counted in the month its step happened, per street, in local days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from qingchun_employment.domain.loans import LoanStatus
from qingchun_employment.domain.reports import (
    LoanFacts,
    Month,
    NominationFacts,
    StreetFigures,
    VentureFacts,
    balance_on,
    local_day,
    parse_month,
    report,
    status_on,
    street_of,
)
from qingchun_employment.domain.ventures import JobsEntry, VentureKind
from qingchun_plumbing.rules import DomainError

SEPTEMBER = Month(date(2026, 9, 1), date(2026, 9, 30))
S = LoanStatus


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
    ],
)
def test_a_month_runs_from_its_first_to_its_last_day(text: str, first: date, last: date) -> None:
    assert parse_month(text) == Month(first, last)


@pytest.mark.parametrize("text", ["2026-13", "2026-9", "202609", "2026-00", "09-2026", ""])
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(DomainError) as raised:
        parse_month(text)
    assert (raised.value.code, raised.value.field) == ("invalid_month", "month")


def test_days_are_counted_in_the_city_time_zone() -> None:
    late_on_the_31st_utc = datetime(2026, 8, 31, 17, 0, tzinfo=UTC)
    assert local_day(late_on_the_31st_utc, ZoneInfo("Asia/Shanghai")) == date(2026, 9, 1)
    assert local_day(late_on_the_31st_utc, UTC) == date(2026, 8, 31)


def venture(street: str, kind: VentureKind, started: date, *history: tuple[date, int]) -> VentureFacts:
    return VentureFacts(street, kind, started, tuple(JobsEntry(d, j) for d, j in history))


def test_ventures_started_and_jobs_created_in_the_month() -> None:
    ventures = [
        venture("st1", VentureKind.SELF_EMPLOYED, date(2026, 9, 3), (date(2026, 9, 3), 3)),
        venture("st1", VentureKind.HOMECOMING, date(2026, 9, 30), (date(2026, 9, 30), 2)),
        # started earlier, grew from 5 to 8 in September, and again in October
        venture(
            "st1",
            VentureKind.HOMECOMING,
            date(2026, 4, 1),
            (date(2026, 4, 1), 5),
            (date(2026, 9, 10), 8),
            (date(2026, 10, 1), 12),
        ),
        venture("st1", VentureKind.SELF_EMPLOYED, date(2026, 10, 1), (date(2026, 10, 1), 4)),
        venture("st2", VentureKind.SELF_EMPLOYED, date(2026, 9, 5), (date(2026, 9, 5), 1)),
    ]
    [row] = report(["st1"], SEPTEMBER, ventures, [], [])
    assert (row.ventures_self_employed, row.ventures_homecoming) == (1, 1)
    assert (row.jobs_created, row.jobs_at_month_end) == (3 + 2 + 3, 3 + 2 + 8)


def test_jobs_created_is_a_net_change_and_may_fall() -> None:
    shrinking = venture(
        "st1", VentureKind.SELF_EMPLOYED, date(2026, 1, 1), (date(2026, 1, 1), 6), (date(2026, 9, 2), 4)
    )
    [row] = report(["st1"], SEPTEMBER, [shrinking], [], [])
    assert (row.jobs_created, row.jobs_at_month_end) == (-2, 4)


def repaying_loan(street: str = "st1") -> LoanFacts:
    return LoanFacts(
        street,
        applied_on=date(2026, 6, 2),
        applied_yuan=80_000,
        approved_on=date(2026, 7, 1),
        approved_yuan=50_000,
        disbursed_on=date(2026, 7, 20),
        statuses=(
            (date(2026, 6, 2), S.APPLIED),
            (date(2026, 6, 10), S.REVIEWED),
            (date(2026, 7, 1), S.APPROVED),
            (date(2026, 7, 20), S.DISBURSED),
            (date(2026, 8, 1), S.REPAYING),
        ),
        repayments=((date(2026, 8, 30), 10_000), (date(2026, 9, 30), 5_000), (date(2026, 10, 1), 5_000)),
    )


def test_status_and_balance_on_a_day() -> None:
    loan = repaying_loan()
    assert status_on(loan, date(2026, 6, 1)) is None
    assert status_on(loan, date(2026, 7, 19)) is S.APPROVED
    assert status_on(loan, SEPTEMBER.last) is S.REPAYING
    assert balance_on(loan, date(2026, 8, 29)) == 50_000
    assert balance_on(loan, SEPTEMBER.last) == 35_000


def test_loans_count_in_the_month_of_each_step() -> None:
    loans = [
        LoanFacts("st1", date(2026, 9, 1), 20_000, statuses=((date(2026, 9, 1), S.APPLIED),)),
        LoanFacts(
            "st1",
            date(2026, 8, 20),
            30_000,
            approved_on=date(2026, 9, 5),
            approved_yuan=25_000,
            disbursed_on=date(2026, 9, 20),
            statuses=((date(2026, 8, 20), S.APPLIED), (date(2026, 9, 20), S.DISBURSED)),
        ),
        repaying_loan(),
        LoanFacts("st1", date(2026, 10, 1), 9_000, statuses=((date(2026, 10, 1), S.APPLIED),)),
        LoanFacts("st2", date(2026, 9, 9), 1_000, statuses=((date(2026, 9, 9), S.APPLIED),)),
    ]
    [row] = report(["st1"], SEPTEMBER, [], loans, [])
    assert (row.loans_applied, row.loans_applied_yuan) == (1, 20_000)
    assert (row.loans_approved, row.loans_approved_yuan) == (1, 25_000)
    assert (row.loans_disbursed, row.loans_disbursed_yuan) == (1, 25_000)
    assert (row.loans_repaying, row.loans_repaying_balance_yuan) == (1, 35_000)


def test_a_loan_closed_within_the_month_is_not_in_repayment_at_its_end() -> None:
    loan = repaying_loan()
    closed = LoanFacts(**{**loan.__dict__, "statuses": (*loan.statuses, (date(2026, 9, 29), S.CLOSED))})
    [row] = report(["st1"], SEPTEMBER, [], [closed], [])
    assert (row.loans_repaying, row.loans_repaying_balance_yuan) == (0, 0)


def test_nominations_and_stars_of_the_month() -> None:
    nominations = [
        NominationFacts("st1", date(2026, 9, 2), date(2026, 9, 25)),
        NominationFacts("st1", date(2026, 8, 2), date(2026, 9, 1)),
        NominationFacts("st1", date(2026, 9, 12)),
        NominationFacts("st2", date(2026, 9, 12)),
    ]
    [row] = report(["st1"], SEPTEMBER, [], [], nominations)
    assert (row.nominations, row.stars_selected) == (2, 2)


def test_a_row_per_street_in_the_order_given_with_zeros_for_a_quiet_one() -> None:
    rows = report(["st2", "quiet", "st1"], SEPTEMBER, [], [repaying_loan("st1")], [])
    assert [r.street_id for r in rows] == ["st2", "quiet", "st1"]
    assert rows[1] == StreetFigures("quiet")
    assert rows[2].loans_repaying == 1


def test_a_loan_counts_at_the_nearest_street_above_the_applicant() -> None:
    chain = [("c1", "community"), ("st1", "league_working_committee"), ("d1", "league_district_committee")]
    assert street_of(chain) == "st1"
    assert (
        street_of([("c1", "community"), ("so1", "street_office"), ("st1", "league_working_committee")])
        == "so1"
    )
    assert street_of([("c1", "community"), ("city", "league_city_committee")]) == "c1"
