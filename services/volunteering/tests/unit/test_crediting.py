"""Hour-crediting rules: each rule set on a table of durations, then the properties every valid
rule set must keep (never negative, never over the daily cap, monotone, zero below the minimum)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qingchun_volunteering.domain.crediting import (
    PLATFORM_DEFAULT,
    Band,
    Rounding,
    RuleSet,
    check_within_cap,
    credit,
    session_credit,
)
from qingchun_volunteering.domain.errors import DomainError

R = Rounding
HALF_HOURS_DOWN = PLATFORM_DEFAULT
QUARTERS_THEN_HALVES = RuleSet(
    min_minutes=15,
    bands=(Band(0, 15, R.DOWN), Band(120, 30, R.DOWN)),
    daily_cap_minutes=600,
)
NEAREST_HOUR_MAX_FOUR = RuleSet(
    min_minutes=20,
    bands=(Band(0, 60, R.NEAREST),),
    daily_cap_minutes=480,
    session_max_minutes=240,
)
GENEROUS_UP = RuleSet(min_minutes=0, bands=(Band(0, 30, R.UP),), daily_cap_minutes=120)
EXACT = RuleSet(min_minutes=1, bands=(Band(0, 1),), daily_cap_minutes=1440)


@pytest.mark.parametrize(
    ("rules", "raw", "today", "expected"),
    [
        # platform default: nothing under 30 min, half hours down, 8 h a day
        (HALF_HOURS_DOWN, 0, 0, 0),
        (HALF_HOURS_DOWN, 29, 0, 0),
        (HALF_HOURS_DOWN, 30, 0, 30),
        (HALF_HOURS_DOWN, 59, 0, 30),
        (HALF_HOURS_DOWN, 181, 0, 180),
        (HALF_HOURS_DOWN, 600, 0, 480),
        (HALF_HOURS_DOWN, 180, 400, 80),  # clipped to what the day leaves
        (HALF_HOURS_DOWN, 180, 480, 0),
        (HALF_HOURS_DOWN, 180, 500, 0),  # already over (rules changed): never negative
        # quarter hours up to two hours, then half hours
        (QUARTERS_THEN_HALVES, 14, 0, 0),
        (QUARTERS_THEN_HALVES, 15, 0, 15),
        (QUARTERS_THEN_HALVES, 119, 0, 105),
        (QUARTERS_THEN_HALVES, 120, 0, 120),
        (QUARTERS_THEN_HALVES, 149, 0, 120),
        (QUARTERS_THEN_HALVES, 150, 0, 150),
        # nearest hour, at most four per session
        (NEAREST_HOUR_MAX_FOUR, 19, 0, 0),
        (NEAREST_HOUR_MAX_FOUR, 20, 0, 0),
        (NEAREST_HOUR_MAX_FOUR, 29, 0, 0),
        (NEAREST_HOUR_MAX_FOUR, 30, 0, 60),
        (NEAREST_HOUR_MAX_FOUR, 89, 0, 60),
        (NEAREST_HOUR_MAX_FOUR, 90, 0, 120),
        (NEAREST_HOUR_MAX_FOUR, 400, 0, 240),
        (NEAREST_HOUR_MAX_FOUR, 400, 300, 180),
        # half hours up, small cap
        (GENEROUS_UP, 0, 0, 0),
        (GENEROUS_UP, 1, 0, 30),
        (GENEROUS_UP, 31, 0, 60),
        (GENEROUS_UP, 100, 0, 120),
        (GENEROUS_UP, 61, 90, 30),
        # to the minute
        (EXACT, 0, 0, 0),
        (EXACT, 1, 0, 1),
        (EXACT, 1439, 1, 1439),
    ],
)
def test_rule_sets(rules: RuleSet, raw: int, today: int, expected: int) -> None:
    rules.validate()
    assert credit(rules, raw, today) == expected


def error_of(rules: RuleSet) -> tuple[str, str | None] | None:
    try:
        rules.validate()
    except DomainError as error:
        return error.code, error.field
    return None


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (RuleSet(30, (Band(0, 30),), 0), ("daily_cap_invalid", "daily_cap_minutes")),
        (RuleSet(30, (Band(0, 30),), 1441), ("daily_cap_invalid", "daily_cap_minutes")),
        (RuleSet(-1, (Band(0, 30),), 480), ("min_minutes_invalid", "min_minutes")),
        (RuleSet(30, (Band(0, 30),), 480, 500), ("session_max_invalid", "session_max_minutes")),
        (RuleSet(30, (Band(0, 30),), 480, 0), ("session_max_invalid", "session_max_minutes")),
        (RuleSet(30, (), 480), ("bands_invalid", "bands")),
        (RuleSet(30, (Band(10, 10),), 480), ("bands_invalid", "bands.0.from_minutes")),
        (RuleSet(30, (Band(0, 0),), 480), ("bands_invalid", "bands.0.unit_minutes")),
        (
            RuleSet(30, (Band(0, 15), Band(60, 30), Band(60, 60)), 480),
            ("bands_unordered", "bands.2.from_minutes"),
        ),
        (
            RuleSet(30, (Band(0, 15), Band(120, 30), Band(90, 30)), 480),
            ("bands_unordered", "bands.2.from_minutes"),
        ),
        (RuleSet(30, (Band(0, 15), Band(100, 20)), 480), ("bands_misaligned", "bands.1.from_minutes")),
        (RuleSet(30, (Band(0, 45), Band(60, 30)), 480), ("bands_misaligned", "bands.1.from_minutes")),
        (RuleSet(30, (Band(0, 15), Band(60, 30)), 480), None),
    ],
)
def test_invalid_rule_sets_are_refused_with_the_field(
    rules: RuleSet, expected: tuple[str, str] | None
) -> None:
    assert error_of(rules) == expected


def test_claims_over_the_cap_are_refused_not_clipped() -> None:
    check_within_cap(HALF_HOURS_DOWN, 80, 400)
    with pytest.raises(DomainError) as refused:
        check_within_cap(HALF_HOURS_DOWN, 81, 400)
    assert (refused.value.code, refused.value.field) == ("daily_cap_exceeded", "minutes")


UNITS = st.sampled_from([1, 5, 10, 15, 20, 30, 45, 60, 90, 120])


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """Valid rule sets: bands start at multiples of their own unit and the previous one's."""
    units = draw(st.lists(UNITS, min_size=1, max_size=4))
    bands = [Band(0, units[0], draw(st.sampled_from(list(Rounding))))]
    for unit in units[1:]:
        step = math.lcm(unit, bands[-1].unit_minutes)
        start = (bands[-1].from_minutes // step + draw(st.integers(min_value=1, max_value=3))) * step
        if start > 1440:
            break
        bands.append(Band(start, unit, draw(st.sampled_from(list(Rounding)))))
    cap = draw(st.integers(min_value=1, max_value=1440))
    session_max = draw(st.none() | st.integers(min_value=1, max_value=cap))
    rules = RuleSet(draw(st.integers(min_value=0, max_value=240)), tuple(bands), cap, session_max)
    rules.validate()
    return rules


RAW = st.integers(min_value=0, max_value=1500)
TODAY = st.integers(min_value=0, max_value=1600)


@given(rule_sets(), RAW, TODAY)
def test_never_negative_and_never_over_the_daily_cap(rules: RuleSet, raw: int, today: int) -> None:
    credited = credit(rules, raw, today)
    assert credited >= 0
    assert today + credited <= max(today, rules.daily_cap_minutes)


@given(rule_sets(), RAW, RAW, TODAY)
def test_staying_longer_never_credits_less(rules: RuleSet, a: int, b: int, today: int) -> None:
    low, high = sorted((a, b))
    assert credit(rules, low, today) <= credit(rules, high, today)


@given(rule_sets(), st.floats(min_value=0, max_value=1, exclude_max=True))
def test_nothing_below_the_minimum(rules: RuleSet, fraction: float) -> None:
    raw = int(rules.min_minutes * fraction)
    assert raw < rules.min_minutes or rules.min_minutes == 0
    assert session_credit(rules, raw) == 0


@given(rule_sets(), RAW, TODAY)
def test_a_session_never_exceeds_its_maximum(rules: RuleSet, raw: int, today: int) -> None:
    assume(rules.session_max_minutes is not None)
    assert credit(rules, raw, today) <= (rules.session_max_minutes or 0)


@given(rule_sets(), st.lists(RAW, max_size=8))
def test_a_day_of_sessions_never_exceeds_the_cap(rules: RuleSet, sessions: list[int]) -> None:
    today = 0
    for raw in sessions:
        today += credit(rules, raw, today)
    assert today <= rules.daily_cap_minutes
