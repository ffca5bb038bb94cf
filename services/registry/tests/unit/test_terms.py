"""按期换届: term ends, status, elections and the once-per-term reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_registry.domain.errors import DomainError
from qingchun_registry.domain.terms import (
    MAX_TERM_YEARS,
    MIN_TERM_YEARS,
    Election,
    Term,
    TermNotice,
    TermStatus,
    notice_due,
    record_election,
    start_term,
    term_status,
)

TODAY = date(2024, 6, 1)
years = st.integers(MIN_TERM_YEARS, MAX_TERM_YEARS)
days_ = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def code_field(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.code, error.value.field


def test_term_end_examples() -> None:
    assert Term(date(2021, 3, 15), 3).end == date(2024, 3, 15)
    assert Term(date(2020, 2, 29), 1).end == date(2021, 2, 28)
    assert Term(date(2020, 2, 29), 4).end == date(2024, 2, 29)


@given(days_, years)
def test_term_end_is_same_day_years_later(start: date, n: int) -> None:
    end = Term(start, n).end
    assert end.year == start.year + n
    assert end.month == start.month
    if (start.month, start.day) == (2, 29) and end.day != 29:
        assert end.day == 28
    else:
        assert end.day == start.day


def test_start_term_validation() -> None:
    assert start_term(TODAY, 3, TODAY) == Term(TODAY, 3)
    for bad in (MIN_TERM_YEARS - 1, MAX_TERM_YEARS + 1):
        with pytest.raises(DomainError) as excinfo:
            start_term(TODAY, bad, TODAY)
        assert code_field(excinfo) == ("term_years_out_of_range", "term_years")
    with pytest.raises(DomainError) as excinfo:
        start_term(TODAY + timedelta(days=1), 3, TODAY)
    assert code_field(excinfo) == ("term_start_in_future", "term_start")


def test_term_status_boundaries() -> None:
    term = Term(date(2021, 6, 1), 3)  # ends 2024-06-01
    assert term_status(None, TODAY, 30) is TermStatus.NO_TERM
    assert term_status(term, date(2024, 6, 1), 30) is TermStatus.OVERDUE
    assert term_status(term, date(2024, 5, 31), 30) is TermStatus.DUE_SOON
    assert term_status(term, date(2024, 5, 2), 30) is TermStatus.DUE_SOON
    assert term_status(term, date(2024, 5, 1), 30) is TermStatus.CURRENT


@given(days_, years, st.integers(0, 2000), st.integers(0, 400))
def test_term_status_matches_the_days_left(start: date, n: int, offset: int, window: int) -> None:
    term = Term(start, n)
    today = start + timedelta(days=offset)
    left = (term.end - today).days
    expected = (
        TermStatus.OVERDUE if left <= 0 else TermStatus.DUE_SOON if left <= window else TermStatus.CURRENT
    )
    assert term_status(term, today, window) is expected


def test_record_election() -> None:
    current = Term(date(2021, 6, 1), 3)
    new = record_election(current, Election(date(2024, 5, 20), "subject-1", 5), 3, TODAY)
    assert new == Term(date(2024, 5, 20), 3)
    assert record_election(None, Election(date(2020, 1, 1)), 5, TODAY) == Term(date(2020, 1, 1), 5)
    assert Election(TODAY).method == "民主选举"
    cases = [
        (current, Election(TODAY + timedelta(days=1)), 3, ("election_in_future", "held_on")),
        (current, Election(date(2021, 5, 31)), 3, ("election_before_term", "held_on")),
        (current, Election(TODAY, committee_size=0), 3, ("committee_size_invalid", "committee_size")),
        (current, Election(TODAY), 6, ("term_years_out_of_range", "term_years")),
    ]
    for term, election, n, expected in cases:
        with pytest.raises(DomainError) as excinfo:
            record_election(term, election, n, TODAY)
        assert code_field(excinfo) == expected


def test_notice_due_examples() -> None:
    term = Term(date(2021, 6, 1), 3)
    end = term.end
    assert notice_due(term, date(2024, 5, 20), 30, {}) == TermNotice(TermStatus.DUE_SOON, end, 12)
    assert notice_due(term, date(2024, 5, 20), 30, {"due_soon": end}) is None
    assert notice_due(term, date(2024, 5, 20), 30, {"due_soon": date(2021, 6, 1)}) is not None
    assert notice_due(term, date(2024, 6, 11), 30, {"due_soon": end}) == TermNotice(
        TermStatus.OVERDUE, end, 10
    )
    assert notice_due(term, date(2024, 6, 11), 30, {"overdue": end}) is None
    assert notice_due(term, date(2023, 1, 1), 30, {}) is None
    assert notice_due(None, TODAY, 30, {}) is None


@given(
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)),
    window=st.integers(0, 500),
    checks=st.lists(st.integers(1, 40), min_size=1, max_size=200),
    reelect_after=st.none() | st.integers(0, 1500),
)
def test_periodic_check_announces_each_notice_once_per_term(
    start: date, window: int, checks: list[int], reelect_after: int | None
) -> None:
    """Simulate a scheduler running at irregular intervals, remembering what it announced."""
    term = Term(start, 1)
    today = start
    notified: dict[str, date] = {}
    sent: list[TermNotice] = []
    for gap in checks:
        today += timedelta(days=gap)
        if reelect_after is not None and today >= start + timedelta(days=reelect_after):
            term = record_election(term, Election(today), 1, today)
            reelect_after = None
        notice = notice_due(term, today, window, notified)
        if notice is not None:
            assert notice.kind is term_status(term, today, window)
            assert notice.term_end == term.end
            expected_days = (
                (term.end - today).days if notice.kind is TermStatus.DUE_SOON else (today - term.end).days
            )
            assert notice.days == expected_days >= 0
            notified[notice.kind.value] = notice.term_end
            sent.append(notice)
    keys = [(n.kind, n.term_end) for n in sent]
    assert len(keys) == len(set(keys)), "a notice was announced twice for the same term"
    if term_status(term, today, window) is TermStatus.OVERDUE:
        assert (TermStatus.OVERDUE, term.end) in keys
