"""Hour entries: minutes within the shift, the local day, 补录 dates, who may certify."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qingchun_volunteering.domain.errors import DomainError, InvalidTransition
from qingchun_volunteering.domain.hours import (
    RETROACTIVE_MAX_DAYS,
    EntryMethod,
    EntryStatus,
    approval_refusal,
    check_decidable,
    check_retroactive_date,
    local_day,
    served_minutes,
)

START = datetime(2024, 7, 13, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
END = START + timedelta(hours=3)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("checked_in", "checked_out", "minutes"),
    [
        (START, END, 180),
        (START - 30 * M, END + 30 * M, 180),  # early arrival and late stay are not the shift's
        (START + 10 * M, START + 70 * M, 60),
        (START + 10 * M, START + 10 * M + timedelta(seconds=59), 0),  # whole minutes only
        (START + 70 * M, START + 10 * M, 0),  # never negative
        (END + M, END + 60 * M, 0),
    ],
)
def test_served_minutes_count_within_the_shift(
    checked_in: datetime, checked_out: datetime, minutes: int
) -> None:
    assert served_minutes(checked_in, checked_out, START, END) == minutes


def test_the_local_day_decides_the_date() -> None:
    late_evening_utc = datetime(2024, 7, 13, 17, 0, tzinfo=UTC)
    assert local_day(late_evening_utc, ZoneInfo("Asia/Shanghai")) == date(2024, 7, 14)
    assert local_day(late_evening_utc, UTC) == date(2024, 7, 13)


TODAY = date(2024, 7, 13)


@pytest.mark.parametrize(
    ("served_on", "expected"),
    [
        (TODAY, None),
        (TODAY - timedelta(days=RETROACTIVE_MAX_DAYS), None),
        (TODAY + timedelta(days=1), "served_on_in_future"),
        (TODAY - timedelta(days=RETROACTIVE_MAX_DAYS + 1), "served_on_too_old"),
    ],
)
def test_retroactive_dates(served_on: date, expected: str | None) -> None:
    if expected is None:
        check_retroactive_date(served_on, TODAY)
        return
    with pytest.raises(DomainError) as refused:
        check_retroactive_date(served_on, TODAY)
    assert (refused.value.code, refused.value.field) == (expected, "served_on")


V, G, O1, O2 = "volunteer", "guardian", "organiser-1", "organiser-2"


@pytest.mark.parametrize(
    ("approver", "method", "requested_by", "expected"),
    [
        (O1, EntryMethod.CODE, None, None),
        (V, EntryMethod.CODE, None, "own_hours"),
        (G, EntryMethod.ORGANIZER, None, "own_hours"),  # a guardian certifies no child's hours
        (O2, EntryMethod.RETROACTIVE, O1, None),
        (O1, EntryMethod.RETROACTIVE, O1, "second_approver_required"),
        (O1, EntryMethod.RETROACTIVE, V, None),
        (V, EntryMethod.RETROACTIVE, V, "own_hours"),
    ],
)
def test_who_may_certify(
    approver: str, method: EntryMethod, requested_by: str | None, expected: str | None
) -> None:
    assert approval_refusal(approver, frozenset({V, G}), method, requested_by) == expected


@pytest.mark.parametrize("status", list(EntryStatus))
def test_only_pending_entries_are_decided(status: EntryStatus) -> None:
    if status is EntryStatus.PENDING:
        check_decidable(status)
    else:
        with pytest.raises(InvalidTransition):
            check_decidable(status)
