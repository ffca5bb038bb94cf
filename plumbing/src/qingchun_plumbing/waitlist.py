"""Waitlists (候补) for anything with limited places: volunteering shifts, education sessions.

Both services promise the same policies (DOMAIN.md §2.2, §2.3), so the rules live once here as
pure functions over a neutral view of the roster; each service maps its own statuses onto
:class:`Seat` and keeps its writes atomic in its own store.

Places go in order of arrival. When one frees up, the earliest waiting entry has the best claim:
under ``auto_promote`` it is moved up at once, or, when the owner set a confirmation window, it is
*offered* the place, which holds the place until the offer lapses. A lapsed or declined offer frees
the place again and the next in line is offered it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

MAX_OFFER_WINDOW_HOURS = 168


class WaitlistPolicy(LabelledEnum):
    """How a freed place is filled; organisers who know their people may prefer to choose."""

    AUTO_PROMOTE = ("auto_promote", "自动递补")
    NOTIFY_ALL = ("notify_all", "通知全部候补")
    MANUAL = ("manual", "人工递补")


class Seat(Enum):
    """Where one entry stands with respect to a place, whatever the service calls it."""

    HOLDING = "holding"  # has a place (confirmed, attended…)
    OFFERED = "offered"  # holds a place until its offer lapses
    WAITING = "waiting"  # on the waitlist
    OUT = "out"  # cancelled, declined, lapsed: holds nothing


@dataclass(frozen=True)
class Place:
    """One entry of a roster; ``position`` is the order of arrival."""

    holder_id: str
    seat: Seat
    position: int
    offer_expires_at: datetime | None = None

    def holds_a_place(self, now: datetime) -> bool:
        if self.seat is Seat.OFFERED:
            return self.offer_expires_at is None or self.offer_expires_at > now
        return self.seat is Seat.HOLDING


def check_offer_window(
    policy: WaitlistPolicy, window_hours: int | None, field: str = "offer_window_hours"
) -> None:
    """A confirmation window only means something when places are handed on automatically."""
    if window_hours is None:
        return
    if not 1 <= window_hours <= MAX_OFFER_WINDOW_HOURS:
        raise DomainError(
            "offer_window_out_of_range", f"确认时限须在1至{MAX_OFFER_WINDOW_HOURS}小时之间", field=field
        )
    if policy is not WaitlistPolicy.AUTO_PROMOTE:
        raise DomainError(
            "offer_window_needs_auto_promote",
            f"只有“{WaitlistPolicy.AUTO_PROMOTE.label}”可设确认时限",
            field=field,
        )


def places_taken(places: Sequence[Place], now: datetime) -> int:
    """Places held now: holders and unexpired offers (what ``free`` is counted against)."""
    return sum(1 for place in places if place.holds_a_place(now))


def gets_a_place(taken: int, capacity: int) -> bool:
    """A newcomer gets a place if one is free, else joins the waitlist rather than being turned away."""
    return taken < capacity


def promotions(places: Sequence[Place], capacity: int, policy: WaitlistPolicy, now: datetime) -> list[str]:
    """Holder ids to move up now, earliest arrival first (only ``auto_promote`` moves anyone).

    Under ``notify_all`` the service tells every waiting entry, under ``manual`` the owner
    chooses. An unexpired offer still holds its place; a roster over capacity (capacity was
    lowered) moves nobody up and pushes nobody down.
    """
    if policy is not WaitlistPolicy.AUTO_PROMOTE:
        return []
    free = capacity - places_taken(places, now)
    if free <= 0:
        return []
    waiting = sorted((p for p in places if p.seat is Seat.WAITING), key=lambda p: p.position)
    return [place.holder_id for place in waiting[:free]]


def offer_deadline(
    now: datetime, window_hours: int | None, not_after: datetime | None = None
) -> datetime | None:
    """When a promotion made now must be accepted by; ``None``: no window, the place is given outright.

    ``not_after`` (the start of what the place is for) caps the deadline: an answer after the
    start is worth nothing. Once the start has passed there is no time to wait for an answer, so
    the place is given outright, as to a late joiner.
    """
    if window_hours is None:
        return None
    deadline = now + timedelta(hours=window_hours)
    if not_after is not None:
        deadline = min(deadline, not_after)
    return deadline if deadline > now else None


def lapsed_offers(places: Sequence[Place], now: datetime) -> list[str]:
    """Offers whose deadline has passed: their places go to the next in line."""
    return [
        p.holder_id
        for p in places
        if p.seat is Seat.OFFERED and p.offer_expires_at is not None and p.offer_expires_at <= now
    ]
