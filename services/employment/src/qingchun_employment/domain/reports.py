"""The 创业报表: a street's entrepreneurship figures for one month, from the facts of its records.

The seeds ask streets to track "进度和动态" of the 创建创业型街道/社区 work in a report and count its
supervision (督查) in the 街道综合目标考核. The figures are computed here from plain facts, so each
is defined once and tested without a store: a month is a calendar month in the city's time zone;
jobs created are the net change of the street's ventures' checked job counts over the month; a loan
counts as applied, approved or disbursed in the month that step happened, and as in repayment if
that was its status on the month's last day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from qingchun_employment.domain.loans import LoanStatus
from qingchun_employment.domain.ventures import STREET_TYPES, JobsEntry, VentureKind, jobs_on
from qingchun_plumbing.rules import DomainError

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def street_of(chain: Sequence[tuple[str, str | None]]) -> str:
    """The nearest street in a chain of (id, type), itself first; the first id when there is none."""
    return next((org_id for org_id, kind in chain if kind in STREET_TYPES), chain[0][0])


@dataclass(frozen=True)
class Month:
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def parse_month(text: str) -> Month:
    """``2026-09`` → its first and last day."""
    match = _MONTH.fullmatch(text)
    if match is None:
        raise DomainError("invalid_month", "月份格式应为 YYYY-MM，例如 2026-09", field="month")
    first = date(int(match[1]), int(match[2]), 1)
    following = (first + timedelta(days=31)).replace(day=1)
    return Month(first, following - timedelta(days=1))


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day a moment falls on where the figures are counted."""
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class VentureFacts:
    street_id: str
    kind: VentureKind
    started_on: date
    history: tuple[JobsEntry, ...]


@dataclass(frozen=True)
class LoanFacts:
    street_id: str
    applied_on: date
    applied_yuan: int
    approved_on: date | None = None
    approved_yuan: int | None = None
    disbursed_on: date | None = None
    statuses: tuple[tuple[date, LoanStatus], ...] = ()
    """Each status with the day it began, oldest first."""
    repayments: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class NominationFacts:
    street_id: str
    nominated_on: date
    selected_on: date | None = None


@dataclass(frozen=True)
class StreetFigures:
    street_id: str
    ventures_self_employed: int = 0
    ventures_homecoming: int = 0
    jobs_created: int = 0
    jobs_at_month_end: int = 0
    loans_applied: int = 0
    loans_applied_yuan: int = 0
    loans_approved: int = 0
    loans_approved_yuan: int = 0
    loans_disbursed: int = 0
    loans_disbursed_yuan: int = 0
    loans_repaying: int = 0
    loans_repaying_balance_yuan: int = 0
    nominations: int = 0
    stars_selected: int = 0


def status_on(loan: LoanFacts, day: date) -> LoanStatus | None:
    """The loan's status at the end of ``day`` (None before it was applied for)."""
    current = None
    for began, status in loan.statuses:
        if began <= day:
            current = status
    return current


def balance_on(loan: LoanFacts, day: date) -> int:
    repaid = sum(amount for paid_on, amount in loan.repayments if paid_on <= day)
    return (loan.approved_yuan or 0) - repaid


def _venture_figures(month: Month, ventures: Sequence[VentureFacts]) -> dict[str, int]:
    started = [v for v in ventures if v.started_on in month]
    before = month.first - timedelta(days=1)
    at_end = sum(jobs_on(v.history, month.last) for v in ventures)
    return {
        "ventures_self_employed": sum(v.kind is VentureKind.SELF_EMPLOYED for v in started),
        "ventures_homecoming": sum(v.kind is VentureKind.HOMECOMING for v in started),
        "jobs_created": at_end - sum(jobs_on(v.history, before) for v in ventures),
        "jobs_at_month_end": at_end,
    }


def _loan_figures(month: Month, loans: Sequence[LoanFacts]) -> dict[str, int]:
    applied = [loan for loan in loans if loan.applied_on in month]
    approved = [loan for loan in loans if loan.approved_on in month]
    disbursed = [loan for loan in loans if loan.disbursed_on in month]
    repaying = [loan for loan in loans if status_on(loan, month.last) is LoanStatus.REPAYING]
    return {
        "loans_applied": len(applied),
        "loans_applied_yuan": sum(loan.applied_yuan for loan in applied),
        "loans_approved": len(approved),
        "loans_approved_yuan": sum(loan.approved_yuan or 0 for loan in approved),
        "loans_disbursed": len(disbursed),
        "loans_disbursed_yuan": sum(loan.approved_yuan or 0 for loan in disbursed),
        "loans_repaying": len(repaying),
        "loans_repaying_balance_yuan": sum(balance_on(loan, month.last) for loan in repaying),
    }


def _nomination_figures(month: Month, nominations: Sequence[NominationFacts]) -> dict[str, int]:
    return {
        "nominations": sum(n.nominated_on in month for n in nominations),
        "stars_selected": sum(n.selected_on in month for n in nominations),
    }


def street_figures(
    street_id: str,
    month: Month,
    ventures: Sequence[VentureFacts],
    loans: Sequence[LoanFacts],
    nominations: Sequence[NominationFacts],
) -> StreetFigures:
    """One street's row; facts of other streets are ignored."""
    return StreetFigures(
        street_id,
        **_venture_figures(month, [v for v in ventures if v.street_id == street_id]),
        **_loan_figures(month, [loan for loan in loans if loan.street_id == street_id]),
        **_nomination_figures(month, [n for n in nominations if n.street_id == street_id]),
    )


def report(
    street_ids: Iterable[str],
    month: Month,
    ventures: Sequence[VentureFacts],
    loans: Sequence[LoanFacts],
    nominations: Sequence[NominationFacts],
) -> list[StreetFigures]:
    """A row per street, in the order given (a street with no records has a row of zeros)."""
    return [street_figures(s, month, ventures, loans, nominations) for s in street_ids]
