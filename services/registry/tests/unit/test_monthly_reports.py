"""The pure rules of submitted monthly reports: which months may be reported, and the rate."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from qingchun_plumbing.months import month_window
from qingchun_registry.domain.errors import DomainError
from qingchun_registry.domain.monthly_reports import check_submittable, submission_rate


def test_a_month_that_has_begun_may_be_reported_and_a_later_one_not() -> None:
    check_submittable(date(2026, 11, 1), date(2026, 11, 1))
    check_submittable(date(2026, 10, 1), date(2026, 11, 15))
    with pytest.raises(DomainError) as refused:
        check_submittable(date(2026, 12, 1), date(2026, 11, 30))
    assert (refused.value.code, refused.value.field) == ("month_not_started", "month")


def test_the_rate_counts_only_the_committees_communities_once() -> None:
    rate = submission_rate(["c1", "c2", "c3", "c2"], ["c2", "moved-away"])
    assert (rate.communities, rate.submitted, rate.missing, rate.rate) == (3, 1, ("c1", "c3"), 0.3333)
    assert submission_rate([], ["c1"]).rate is None
    assert submission_rate(["c1"], ["c1"]).rate == 1.0


def test_a_month_is_its_calendar_days_in_the_zone_counted() -> None:
    window = month_window("2024-02", ZoneInfo("Asia/Shanghai"))
    assert (window.first, window.last) == (date(2024, 2, 1), date(2024, 2, 29))
    assert window.start.isoformat() == "2024-02-01T00:00:00+08:00"
    assert window.holds_day("2024-02-29")
    assert not window.holds_day("2024-03-01")
    with pytest.raises(DomainError) as bad:
        month_window("2024-2", ZoneInfo("UTC"))
    assert (bad.value.code, bad.value.field) == ("invalid_month", "month")
