"""A reporting month (``2026-11``) as the calendar month where the figures are counted.

Every service counts the 月报's figures over the same window, so a session at 23:30 on the last day
falls in the same month in every service: the month's first midnight to the next month's first
midnight in the city's time zone. Pure Python, so domain modules may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from qingchun_plumbing.rules import DomainError

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH = re.compile(MONTH_PATTERN)


@dataclass(frozen=True)
class MonthWindow:
    month: str
    first: date
    last: date
    start: datetime
    """The first instant of the month where it is counted (aware)."""
    end: datetime
    """The first instant of the next month (exclusive)."""

    def holds_day(self, day: date | str) -> bool:
        value = date.fromisoformat(day) if isinstance(day, str) else day
        return self.first <= value <= self.last

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def month_window(text: str, zone: tzinfo) -> MonthWindow:
    """``2026-11`` in ``zone``; a malformed month is the caller's error, named by its field."""
    if _MONTH.fullmatch(text) is None:
        raise DomainError("invalid_month", "月份格式应为 YYYY-MM，例如 2026-11", field="month")
    first = date(int(text[:4]), int(text[5:]), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return MonthWindow(
        month=text,
        first=first,
        last=following - timedelta(days=1),
        start=datetime.combine(first, time(), tzinfo=zone),
        end=datetime.combine(following, time(), tzinfo=zone),
    )
