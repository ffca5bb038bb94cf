"""Monthly compliance of a citizen school: weekly teaching and at least one activity or lecture.

September 2026 starts on a Tuesday: it owes ISO weeks W36 (31 Aug–6 Sep, Thursday 3 Sep) to W39;
W40 (28 Sep–4 Oct, Thursday 1 Oct) is owed by October. Times are local (Asia/Shanghai).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qingchun_education.domain.compliance import (
    ComplianceReason,
    ComplianceStatus,
    Month,
    judge,
    parse_month,
    session_window,
    week_label,
)
from qingchun_plumbing.rules import DomainError

ZONE = ZoneInfo("Asia/Shanghai")
SEPTEMBER = Month(2026, 9)
OCTOBER = Month(2026, 10)


def at(day: int, month: int = 9, hour: int = 19) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=ZONE)


def teaching(*days: int, month: int = 9) -> list[tuple[datetime, str]]:
    return [(at(d, month), "teaching") for d in days]


SATURDAYS = teaching(5, 12, 19, 26)
LECTURE = [(at(12, hour=9), "lecture")]
AFTER_SEPTEMBER = at(10, month=10)


def test_weekly_teaching_and_a_lecture_is_compliant() -> None:
    result = judge(SEPTEMBER, SATURDAYS + LECTURE, AFTER_SEPTEMBER, ZONE)
    assert result.status is ComplianceStatus.COMPLIANT
    assert (result.teaching_weeks, result.weeks_required, result.activities_or_lectures) == (4, 4, 1)
    assert (result.missing_weeks, result.reasons, result.month) == ([], [], "2026-09")


def test_an_activity_counts_like_a_lecture() -> None:
    result = judge(SEPTEMBER, [*SATURDAYS, (at(20), "activity")], AFTER_SEPTEMBER, ZONE)
    assert (result.status, result.activities_or_lectures) == (ComplianceStatus.COMPLIANT, 1)


def test_a_week_without_teaching_is_missing() -> None:
    result = judge(SEPTEMBER, teaching(5, 12, 26) + LECTURE, AFTER_SEPTEMBER, ZONE)
    assert result.status is ComplianceStatus.NON_COMPLIANT
    assert result.missing_weeks == ["2026-W38"]
    assert result.reasons == [ComplianceReason.MISSING_TEACHING_WEEK]
    assert (result.teaching_weeks, result.weeks_required) == (3, 4)


def test_two_sessions_in_one_week_still_leave_the_next_week_missing() -> None:
    result = judge(SEPTEMBER, teaching(5, 12, 13, 26) + LECTURE, AFTER_SEPTEMBER, ZONE)
    assert (result.teaching_weeks, result.missing_weeks) == (3, ["2026-W38"])


def test_no_activity_or_lecture_fails_the_month() -> None:
    result = judge(SEPTEMBER, SATURDAYS, AFTER_SEPTEMBER, ZONE)
    assert result.status is ComplianceStatus.NON_COMPLIANT
    assert result.reasons == [ComplianceReason.NO_ACTIVITY_OR_LECTURE]
    assert result.activities_or_lectures == 0


def test_both_failures_are_reported() -> None:
    result = judge(SEPTEMBER, teaching(5), AFTER_SEPTEMBER, ZONE)
    assert result.reasons == [ComplianceReason.MISSING_TEACHING_WEEK, ComplianceReason.NO_ACTIVITY_OR_LECTURE]
    assert result.missing_weeks == ["2026-W37", "2026-W38", "2026-W39"]


def test_a_lecture_outside_the_month_does_not_count() -> None:
    lectures = [(at(30, month=8), "lecture"), (at(2, month=10), "lecture")]
    result = judge(SEPTEMBER, SATURDAYS + lectures, AFTER_SEPTEMBER, ZONE)
    assert (result.activities_or_lectures, result.status) == (0, ComplianceStatus.NON_COMPLIANT)


def test_a_teaching_session_is_not_an_activity_and_a_lecture_is_not_teaching() -> None:
    result = judge(SEPTEMBER, [(at(d), "lecture") for d in (5, 12, 19, 26)], AFTER_SEPTEMBER, ZONE)
    assert (result.teaching_weeks, result.activities_or_lectures) == (0, 4)
    assert len(result.missing_weeks) == 4


# Weeks at the edges of the month.


def test_the_first_week_is_met_by_teaching_before_the_month_when_the_month_owes_it() -> None:
    # W36 is owed by September (Thursday 3 Sep); teaching on Monday 31 Aug meets it.
    result = judge(
        SEPTEMBER, [(at(31, month=8), "teaching"), *teaching(12, 19, 26), *LECTURE], AFTER_SEPTEMBER, ZONE
    )
    assert (result.status, result.teaching_weeks, result.missing_weeks) == (ComplianceStatus.COMPLIANT, 4, [])


def test_a_week_owed_elsewhere_counts_when_taught_in_this_months_part() -> None:
    result = judge(SEPTEMBER, SATURDAYS + teaching(29) + LECTURE, AFTER_SEPTEMBER, ZONE)
    assert (result.teaching_weeks, result.weeks_required) == (5, 5)


def test_a_week_owed_elsewhere_is_not_missing_when_taught_only_in_the_other_month() -> None:
    result = judge(SEPTEMBER, SATURDAYS + teaching(3, month=10) + LECTURE, AFTER_SEPTEMBER, ZONE)
    assert (result.status, result.weeks_required, result.missing_weeks) == (ComplianceStatus.COMPLIANT, 4, [])


def test_the_owing_month_is_met_by_teaching_in_the_previous_months_part() -> None:
    # October owes W40 (Thursday 1 Oct); the only teaching that week is Tuesday 29 Sep.
    october = [(at(29), "teaching"), *teaching(10, 17, 24, 31, month=10), (at(10, month=10), "lecture")]
    result = judge(OCTOBER, october, datetime(2026, 11, 9, tzinfo=ZONE), ZONE)
    assert (result.status, result.teaching_weeks, result.missing_weeks) == (ComplianceStatus.COMPLIANT, 5, [])


def test_the_owed_straddling_week_without_any_teaching_is_missing_in_the_owing_month_only() -> None:
    october = [*teaching(10, 17, 24, 31, month=10), (at(10, month=10), "lecture")]
    result = judge(OCTOBER, october, datetime(2026, 11, 9, tzinfo=ZONE), ZONE)
    assert result.missing_weeks == ["2026-W40"]
    assert judge(SEPTEMBER, SATURDAYS + LECTURE, AFTER_SEPTEMBER, ZONE).missing_weeks == []


def test_sessions_count_on_their_local_day() -> None:
    # 20:00 UTC on Sunday 6 Sep is Monday 7 Sep in Shanghai: W37, not W36.
    sunday_utc = datetime(2026, 9, 6, 20, tzinfo=UTC)
    result = judge(SEPTEMBER, [(sunday_utc, "teaching"), *teaching(19, 26), *LECTURE], AFTER_SEPTEMBER, ZONE)
    assert result.missing_weeks == ["2026-W36"]
    # 17:00 UTC on 31 Aug is 01:00 on 1 Sep locally: a September lecture.
    early = judge(
        SEPTEMBER, [*SATURDAYS, (datetime(2026, 8, 31, 17, tzinfo=UTC), "lecture")], AFTER_SEPTEMBER, ZONE
    )
    assert early.activities_or_lectures == 1


# Months not yet over.


def test_the_current_month_judges_only_the_weeks_over_so_far() -> None:
    wednesday_16th = at(16, hour=12)
    result = judge(SEPTEMBER, teaching(5, 12), wednesday_16th, ZONE)
    assert result.status is ComplianceStatus.IN_PROGRESS
    assert (result.teaching_weeks, result.weeks_required, result.missing_weeks) == (2, 2, [])
    assert result.reasons == []  # no lecture yet, but the month is not over


def test_the_running_week_counts_once_taught() -> None:
    result = judge(SEPTEMBER, teaching(5, 12, 15), at(16, hour=12), ZONE)
    assert (result.status, result.teaching_weeks, result.weeks_required) == (
        ComplianceStatus.IN_PROGRESS,
        3,
        3,
    )


def test_scheduled_sessions_not_yet_held_do_not_count() -> None:
    planned = [*teaching(5, 12, 19, 26), (at(26, hour=9), "lecture")]
    result = judge(SEPTEMBER, planned, at(16, hour=12), ZONE)
    assert (result.teaching_weeks, result.activities_or_lectures) == (2, 0)


def test_a_missed_week_fails_the_current_month_at_once() -> None:
    result = judge(SEPTEMBER, teaching(12), at(16, hour=12), ZONE)
    assert result.status is ComplianceStatus.NON_COMPLIANT
    assert result.missing_weeks == ["2026-W36"]


def test_a_future_month_is_in_progress_with_nothing_required() -> None:
    result = judge(SEPTEMBER, SATURDAYS + LECTURE, at(20, month=8), ZONE)
    assert result.status is ComplianceStatus.IN_PROGRESS
    assert (result.teaching_weeks, result.weeks_required, result.activities_or_lectures) == (0, 0, 0)


def test_a_month_over_waits_for_the_owed_week_that_runs_into_the_next_month() -> None:
    # October 2026 ends on Saturday; it owes W44 (26 Oct–1 Nov). On Sunday 1 Nov W44 is still running.
    october = [(at(29), "teaching"), *teaching(10, 17, 24, month=10), (at(10, month=10), "lecture")]
    sunday = datetime(2026, 11, 1, 12, tzinfo=ZONE)
    assert judge(OCTOBER, october, sunday, ZONE).status is ComplianceStatus.IN_PROGRESS
    taught_sunday = [*october, (datetime(2026, 11, 1, 9, tzinfo=ZONE), "teaching")]
    final = judge(OCTOBER, taught_sunday, datetime(2026, 11, 2, 9, tzinfo=ZONE), ZONE)
    assert (final.status, final.teaching_weeks) == (ComplianceStatus.COMPLIANT, 5)
    missed = judge(OCTOBER, october, datetime(2026, 11, 2, 9, tzinfo=ZONE), ZONE)
    assert missed.missing_weeks == ["2026-W44"]


def test_a_month_over_with_every_owed_week_taught_is_final_at_once() -> None:
    october = [(at(29), "teaching"), *teaching(10, 17, 24, 31, month=10), (at(10, month=10), "lecture")]
    result = judge(OCTOBER, october, datetime(2026, 11, 1, 0, 30, tzinfo=ZONE), ZONE)
    assert result.status is ComplianceStatus.COMPLIANT


# Months and weeks.


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-09", "2026-9", "2026/09", "1999-01", ""])
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_month(text)
    assert (refused.value.code, refused.value.field) == ("invalid_month", "month")


def test_a_month_is_parsed() -> None:
    assert parse_month("2026-09") == SEPTEMBER
    assert Month(2026, 12).after == date(2027, 1, 1)


def test_the_session_window_covers_every_day_of_the_overlapping_weeks() -> None:
    start, end = session_window(SEPTEMBER, ZONE)
    assert start.astimezone(UTC) == datetime(2026, 8, 30, 16, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 10, 4, 16, tzinfo=UTC)
    assert end - start == timedelta(weeks=5)


def test_weeks_are_labelled_by_iso_year() -> None:
    assert week_label(date(2026, 12, 28)) == "2026-W53"
    assert week_label(date(2024, 12, 30)) == "2025-W01"
    assert [week_label(m) for m in Month(2026, 3).mondays() if Month(2026, 3).owes(m)] == [
        "2026-W10",
        "2026-W11",
        "2026-W12",
        "2026-W13",
    ]
