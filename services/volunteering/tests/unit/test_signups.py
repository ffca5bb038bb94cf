"""Sign-ups: eligibility, clashes, where each status stands, and answering an offer.

The waitlist rules themselves (placement, promotion, offers lapsing) are tested with them in
``plumbing/tests/test_waitlist.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_plumbing.waitlist import Seat
from qingchun_volunteering.domain.activities import Shift
from qingchun_volunteering.domain.errors import DomainError, InvalidTransition
from qingchun_volunteering.domain.signups import (
    PENDING,
    SignupStatus,
    check_cancellable,
    check_eligibility,
    check_no_overlap,
    check_offered,
    offer_lapsed,
    overlaps,
    seat_of,
)
from qingchun_volunteering.domain.volunteers import AgeBand

B = AgeBand
P = SignupStatus
CST = timezone(timedelta(hours=8))
NINE = datetime(2024, 7, 13, 9, 0, tzinfo=CST)
OPEN = Shift(NINE, NINE + timedelta(hours=3), capacity=10)
FAMILY = replace(OPEN, family_only=True)
TEENS = replace(OPEN, min_age=12, max_age=17)


def eligibility_error(
    band: AgeBand, age: int, shift: Shift, has_consent: bool, guardian_present: bool
) -> tuple[str, str | None] | None:
    try:
        check_eligibility(band, age, shift, has_consent, guardian_present)
    except DomainError as error:
        return error.code, error.field
    return None


@pytest.mark.parametrize(
    ("band", "age", "shift", "consent", "guardian", "expected"),
    [
        (B.ADULT, 30, OPEN, False, False, None),
        (B.MINOR, 15, OPEN, True, False, None),
        (B.MINOR, 15, OPEN, False, True, ("consent_required", "volunteer_id")),
        (B.CHILD, 9, FAMILY, True, True, None),
        (B.CHILD, 9, FAMILY, True, False, ("guardian_required", "guardian_present")),
        (B.CHILD, 9, OPEN, True, True, ("guardian_required", "guardian_present")),
        (B.CHILD, 9, FAMILY, False, True, ("consent_required", "volunteer_id")),
        (B.MINOR, 12, TEENS, True, False, None),
        (B.MINOR, 17, TEENS, True, False, None),
        (B.CHILD, 11, TEENS, True, True, ("age_below_minimum", "shift_id")),
        (B.ADULT, 18, TEENS, False, False, ("age_above_maximum", "shift_id")),
        # Order: age limits come before the guardian, the guardian before consent.
        (B.CHILD, 5, replace(FAMILY, min_age=6), False, False, ("age_below_minimum", "shift_id")),
        (B.CHILD, 9, OPEN, False, False, ("guardian_required", "guardian_present")),
    ],
)
def test_eligibility_examples(
    band: AgeBand,
    age: int,
    shift: Shift,
    consent: bool,
    guardian: bool,
    expected: tuple[str, str] | None,
) -> None:
    assert eligibility_error(band, age, shift, consent, guardian) == expected


def test_eligibility_messages_state_the_limit() -> None:
    with pytest.raises(DomainError, match="12"):
        check_eligibility(B.CHILD, 11, TEENS, True, True)
    with pytest.raises(DomainError, match="17"):
        check_eligibility(B.ADULT, 18, TEENS, True, True)


limits = st.none() | st.integers(0, 30)


@given(
    band=st.sampled_from(AgeBand),
    age=st.integers(0, 40),
    min_age=limits,
    max_age=limits,
    family_only=st.booleans(),
    consent=st.booleans(),
    guardian=st.booleans(),
)
def test_eligibility_reports_the_first_broken_rule(
    band: AgeBand,
    age: int,
    min_age: int | None,
    max_age: int | None,
    family_only: bool,
    consent: bool,
    guardian: bool,
) -> None:
    shift = replace(OPEN, min_age=min_age, max_age=max_age, family_only=family_only)
    rules = [
        (min_age is not None and age < min_age, ("age_below_minimum", "shift_id")),
        (max_age is not None and age > max_age, ("age_above_maximum", "shift_id")),
        (band is B.CHILD and not (family_only and guardian), ("guardian_required", "guardian_present")),
        (band is not B.ADULT and not consent, ("consent_required", "volunteer_id")),
    ]
    expected = next((outcome for broken, outcome in rules if broken), None)
    assert eligibility_error(band, age, shift, consent, guardian) == expected


def at(hour: int) -> datetime:
    return NINE.replace(hour=hour)


def test_overlap_is_half_open() -> None:
    assert overlaps(at(9), at(12), at(11), at(13))
    assert overlaps(at(9), at(12), at(10), at(11))
    assert not overlaps(at(9), at(12), at(12), at(14))
    assert not overlaps(at(12), at(14), at(9), at(12))
    assert not overlaps(at(9), at(10), at(11), at(12))


def test_overlap_compares_instants_across_offsets() -> None:
    utc_one = datetime(2024, 7, 13, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    assert overlaps(at(9), at(10), utc_one, utc_one + timedelta(minutes=30))
    assert not overlaps(at(10), at(11), utc_one, utc_one + timedelta(hours=1))


intervals = st.tuples(st.integers(0, 48), st.integers(1, 12)).map(
    lambda p: (NINE + timedelta(minutes=30 * p[0]), NINE + timedelta(minutes=30 * (p[0] + p[1])))
)


@given(a=intervals, b=intervals)
def test_overlap_is_symmetric_and_means_a_shared_instant(
    a: tuple[datetime, datetime], b: tuple[datetime, datetime]
) -> None:
    result = overlaps(*a, *b)
    assert result == overlaps(*b, *a)
    assert overlaps(*a, *a)
    shared = max(a[0], b[0]) < min(a[1], b[1])
    assert result == shared


def test_check_no_overlap() -> None:
    check_no_overlap(at(9), at(12), [])
    check_no_overlap(at(9), at(12), [(at(7), at(9)), (at(12), at(15))])
    with pytest.raises(DomainError) as excinfo:
        check_no_overlap(at(9), at(12), [(at(7), at(9)), (at(11), at(13))])
    assert (excinfo.value.code, excinfo.value.field) == ("shift_overlap", "shift_id")
    assert at(11).isoformat() in excinfo.value.message


@given(new=intervals, taken=st.lists(intervals, max_size=6))
def test_check_no_overlap_refuses_exactly_a_clash(
    new: tuple[datetime, datetime], taken: list[tuple[datetime, datetime]]
) -> None:
    clash = any(overlaps(*new, *other) for other in taken)
    if clash:
        with pytest.raises(DomainError, match="时间冲突"):
            check_no_overlap(*new, taken)
    else:
        check_no_overlap(*new, taken)


def test_every_status_has_a_seat_and_only_pending_ones_hold_or_wait() -> None:
    assert {status: seat_of(status) for status in SignupStatus} == {
        P.CONFIRMED: Seat.HOLDING,
        P.ATTENDED: Seat.HOLDING,
        P.OFFERED: Seat.OFFERED,
        P.WAITLISTED: Seat.WAITING,
        P.CANCELLED: Seat.OUT,
        P.NO_SHOW: Seat.OUT,
    }
    assert {s for s in SignupStatus if seat_of(s) is not Seat.OUT} - PENDING == {P.ATTENDED}


@pytest.mark.parametrize("status", list(SignupStatus))
def test_only_pending_signups_can_be_cancelled(status: SignupStatus) -> None:
    if status in (P.CONFIRMED, P.WAITLISTED, P.OFFERED):  # declining an offer is cancelling it
        check_cancellable(status)
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            check_cancellable(status)
        assert (excinfo.value.code, excinfo.value.field) == ("invalid_transition", "status")
        assert status.label in excinfo.value.message


DEADLINE = NINE - timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "expires", "lapsed_at", "now", "expected"),
    [
        (P.OFFERED, DEADLINE, None, DEADLINE - timedelta(seconds=1), False),
        (P.OFFERED, DEADLINE, None, DEADLINE, True),  # the deadline itself is too late
        (P.OFFERED, DEADLINE, None, DEADLINE + timedelta(hours=1), True),
        (P.CANCELLED, None, DEADLINE, DEADLINE - timedelta(hours=1), True),  # the job already handed it on
        (P.CANCELLED, None, None, DEADLINE, False),
        (P.CONFIRMED, None, None, DEADLINE, False),
    ],
)
def test_offer_lapsed(
    status: SignupStatus, expires: datetime | None, lapsed_at: datetime | None, now: datetime, expected: bool
) -> None:
    assert offer_lapsed(status, expires, lapsed_at, now) is expected


@pytest.mark.parametrize("status", list(SignupStatus))
def test_only_an_offer_can_be_answered(status: SignupStatus) -> None:
    if status is P.OFFERED:
        check_offered(status)
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            check_offered(status)
        assert (excinfo.value.code, excinfo.value.field) == ("invalid_transition", "status")
