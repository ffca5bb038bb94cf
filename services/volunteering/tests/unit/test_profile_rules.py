"""Availability windows (服务时间) and star levels: the profile facts matching and recognition rely on."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.errors import DomainError
from qingchun_volunteering.domain.stars import (
    StarLevel,
    levels_reached,
    star_label,
    star_level,
)
from qingchun_volunteering.domain.volunteers import Availability, check_availability

EVENING = Availability(3, time(19), time(21))


def test_real_distinct_windows_pass() -> None:
    check_availability([EVENING, Availability(6, time(8), time(12)), Availability(3, time(8), time(9))])


@pytest.mark.parametrize(
    ("windows", "code", "field"),
    [
        ([Availability(0, time(8), time(9))], "weekday_invalid", "availability.0"),
        ([EVENING, Availability(8, time(8), time(9))], "weekday_invalid", "availability.1"),
        ([Availability(1, time(9), time(9))], "availability_times", "availability.0.ends"),
        ([Availability(1, time(10), time(9))], "availability_times", "availability.0.ends"),
        ([EVENING, EVENING], "availability_repeated", "availability.1"),
    ],
)
def test_bad_windows_are_named(windows: list[Availability], code: str, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_availability(windows)
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        (0, 0),
        (99, 0),
        (100, 1),
        (299, 1),
        (300, 2),
        (600, 3),
        (999, 3),
        (1000, 4),
        (1499, 4),
        (1500, 5),
        (9000, 5),
    ],
)
def test_star_thresholds_are_the_national_ones(hours: int, level: int) -> None:
    assert star_level(hours * 60) == level


def test_one_minute_short_is_not_a_star() -> None:
    assert star_level(100 * 60 - 1) == 0


def test_a_big_entry_can_cross_several_levels() -> None:
    assert levels_reached(99 * 60, 650 * 60) == [1, 2, 3]
    assert levels_reached(650 * 60, 650 * 60 + 1) == []


@given(st.integers(0, 200_000), st.integers(0, 200_000))
def test_levels_reached_are_exactly_the_levels_between(before: int, added: int) -> None:
    reached = levels_reached(before, before + added)
    assert reached == list(range(star_level(before) + 1, star_level(before + added) + 1))
    assert all(1 <= level <= 5 for level in reached)


def test_star_labels_follow_the_levels() -> None:
    assert [star_label(level) for level in range(6)] == list(StarLevel)
    assert star_label(3).label == "三星级志愿者"
