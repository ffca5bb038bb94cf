"""Rotating check-in codes: valid now and one window back, expired, for another shift, forged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.checkin_codes import (
    check_checkin_open,
    current_code,
    opening_window,
    verify_code,
    window_of,
)
from qingchun_volunteering.domain.errors import DomainError

SECRET = b"test-secret"
PERIOD = 60
NOW = datetime(2024, 7, 13, 9, 30, 15, tzinfo=UTC)
SHIFT = "sft_000000000000000000000001"
OTHER = "sft_000000000000000000000002"
OLDEST = window_of(NOW - timedelta(hours=3), PERIOD)


def outcome(given_code: str, now: datetime = NOW, secret: bytes = SECRET) -> str:
    """ "ok", or the refusal's code and field."""
    try:
        verify_code(secret, SHIFT, given_code, now, PERIOD, OLDEST)
    except DomainError as error:
        return error.code if error.field == "code" else f"{error.code} on {error.field}"
    return "ok"


def code_at(moment: datetime, shift: str = SHIFT) -> tuple[str, str]:
    shown = current_code(SECRET, shift, moment, PERIOD)
    return shown.qr_text, shown.code


@pytest.mark.parametrize("form", [0, 1], ids=["qr", "digits"])
@pytest.mark.parametrize(
    ("shown_at", "expected"),
    [
        (NOW, "ok"),
        (NOW - timedelta(seconds=PERIOD), "ok"),  # the previous window is grace
        (NOW - timedelta(seconds=2 * PERIOD), "checkin_code_expired"),
        (NOW - timedelta(hours=1), "checkin_code_expired"),
    ],
)
def test_codes_by_age(form: int, shown_at: datetime, expected: str) -> None:
    assert outcome(code_at(shown_at)[form]) == expected


def test_a_qr_code_of_another_shift_is_named_as_such() -> None:
    assert outcome(code_at(NOW, OTHER)[0]) == "checkin_code_other_shift"


@pytest.mark.parametrize(
    "given_code",
    [
        "",
        "12345",
        "abcdef",
        "1234567",
        f"QC1:{SHIFT}:notanumber:00",
        f"QC1:{SHIFT}:{window_of(NOW, PERIOD)}:{'0' * 32}",
        f"QC1:{SHIFT}:{window_of(NOW, PERIOD)}",
        f"QC1:{OTHER}:{window_of(NOW, PERIOD)}:{'f' * 32}",  # a forged other-shift code is just invalid
    ],
)
def test_malformed_or_forged_codes_are_invalid(given_code: str) -> None:
    assert outcome(given_code) == "checkin_code_invalid"


def test_a_future_window_is_invalid_not_early() -> None:
    assert outcome(code_at(NOW + timedelta(seconds=2 * PERIOD))[0]) == "checkin_code_invalid"


def test_codes_made_with_another_secret_are_invalid() -> None:
    qr, _ = code_at(NOW)
    assert outcome(qr, secret=b"another-secret") == "checkin_code_invalid"


def test_the_code_rotates_each_period_and_says_until_when() -> None:
    first = current_code(SECRET, SHIFT, NOW, PERIOD)
    later = current_code(SECRET, SHIFT, NOW + timedelta(seconds=PERIOD), PERIOD)
    assert first.qr_text != later.qr_text
    assert first.window + 1 == later.window
    assert first.valid_until == datetime(2024, 7, 13, 9, 31, tzinfo=UTC)
    assert len(first.code) == 6
    assert first.code.isdigit()


@given(st.integers(min_value=0, max_value=10**6), st.text(min_size=1, max_size=30))
def test_the_current_code_always_verifies(seconds: int, shift: str) -> None:
    moment = NOW + timedelta(seconds=seconds)
    shown = current_code(SECRET, shift, moment, PERIOD)
    assert verify_code(SECRET, shift, shown.qr_text, moment, PERIOD, shown.window) == shown.window
    assert verify_code(SECRET, shift, shown.code, moment, PERIOD, shown.window) == shown.window


START = datetime(2024, 7, 13, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=3)


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (START - timedelta(minutes=31), False),
        (START - timedelta(minutes=30), True),
        (START + timedelta(hours=1), True),
        (END, True),
        (END + timedelta(seconds=1), False),
    ],
)
def test_checkin_opens_half_an_hour_early_and_closes_at_the_end(now: datetime, open_: bool) -> None:
    if open_:
        check_checkin_open(START, END, now)
        return
    with pytest.raises(DomainError) as refused:
        check_checkin_open(START, END, now)
    assert refused.value.code == "checkin_closed"


def test_the_opening_window_is_half_an_hour_before_the_start() -> None:
    assert opening_window(START, PERIOD) == window_of(START, PERIOD) - 30
