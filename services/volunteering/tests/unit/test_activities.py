"""Activities: the life cycle from plan to report, and what makes a shift valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from qingchun_volunteering.domain.activities import (
    MAX_CAPACITY,
    MAX_SHIFT_HOURS,
    ActivityAction,
    ActivityStatus,
    Shift,
    accepts_signups,
    apply_action,
    validate_shift,
)
from qingchun_volunteering.domain.errors import DomainError, InvalidTransition

A = ActivityAction
S = ActivityStatus
# The life cycle, written out independently of the module under test.
TABLE = {
    (S.PLANNED, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.COMPLETE): S.COMPLETED,
    (S.COMPLETED, A.VERIFY): S.VERIFIED,
    (S.VERIFIED, A.REPORT): S.REPORTED,
    (S.PLANNED, A.CANCEL): S.CANCELLED,
    (S.PUBLISHED, A.CANCEL): S.CANCELLED,
}
HAPPY_PATH = [A.PUBLISH, A.START, A.COMPLETE, A.VERIFY, A.REPORT]
TERMINAL = {S.CANCELLED, S.REPORTED}
CST = timezone(timedelta(hours=8))
NINE = datetime(2024, 3, 5, 9, 0, tzinfo=CST)


@pytest.mark.parametrize("status", list(ActivityStatus))
@pytest.mark.parametrize("action", list(ActivityAction))
def test_apply_action_matches_the_table(status: ActivityStatus, action: ActivityAction) -> None:
    if (status, action) in TABLE:
        assert apply_action(status, action) is TABLE[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            apply_action(status, action)
        assert (excinfo.value.code, excinfo.value.field) == ("invalid_transition", "action")
        assert status.label in excinfo.value.message
        assert action.label in excinfo.value.message


def test_happy_path_reaches_reported() -> None:
    status = S.PLANNED
    seen = [status]
    for action in HAPPY_PATH:
        status = apply_action(status, action)
        seen.append(status)
    assert seen == [S.PLANNED, S.PUBLISHED, S.IN_PROGRESS, S.COMPLETED, S.VERIFIED, S.REPORTED]


def test_a_running_activity_cannot_be_cancelled() -> None:
    with pytest.raises(InvalidTransition, match="进行中"):
        apply_action(S.IN_PROGRESS, A.CANCEL)


def test_signups_open_from_publishing_until_the_end() -> None:
    assert {status for status in ActivityStatus if accepts_signups(status)} == {S.PUBLISHED, S.IN_PROGRESS}


@given(st.lists(st.sampled_from(ActivityAction), max_size=40))
def test_random_action_sequences(actions: list[ActivityAction]) -> None:
    status = S.PLANNED
    applied: list[ActivityAction] = []
    for action in actions:
        try:
            after = apply_action(status, action)
        except InvalidTransition:
            assert (status, action) not in TABLE
            continue
        assert status not in TERMINAL, f"{status} must be terminal"
        assert after is TABLE[(status, action)]
        applied.append(action)
        status = after
    if status is S.REPORTED:
        assert applied == HAPPY_PATH
    if status is S.CANCELLED:
        assert applied in ([A.CANCEL], [A.PUBLISH, A.CANCEL])


class ActivityMachine(RuleBasedStateMachine):
    """Random organiser actions: terminal states stay put, and a report rests on the full path."""

    def __init__(self) -> None:
        super().__init__()
        self.status = S.PLANNED
        self.applied: list[ActivityAction] = []
        self.ended: ActivityStatus | None = None

    def _attempt(self, action: ActivityAction) -> None:
        try:
            after = apply_action(self.status, action)
        except InvalidTransition:
            assert (self.status, action) not in TABLE
            return
        assert (self.status, action) in TABLE
        self.applied.append(action)
        self.status = after

    @rule(action=st.sampled_from(ActivityAction))
    def any_action(self, action: ActivityAction) -> None:
        self._attempt(action)

    @precondition(lambda self: self.status not in TERMINAL)
    @rule(data=st.data())
    def a_legal_action(self, data: st.DataObject) -> None:
        """Bias towards legal moves so runs reach the end of the life cycle."""
        legal = sorted(action for (status, action) in TABLE if status is self.status)
        self._attempt(data.draw(st.sampled_from(legal)))

    @invariant()
    def terminal_states_never_change(self) -> None:
        if self.ended is not None:
            assert self.status is self.ended
        if self.status in TERMINAL:
            self.ended = self.status

    @invariant()
    def reported_only_through_the_full_path(self) -> None:
        if self.status is S.REPORTED:
            assert self.applied == HAPPY_PATH

    @invariant()
    def cancelled_only_before_starting(self) -> None:
        if self.status is S.CANCELLED:
            assert A.START not in self.applied
            assert self.applied[-1] is A.CANCEL

    @invariant()
    def status_is_the_replayed_path(self) -> None:
        status = S.PLANNED
        for action in self.applied:
            status = TABLE[(status, action)]
        assert status is self.status


TestActivityMachine = ActivityMachine.TestCase


def shift(starts_at: datetime = NINE, hours: float = 3, **changes: object) -> Shift:
    fields: dict[str, object] = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "capacity": 20,
    }
    fields.update(changes)
    return Shift(**fields)  # type: ignore[arg-type]


def refusal(candidate: Shift) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as excinfo:
        validate_shift(candidate)
    return excinfo.value.code, excinfo.value.field


@pytest.mark.parametrize(
    "candidate",
    [
        shift(),
        shift(hours=MAX_SHIFT_HOURS),
        shift(capacity=1),
        shift(capacity=MAX_CAPACITY),
        shift(min_age=14, max_age=14),
        shift(min_age=0, max_age=120),
        shift(max_age=35),
        shift(min_age=8, family_only=True, required_skills=("急救",)),
        shift(ends_at=datetime(2024, 3, 5, 2, 0, tzinfo=UTC)),
    ],
)
def test_valid_shifts_pass(candidate: Shift) -> None:
    validate_shift(candidate)


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (shift(starts_at=datetime(2024, 3, 5, 9)), ("naive_datetime", "starts_at")),
        (shift(ends_at=datetime(2024, 3, 5, 12)), ("naive_datetime", "starts_at")),
        (shift(hours=0), ("shift_times", "ends_at")),
        (shift(hours=-1), ("shift_times", "ends_at")),
        (shift(ends_at=datetime(2024, 3, 5, 1, 0, tzinfo=UTC)), ("shift_times", "ends_at")),
        (shift(hours=MAX_SHIFT_HOURS + 1 / 3600), ("shift_too_long", "ends_at")),
        (shift(capacity=0), ("capacity_out_of_range", "capacity")),
        (shift(capacity=-5), ("capacity_out_of_range", "capacity")),
        (shift(capacity=MAX_CAPACITY + 1), ("capacity_out_of_range", "capacity")),
        (shift(min_age=-1), ("age_limits_invalid", "min_age")),
        (shift(max_age=121), ("age_limits_invalid", "min_age")),
        (shift(min_age=18, max_age=17), ("age_limits_invalid", "min_age")),
        # Checks run in order: the naive time is reported before the bad capacity.
        (shift(starts_at=datetime(2024, 3, 5, 9), capacity=0), ("naive_datetime", "starts_at")),
        (shift(hours=-1, capacity=0, min_age=-1), ("shift_times", "ends_at")),
    ],
)
def test_invalid_shifts_name_their_field(candidate: Shift, expected: tuple[str, str]) -> None:
    assert refusal(candidate) == expected


def test_shift_length_is_measured_in_real_hours_across_dst() -> None:
    london = ZoneInfo("Europe/London")
    # Clocks go back on 27 Oct 2024: midnight to midnight is 24 wall-clock hours but 25 real ones.
    autumn = Shift(datetime(2024, 10, 27, 0, tzinfo=london), datetime(2024, 10, 28, 0, tzinfo=london), 5)
    assert refusal(autumn) == ("shift_too_long", "ends_at")
    # Clocks go forward on 31 Mar 2024: 24.5 wall-clock hours are only 23.5 real ones.
    spring = Shift(datetime(2024, 3, 31, 0, tzinfo=london), datetime(2024, 4, 1, 0, 30, tzinfo=london), 5)
    validate_shift(spring)


ages = st.none() | st.integers(-5, 130)
offsets = st.sampled_from([UTC, CST, timezone(timedelta(hours=-5))])


@given(
    start_offset=offsets,
    end_offset=offsets,
    minutes=st.integers(-120, (MAX_SHIFT_HOURS + 2) * 60),
    capacity=st.integers(-2, MAX_CAPACITY + 2),
    min_age=ages,
    max_age=ages,
)
def test_validation_accepts_exactly_the_sensible_shifts(
    start_offset: timezone,
    end_offset: timezone,
    minutes: int,
    capacity: int,
    min_age: int | None,
    max_age: int | None,
) -> None:
    starts_at = NINE.astimezone(start_offset)
    ends_at = (NINE + timedelta(minutes=minutes)).astimezone(end_offset)
    candidate = Shift(starts_at, ends_at, capacity, min_age, max_age)
    sensible = (
        0 < minutes <= MAX_SHIFT_HOURS * 60
        and 1 <= capacity <= MAX_CAPACITY
        and all(age is None or 0 <= age <= 120 for age in (min_age, max_age))
        and (min_age is None or max_age is None or min_age <= max_age)
    )
    if sensible:
        validate_shift(candidate)
    else:
        code, _ = refusal(candidate)
        assert code in {"shift_times", "shift_too_long", "capacity_out_of_range", "age_limits_invalid"}
