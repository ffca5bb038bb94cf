"""Sign-ups: eligibility, clashes, placement and promotion from the waitlist."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from qingchun_volunteering.domain.activities import Shift, WaitlistPolicy
from qingchun_volunteering.domain.errors import DomainError, InvalidTransition
from qingchun_volunteering.domain.signups import (
    Entry,
    SignupStatus,
    check_cancellable,
    check_eligibility,
    check_no_overlap,
    overlaps,
    placement,
    promotions,
)
from qingchun_volunteering.domain.volunteers import AgeBand

B = AgeBand
P = SignupStatus
CST = timezone(timedelta(hours=8))
NINE = datetime(2024, 7, 13, 9, 0, tzinfo=CST)
OPEN = Shift(NINE, NINE + timedelta(hours=3), capacity=10)
FAMILY = replace(OPEN, family_only=True)
TEENS = replace(OPEN, min_age=12, max_age=17)
HOLDS_A_PLACE = {P.CONFIRMED, P.ATTENDED}


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


@given(confirmed=st.integers(0, 50), capacity=st.integers(1, 50))
def test_placement_confirms_while_places_are_free(confirmed: int, capacity: int) -> None:
    expected = P.CONFIRMED if confirmed < capacity else P.WAITLISTED
    assert placement(confirmed, capacity) is expected


def entries(*statuses: SignupStatus) -> list[Entry]:
    return [Entry(f"v{i}", status, i) for i, status in enumerate(statuses)]


def test_auto_promote_takes_the_earliest_arrivals_not_list_order() -> None:
    shift_entries = [
        Entry("late", P.WAITLISTED, 9),
        Entry("early", P.WAITLISTED, 4),
        Entry("held", P.CONFIRMED, 1),
        Entry("middle", P.WAITLISTED, 6),
        Entry("gone", P.CANCELLED, 2),
    ]
    assert promotions(shift_entries, 3, WaitlistPolicy.AUTO_PROMOTE) == ["early", "middle"]
    assert promotions(shift_entries, 10, WaitlistPolicy.AUTO_PROMOTE) == ["early", "middle", "late"]
    assert promotions(shift_entries, 1, WaitlistPolicy.AUTO_PROMOTE) == []


def test_attended_holds_a_place_but_no_show_and_cancelled_do_not() -> None:
    shift_entries = entries(P.ATTENDED, P.CONFIRMED, P.NO_SHOW, P.CANCELLED, P.WAITLISTED, P.WAITLISTED)
    assert promotions(shift_entries, 3, WaitlistPolicy.AUTO_PROMOTE) == ["v4"]


def test_an_over_full_shift_promotes_nobody() -> None:
    shift_entries = entries(P.CONFIRMED, P.CONFIRMED, P.CONFIRMED, P.WAITLISTED)
    assert promotions(shift_entries, 2, WaitlistPolicy.AUTO_PROMOTE) == []


@pytest.mark.parametrize("policy", [WaitlistPolicy.NOTIFY_ALL, WaitlistPolicy.MANUAL])
def test_only_auto_promote_moves_anyone(policy: WaitlistPolicy) -> None:
    assert promotions(entries(P.WAITLISTED, P.WAITLISTED), 5, policy) == []


statuses = st.lists(st.sampled_from(SignupStatus), max_size=20)
# Positions are a shuffled order of arrival, so list order never lines up with the queue by accident.
shift_states = statuses.flatmap(
    lambda ss: st.permutations(range(len(ss))).map(
        lambda order: [Entry(f"v{i}", s, 3 * p) for i, (s, p) in enumerate(zip(ss, order, strict=True))]
    )
)


@given(shift_entries=shift_states, capacity=st.integers(1, 12))
def test_promotions_fill_free_places_in_arrival_order(shift_entries: list[Entry], capacity: int) -> None:
    promoted = promotions(shift_entries, capacity, WaitlistPolicy.AUTO_PROMOTE)
    held = sum(1 for e in shift_entries if e.status in HOLDS_A_PLACE)
    waiting = sorted((e for e in shift_entries if e.status is P.WAITLISTED), key=lambda e: e.position)
    assert promoted == [e.volunteer_id for e in waiting][: max(capacity - held, 0)]
    assert held + len(promoted) <= max(capacity, held)
    if len(promoted) < len(waiting):
        assert held + len(promoted) >= capacity


@pytest.mark.parametrize("status", list(SignupStatus))
def test_only_pending_signups_can_be_cancelled(status: SignupStatus) -> None:
    if status in (P.CONFIRMED, P.WAITLISTED):
        check_cancellable(status)
    else:
        with pytest.raises(InvalidTransition) as excinfo:
            check_cancellable(status)
        assert (excinfo.value.code, excinfo.value.field) == ("invalid_transition", "status")
        assert status.label in excinfo.value.message


class Roster:
    """A minimal in-test shift roster built only from ``placement`` and ``promotions``."""

    def __init__(self, capacity: int, policy: WaitlistPolicy) -> None:
        self.capacity = capacity
        self.policy = policy
        self.entries: list[Entry] = []

    def held(self) -> int:
        return sum(1 for e in self.entries if e.status in HOLDS_A_PLACE)

    def sign_up(self) -> Entry:
        entry = Entry(f"v{len(self.entries)}", placement(self.held(), self.capacity), len(self.entries))
        self.entries.append(entry)
        return entry

    def set_status(self, volunteer_id: str, status: SignupStatus) -> None:
        self.entries = [
            replace(e, status=status) if e.volunteer_id == volunteer_id else e for e in self.entries
        ]

    def cancel(self, index: int) -> list[str]:
        entry = self.entries[index]
        check_cancellable(entry.status)
        self.set_status(entry.volunteer_id, P.CANCELLED)
        promoted = promotions(self.entries, self.capacity, self.policy)
        for volunteer_id in promoted:
            self.set_status(volunteer_id, P.CONFIRMED)
        return promoted


class RosterMachine(RuleBasedStateMachine):
    """Random sign-ups, cancellations and check-ins never overfill a shift or skip the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.roster = Roster(1, WaitlistPolicy.AUTO_PROMOTE)
        self.first_placed: dict[str, SignupStatus] = {}
        self.promoted: set[str] = set()

    @initialize(capacity=st.integers(1, 5), policy=st.sampled_from(WaitlistPolicy))
    def open_shift(self, capacity: int, policy: WaitlistPolicy) -> None:
        self.roster = Roster(capacity, policy)

    @rule()
    def sign_up(self) -> None:
        held_before = self.roster.held()
        entry = self.roster.sign_up()
        self.first_placed[entry.volunteer_id] = entry.status
        assert (entry.status is P.CONFIRMED) == (held_before < self.roster.capacity)

    @precondition(lambda self: self.roster.entries)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.roster.entries) - 1))
        before = self.roster.entries[index].status
        held_before = self.roster.held()
        try:
            promoted = self.roster.cancel(index)
        except InvalidTransition:
            assert before not in (P.CONFIRMED, P.WAITLISTED)
            return
        assert before in (P.CONFIRMED, P.WAITLISTED)
        if self.roster.policy is not WaitlistPolicy.AUTO_PROMOTE:
            assert promoted == []
        if before is P.WAITLISTED:
            assert self.roster.held() == held_before
        self.promoted.update(promoted)

    @precondition(lambda self: any(e.status is P.CONFIRMED for e in self.roster.entries))
    @rule(data=st.data())
    def check_in(self, data: st.DataObject) -> None:
        confirmed = [e.volunteer_id for e in self.roster.entries if e.status is P.CONFIRMED]
        self.roster.set_status(data.draw(st.sampled_from(confirmed)), P.ATTENDED)

    @invariant()
    def never_over_capacity(self) -> None:
        assert self.roster.held() <= self.roster.capacity

    @invariant()
    def waitlist_only_when_full(self) -> None:
        if self.roster.policy is WaitlistPolicy.AUTO_PROMOTE and any(
            e.status is P.WAITLISTED for e in self.roster.entries
        ):
            assert self.roster.held() == self.roster.capacity

    @invariant()
    def nobody_jumps_the_queue(self) -> None:
        """Under auto-promotion everyone holding a place arrived before everyone still waiting."""
        if self.roster.policy is not WaitlistPolicy.AUTO_PROMOTE:
            return
        holding = [e.position for e in self.roster.entries if e.status in HOLDS_A_PLACE]
        waiting = [e.position for e in self.roster.entries if e.status is P.WAITLISTED]
        if holding and waiting:
            assert max(holding) < min(waiting)

    @invariant()
    def without_auto_promotion_the_waitlisted_stay_waitlisted(self) -> None:
        if self.roster.policy is WaitlistPolicy.AUTO_PROMOTE:
            return
        assert not self.promoted
        for entry in self.roster.entries:
            if self.first_placed[entry.volunteer_id] is P.WAITLISTED:
                assert entry.status in (P.WAITLISTED, P.CANCELLED)


TestRosterMachine = RosterMachine.TestCase


@given(
    capacity=st.integers(1, 4),
    steps=st.lists(st.one_of(st.just("sign_up"), st.integers(0, 8)), max_size=40),
)
def test_manual_policy_promotes_nobody(capacity: int, steps: list[str | int]) -> None:
    roster = Roster(capacity, WaitlistPolicy.MANUAL)
    placed: dict[str, SignupStatus] = {}
    for step in steps:
        if step == "sign_up":
            entry = roster.sign_up()
            placed[entry.volunteer_id] = entry.status
        elif isinstance(step, int) and step < len(roster.entries):
            try:
                assert roster.cancel(step) == []
            except InvalidTransition:
                assert roster.entries[step].status is P.CANCELLED
    for entry in roster.entries:
        if entry.status is P.CONFIRMED:
            assert placed[entry.volunteer_id] is P.CONFIRMED, "a waitlisted volunteer was promoted"
    assert roster.held() <= capacity
