"""按期换届: league branches elect their committee on schedule, and the platform says when it is due.

The seed requires every grassroots league organisation to renew its committee by democratic
election on time; these rules compute a term's end, its status on a given day, and which reminder
(if any) is still owed, so the periodic check announces each one once per term.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError

MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 5


class TermStatus(LabelledEnum):
    """Where a branch stands against its election schedule."""

    NO_TERM = ("no_term", "未登记任期")
    CURRENT = ("current", "任期内")
    DUE_SOON = ("due_soon", "即将换届")
    OVERDUE = ("overdue", "逾期未换届")


@dataclass(frozen=True)
class Term:
    """A committee's term of office, counted in whole years from its election."""

    start: date
    years: int

    @property
    def end(self) -> date:
        """Same day ``years`` later; a 29 February start ends on 28 February in a common year."""
        year = self.start.year + self.years
        try:
            return self.start.replace(year=year)
        except ValueError:
            return date(year, 2, 28)


@dataclass(frozen=True)
class Election:
    """A held election (民主选举 by default) that opens a new term."""

    held_on: date
    secretary_subject_id: str | None = None
    committee_size: int | None = None
    method: str = "民主选举"


@dataclass(frozen=True)
class TermNotice:
    """A reminder to send: ``days`` left when due soon, days late when overdue."""

    kind: TermStatus
    term_end: date
    days: int


def _check_years(years: int) -> None:
    if not MIN_TERM_YEARS <= years <= MAX_TERM_YEARS:
        raise DomainError(
            "term_years_out_of_range",
            f"任期年限须在{MIN_TERM_YEARS}至{MAX_TERM_YEARS}年之间",
            field="term_years",
        )


def start_term(start: date, years: int, today: date) -> Term:
    """Register a term; a future start would hide an overdue election, so it is refused."""
    _check_years(years)
    if start > today:
        raise DomainError("term_start_in_future", "任期开始日期不能晚于今天", field="term_start")
    return Term(start=start, years=years)


def term_status(term: Term | None, today: date, due_soon_days: int) -> TermStatus:
    """Classify the term on ``today``; the warning window is configurable per deployment."""
    if term is None:
        return TermStatus.NO_TERM
    if today >= term.end:
        return TermStatus.OVERDUE
    if (term.end - today).days <= due_soon_days:
        return TermStatus.DUE_SOON
    return TermStatus.CURRENT


def record_election(current: Term | None, election: Election, term_years: int, today: date) -> Term:
    """An election that really happened opens a new term starting on its date."""
    if election.held_on > today:
        raise DomainError("election_in_future", "选举日期不能晚于今天", field="held_on")
    if current is not None and election.held_on < current.start:
        raise DomainError("election_before_term", "选举日期不能早于当前任期开始日期", field="held_on")
    if election.committee_size is not None and election.committee_size < 1:
        raise DomainError("committee_size_invalid", "委员人数至少为1", field="committee_size")
    return start_term(election.held_on, term_years, today)


def notice_due(
    term: Term | None, today: date, due_soon_days: int, notified: Mapping[str, date]
) -> TermNotice | None:
    """The reminder still owed for this term, if any; ``notified`` maps status → term end announced."""
    status = term_status(term, today, due_soon_days)
    if term is None or status not in (TermStatus.DUE_SOON, TermStatus.OVERDUE):
        return None
    if notified.get(status.value) == term.end:
        return None
    days = (term.end - today).days if status is TermStatus.DUE_SOON else (today - term.end).days
    return TermNotice(kind=status, term_end=term.end, days=days)
