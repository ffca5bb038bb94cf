"""Course rules: options that must agree, session times, the owner's place, and the status machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from qingchun_education.domain.courses import (
    MAX_SESSIONS,
    CourseAction,
    CourseCategory,
    CourseMode,
    CourseRules,
    CourseStatus,
    SessionKind,
    SessionTimes,
    check_course,
    check_open_for_sessions,
    check_owner_in_programme,
    check_sessions,
    next_status,
)
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.testing.quality import label_problems
from qingchun_plumbing.waitlist import WaitlistPolicy

START = datetime(2026, 7, 1, 9, tzinfo=UTC)


DEFAULT = CourseRules(WaitlistPolicy.AUTO_PROMOTE, None, None, None, False, None)


def rules(**changes: Any) -> CourseRules:
    return replace(DEFAULT, **changes)


@pytest.mark.parametrize("enum", [CourseCategory, CourseMode, CourseStatus, CourseAction, SessionKind])
def test_every_code_has_its_own_chinese_label(enum: type[LabelledEnum]) -> None:
    assert label_problems(enum) == []


def test_the_eight_teaching_modes() -> None:
    assert len(CourseMode) == 8
    assert CourseMode("video").label == "播放教学光盘"


def test_the_catalogue_covers_the_citizen_school_areas() -> None:
    assert 25 <= len(CourseCategory) <= 32
    assert {"爱国主义教育", "孕期教育", "下岗再就业/转岗就业", "计算机/微机"} <= set(
        CourseCategory.labels().values()
    )


def test_consistent_options_are_accepted() -> None:
    check_course(rules())
    check_course(rules(offer_window_hours=24, min_age=6, max_age=12, has_exam=True, pass_mark=60))
    check_course(rules(min_age=10, max_age=10, has_exam=True, pass_mark=0))


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"waitlist_policy": WaitlistPolicy.MANUAL, "offer_window_hours": 24},
            "offer_window_hours",
            "offer_window_without_auto_promote",
        ),
        ({"min_age": 12, "max_age": 6}, "max_age", "age_range_invalid"),
        ({"has_exam": True}, "pass_mark", "pass_mark_required"),
        ({"pass_mark": 60}, "pass_mark", "pass_mark_without_exam"),
    ],
)
def test_options_that_disagree_are_refused(changes: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_course(rules(**changes))
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_course_runs_under_the_programme_owner_or_below() -> None:
    check_owner_in_programme("org_street", ["org_street"])
    check_owner_in_programme("org_street", ["org_community", "org_street", "org_city"])
    with pytest.raises(DomainError) as refused:
        check_owner_in_programme("org_street", ["org_other", "org_city"])
    assert refused.value.code == "owner_outside_programme"


def test_sessions_end_after_they_start() -> None:
    check_sessions([SessionTimes(START, START + timedelta(hours=2))])
    with pytest.raises(DomainError) as refused:
        check_sessions([SessionTimes(START, START + timedelta(hours=1)), SessionTimes(START, START)])
    assert (refused.value.field, refused.value.code) == ("sessions.1.ends_at", "session_times")


def test_session_times_need_a_time_zone() -> None:
    naive = datetime(2026, 7, 1, 9)
    with pytest.raises(DomainError) as refused:
        check_sessions([SessionTimes(naive, naive + timedelta(hours=1))])
    assert refused.value.code == "timezone_required"


def test_a_course_has_at_most_400_sessions_counting_those_it_has() -> None:
    one = [SessionTimes(START, START + timedelta(hours=1))]
    check_sessions(one, existing=MAX_SESSIONS - 1)
    with pytest.raises(DomainError) as refused:
        check_sessions(one, existing=MAX_SESSIONS)
    assert refused.value.code == "too_many_sessions"


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        (CourseStatus.DRAFT, CourseAction.SCHEDULE, CourseStatus.SCHEDULED),
        (CourseStatus.SCHEDULED, CourseAction.COMPLETE, CourseStatus.COMPLETED),
        (CourseStatus.DRAFT, CourseAction.CANCEL, CourseStatus.CANCELLED),
        (CourseStatus.SCHEDULED, CourseAction.CANCEL, CourseStatus.CANCELLED),
    ],
)
def test_allowed_moves(current: CourseStatus, action: CourseAction, expected: CourseStatus) -> None:
    assert next_status(current, action) is expected


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (CourseStatus.DRAFT, CourseAction.COMPLETE),
        (CourseStatus.SCHEDULED, CourseAction.SCHEDULE),
        (CourseStatus.COMPLETED, CourseAction.CANCEL),
        (CourseStatus.CANCELLED, CourseAction.SCHEDULE),
    ],
)
def test_other_moves_are_invalid_transitions(current: CourseStatus, action: CourseAction) -> None:
    with pytest.raises(InvalidTransition):
        next_status(current, action)


def test_sessions_are_added_only_while_the_course_is_not_over() -> None:
    check_open_for_sessions(CourseStatus.DRAFT)
    check_open_for_sessions(CourseStatus.SCHEDULED)
    for over in (CourseStatus.COMPLETED, CourseStatus.CANCELLED):
        with pytest.raises(InvalidTransition):
            check_open_for_sessions(over)
