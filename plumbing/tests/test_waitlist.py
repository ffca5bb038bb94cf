"""Waitlists: who gets a place, who moves up, and how offers with a confirmation window lapse."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.testing.quality import label_problems
from qingchun_plumbing.waitlist import (
    MAX_OFFER_WINDOW_HOURS,
    Place,
    Seat,
    WaitlistPolicy,
    check_offer_window,
    gets_a_place,
    lapsed_offers,
    offer_deadline,
    places_taken,
    promotions,
)

AUTO = WaitlistPolicy.AUTO_PROMOTE
NOW = datetime(2024, 7, 13, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
EARLIER = NOW - timedelta(minutes=1)


def places(*seats: Seat) -> list[Place]:
    return [Place(f"v{i}", seat, i) for i, seat in enumerate(seats)]


def test_policies_have_chinese_labels() -> None:
    assert label_problems(WaitlistPolicy) == []
    assert [p.value for p in WaitlistPolicy] == ["auto_promote", "notify_all", "manual"]


@given(taken=st.integers(0, 50), capacity=st.integers(1, 50))
def test_a_newcomer_gets_a_place_while_one_is_free(taken: int, capacity: int) -> None:
    assert gets_a_place(taken, capacity) is (taken < capacity)


def test_auto_promote_takes_the_earliest_arrivals_not_list_order() -> None:
    roster = [
        Place("late", Seat.WAITING, 9),
        Place("early", Seat.WAITING, 4),
        Place("held", Seat.HOLDING, 1),
        Place("middle", Seat.WAITING, 6),
        Place("gone", Seat.OUT, 2),
    ]
    assert promotions(roster, 3, AUTO, NOW) == ["early", "middle"]
    assert promotions(roster, 10, AUTO, NOW) == ["early", "middle", "late"]
    assert promotions(roster, 1, AUTO, NOW) == []


def test_holders_and_open_offers_keep_their_places_but_the_out_do_not() -> None:
    roster = [
        Place("held", Seat.HOLDING, 0),
        Place("offered", Seat.OFFERED, 1, LATER),
        Place("gone", Seat.OUT, 2),
        Place("next", Seat.WAITING, 3),
        Place("after", Seat.WAITING, 4),
    ]
    assert places_taken(roster, NOW) == 2
    assert promotions(roster, 3, AUTO, NOW) == ["next"]
    assert promotions(roster, 2, AUTO, NOW) == []


def test_a_lapsed_offer_frees_its_place_for_the_next_in_line() -> None:
    roster = [Place("offered", Seat.OFFERED, 0, NOW), Place("next", Seat.WAITING, 1)]
    assert places_taken(roster, EARLIER) == 1
    assert promotions(roster, 1, AUTO, EARLIER) == []
    # The deadline itself is already too late.
    assert places_taken(roster, NOW) == 0
    assert promotions(roster, 1, AUTO, NOW) == ["next"]
    assert lapsed_offers(roster, EARLIER) == []
    assert lapsed_offers(roster, NOW) == ["offered"]


def test_only_offers_lapse() -> None:
    roster = [
        Place("held", Seat.HOLDING, 0, EARLIER),
        Place("waiting", Seat.WAITING, 1, EARLIER),
        Place("out", Seat.OUT, 2, EARLIER),
        Place("no_deadline", Seat.OFFERED, 3),
        Place("due", Seat.OFFERED, 4, EARLIER),
        Place("open", Seat.OFFERED, 5, LATER),
    ]
    assert lapsed_offers(roster, NOW) == ["due"]
    assert Place("no_deadline", Seat.OFFERED, 3).holds_a_place(NOW + timedelta(days=999))


def test_an_over_full_roster_promotes_nobody() -> None:
    assert promotions(places(Seat.HOLDING, Seat.HOLDING, Seat.HOLDING, Seat.WAITING), 2, AUTO, NOW) == []


@pytest.mark.parametrize("policy", [WaitlistPolicy.NOTIFY_ALL, WaitlistPolicy.MANUAL])
def test_only_auto_promote_moves_anyone(policy: WaitlistPolicy) -> None:
    assert promotions(places(Seat.WAITING, Seat.WAITING), 5, policy, NOW) == []
    assert promotions([Place("due", Seat.OFFERED, 0, EARLIER), *places(Seat.WAITING)], 1, policy, NOW) == []


deadlines = st.none() | st.integers(-3, 3).map(lambda h: NOW + timedelta(hours=h))
seats = st.tuples(st.sampled_from(Seat), deadlines)
# Positions are a shuffled order of arrival, so list order never lines up with the queue by accident.
rosters = st.lists(seats, max_size=20).flatmap(
    lambda ss: st.permutations(range(len(ss))).map(
        lambda order: [
            Place(f"v{i}", seat, 3 * p, expires if seat is Seat.OFFERED else None)
            for i, ((seat, expires), p) in enumerate(zip(ss, order, strict=True))
        ]
    )
)


@given(roster=rosters, capacity=st.integers(1, 12))
def test_promotions_fill_free_places_in_arrival_order(roster: list[Place], capacity: int) -> None:
    promoted = promotions(roster, capacity, AUTO, NOW)
    held = sum(
        1
        for p in roster
        if p.seat is Seat.HOLDING
        or (p.seat is Seat.OFFERED and (p.offer_expires_at is None or p.offer_expires_at > NOW))
    )
    waiting = sorted((p for p in roster if p.seat is Seat.WAITING), key=lambda p: p.position)
    assert places_taken(roster, NOW) == held
    assert promoted == [p.holder_id for p in waiting][: max(capacity - held, 0)]
    if len(promoted) < len(waiting):
        assert held + len(promoted) >= capacity


def test_offer_deadline_examples() -> None:
    assert offer_deadline(NOW, None) is None
    assert offer_deadline(NOW, 2) == LATER
    assert offer_deadline(NOW, 48, not_after=LATER) == LATER
    assert offer_deadline(NOW, 1, not_after=LATER) == NOW + timedelta(hours=1)
    # The start has come: no time to wait for an answer, the place is given outright.
    assert offer_deadline(NOW, 2, not_after=NOW) is None
    assert offer_deadline(NOW, 2, not_after=EARLIER) is None
    assert offer_deadline(NOW, None, not_after=LATER) is None


@given(window=st.integers(1, MAX_OFFER_WINDOW_HOURS), start_in=st.integers(-100, 400))
def test_an_offer_never_outlives_its_window_or_the_start(window: int, start_in: int) -> None:
    start = NOW + timedelta(hours=start_in)
    deadline = offer_deadline(NOW, window, not_after=start)
    if start <= NOW:
        assert deadline is None
    else:
        assert deadline is not None
        assert NOW < deadline <= min(NOW + timedelta(hours=window), start)


@pytest.mark.parametrize(
    ("policy", "window", "code"),
    [
        (AUTO, None, None),
        (AUTO, 1, None),
        (AUTO, MAX_OFFER_WINDOW_HOURS, None),
        (WaitlistPolicy.MANUAL, None, None),
        (WaitlistPolicy.NOTIFY_ALL, None, None),
        (AUTO, 0, "offer_window_out_of_range"),
        (AUTO, MAX_OFFER_WINDOW_HOURS + 1, "offer_window_out_of_range"),
        (WaitlistPolicy.NOTIFY_ALL, 2, "offer_window_needs_auto_promote"),
        (WaitlistPolicy.MANUAL, 2, "offer_window_needs_auto_promote"),
    ],
)
def test_check_offer_window(policy: WaitlistPolicy, window: int | None, code: str | None) -> None:
    if code is None:
        check_offer_window(policy, window)
        return
    with pytest.raises(DomainError) as excinfo:
        check_offer_window(policy, window, field="sessions.0.offer_window_hours")
    assert (excinfo.value.code, excinfo.value.field) == (code, "sessions.0.offer_window_hours")


class Roster:
    """A minimal roster built only from the module's rules; every action ends in one "write" that
    lapses due offers and fills free places, as a service's atomic write does."""

    def __init__(self, capacity: int, policy: WaitlistPolicy, window_hours: int | None) -> None:
        self.capacity = capacity
        self.policy = policy
        self.window_hours = window_hours
        self.now = NOW
        self.places: list[Place] = []

    def taken(self) -> int:
        return places_taken(self.places, self.now)

    def seat_of(self, holder_id: str) -> Seat:
        return next(p.seat for p in self.places if p.holder_id == holder_id)

    def set_seat(self, holder_id: str, seat: Seat, expires: datetime | None = None) -> None:
        self.places = [
            replace(p, seat=seat, offer_expires_at=expires) if p.holder_id == holder_id else p
            for p in self.places
        ]

    def settle(self) -> tuple[list[str], list[str]]:
        lapsed = lapsed_offers(self.places, self.now)
        promoted = promotions(self.places, self.capacity, self.policy, self.now)
        for holder_id in lapsed:
            self.set_seat(holder_id, Seat.OUT)
        deadline = offer_deadline(self.now, self.window_hours)
        for holder_id in promoted:
            self.set_seat(holder_id, Seat.HOLDING if deadline is None else Seat.OFFERED, deadline)
        return lapsed, promoted

    def sign_up(self) -> Place:
        nobody_waits = all(p.seat is not Seat.WAITING for p in self.places)
        seat = Seat.HOLDING if nobody_waits and gets_a_place(self.taken(), self.capacity) else Seat.WAITING
        place = Place(f"v{len(self.places)}", seat, len(self.places))
        self.places.append(place)
        self.settle()
        return place

    def leave(self, index: int) -> list[str]:
        """Cancel or decline; only a pending entry (holding, offered or waiting) can leave."""
        place = self.places[index]
        assert place.seat is not Seat.OUT
        self.set_seat(place.holder_id, Seat.OUT)
        return self.settle()[1]

    def accept(self, holder_id: str) -> None:
        self.set_seat(holder_id, Seat.HOLDING)
        self.settle()


class RosterMachine(RuleBasedStateMachine):
    """Random sign-ups, cancellations, offers accepted, declined or left to lapse never overfill a
    roster, never skip the queue, and never promote anyone under the other policies."""

    def __init__(self) -> None:
        super().__init__()
        self.roster = Roster(1, AUTO, None)
        self.first_seat: dict[str, Seat] = {}
        self.moved_up: set[str] = set()
        self.settled = True

    @initialize(
        capacity=st.integers(1, 4),
        policy=st.sampled_from(WaitlistPolicy),
        window=st.none() | st.integers(1, 3),
    )
    def open_roster(self, capacity: int, policy: WaitlistPolicy, window: int | None) -> None:
        self.roster = Roster(capacity, policy, window)

    def _record(self, promoted: list[str]) -> None:
        self.moved_up.update(promoted)
        self.settled = True

    @rule()
    def sign_up(self) -> None:
        free_before = self.roster.capacity - self.roster.taken()
        nobody_waits = all(p.seat is not Seat.WAITING for p in self.roster.places)
        place = self.roster.sign_up()
        self.first_seat[place.holder_id] = place.seat
        assert (place.seat is Seat.HOLDING) == (nobody_waits and free_before > 0)
        self.settled = True

    @precondition(lambda self: any(p.seat is not Seat.OUT for p in self.roster.places))
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        pending = [i for i, p in enumerate(self.roster.places) if p.seat is not Seat.OUT]
        index = data.draw(st.sampled_from(pending))
        before = self.roster.places[index].seat
        taken_before = self.roster.taken()
        promoted = self.roster.leave(index)
        if self.roster.policy is not AUTO:
            assert promoted == []
        if before is Seat.WAITING and self.settled:
            assert self.roster.taken() == taken_before
        self._record(promoted)

    @precondition(lambda self: any(p.seat is Seat.OFFERED for p in self.roster.places))
    @rule(data=st.data())
    def accept_in_time(self, data: st.DataObject) -> None:
        offers = [
            p for p in self.roster.places if p.seat is Seat.OFFERED and p.holds_a_place(self.roster.now)
        ]
        if not offers:
            return
        taken_before = self.roster.taken()
        self.roster.accept(data.draw(st.sampled_from(offers)).holder_id)
        assert self.roster.taken() >= taken_before
        self.settled = True

    @rule(minutes=st.integers(0, 5 * 60))
    def time_passes(self, minutes: int) -> None:
        """The clock moves; until the next write or the expiry job, a due offer is simply not counted."""
        self.roster.now += timedelta(minutes=minutes)
        self.settled = minutes == 0 and self.settled

    @rule()
    def expiry_job(self) -> None:
        due = lapsed_offers(self.roster.places, self.roster.now)
        lapsed, promoted = self.roster.settle()
        assert lapsed == due
        assert all(self.roster.seat_of(h) is Seat.OUT for h in lapsed)
        again = self.roster.settle()
        assert again == ([], [])  # idempotent
        self._record(promoted)

    @invariant()
    def never_over_capacity(self) -> None:
        assert self.roster.taken() <= self.roster.capacity

    @invariant()
    def waitlist_only_when_full(self) -> None:
        waiting = any(p.seat is Seat.WAITING for p in self.roster.places)
        if self.settled and self.roster.policy is AUTO and waiting:
            assert self.roster.taken() == self.roster.capacity

    @invariant()
    def offers_only_with_a_window_and_within_it(self) -> None:
        for place in self.roster.places:
            if place.seat is Seat.OFFERED:
                assert self.roster.window_hours is not None
                assert place.offer_expires_at is not None
                assert place.offer_expires_at <= self.roster.now + timedelta(hours=self.roster.window_hours)
                if self.settled:
                    assert place.offer_expires_at > self.roster.now

    @invariant()
    def nobody_jumps_the_queue(self) -> None:
        """Under auto-promotion everyone holding or offered a place arrived before everyone waiting."""
        if self.roster.policy is not AUTO:
            return
        ahead = [p.position for p in self.roster.places if p.seat in (Seat.HOLDING, Seat.OFFERED)]
        waiting = [p.position for p in self.roster.places if p.seat is Seat.WAITING]
        if ahead and waiting:
            assert max(ahead) < min(waiting)

    @invariant()
    def without_auto_promotion_the_waiting_stay_waiting(self) -> None:
        if self.roster.policy is AUTO:
            return
        assert not self.moved_up
        for place in self.roster.places:
            if self.first_seat[place.holder_id] is Seat.WAITING:
                assert place.seat in (Seat.WAITING, Seat.OUT)


TestRosterMachine = RosterMachine.TestCase


@given(
    capacity=st.integers(1, 4),
    steps=st.lists(st.one_of(st.just("sign_up"), st.integers(0, 8)), max_size=40),
)
def test_manual_policy_promotes_nobody(capacity: int, steps: list[str | int]) -> None:
    roster = Roster(capacity, WaitlistPolicy.MANUAL, None)
    placed: dict[str, Seat] = {}
    for step in steps:
        if step == "sign_up":
            place = roster.sign_up()
            placed[place.holder_id] = place.seat
        elif isinstance(step, int) and step < len(roster.places) and roster.places[step].seat is not Seat.OUT:
            assert roster.leave(step) == []
    for place in roster.places:
        if place.seat is Seat.HOLDING:
            assert placed[place.holder_id] is Seat.HOLDING, "a waiting entry was promoted"
    assert roster.taken() <= capacity
