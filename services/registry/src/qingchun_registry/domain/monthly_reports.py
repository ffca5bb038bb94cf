"""Submitted monthly reports (月报): when a month may be submitted, and the submission rate.

A community's report is frozen once submitted (the 月报机制 counts it in rewards and penalties),
so the rules are few and strict: a month that has not begun cannot be reported, and a month is
reported once. The rate a league committee watches is submitted communities over all its active
communities, with the list of those still missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import DomainError


def check_submittable(month_first: date, today: date) -> None:
    """A report describes a month that has at least begun."""
    if month_first > today:
        raise DomainError("month_not_started", "不能提交尚未开始月份的月报", field="month")


@dataclass(frozen=True)
class SubmissionRate:
    communities: int
    submitted: int
    missing: tuple[str, ...]
    """Community ids without a report, in the order given."""

    @property
    def rate(self) -> float | None:
        """Submitted share, rounded to 4 places; None for a committee without communities."""
        return round(self.submitted / self.communities, 4) if self.communities else None


def submission_rate(community_ids: Sequence[str], submitted_ids: Iterable[str]) -> SubmissionRate:
    """Reports from communities no longer under the committee (moved, deactivated) do not count."""
    expected = list(dict.fromkeys(community_ids))
    done = set(submitted_ids) & set(expected)
    return SubmissionRate(
        communities=len(expected),
        submitted=len(done),
        missing=tuple(c for c in expected if c not in done),
    )
