"""Signing up for a shift, the waitlist, cancellation, promotion and offers.

Placement is decided by the store's atomic writes (a place is taken only while one is free and
nobody waits), so concurrency can never overbook a shift. Cancellation with promotion, an offer
accepted or declined, and offers lapsing are each one optimistic write of the shift with their
events, retried when another write got there first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from qingchun_contracts import Envelope, EventData
from qingchun_contracts.volunteering import SignupCancelled, SignupConfirmed, SignupPromoted, SignupWaitlisted
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import Conflict, Forbidden, NotFound, StaleWrite
from qingchun_plumbing.waitlist import (
    Place,
    WaitlistPolicy,
    lapsed_offers,
    offer_deadline,
    places_taken,
    promotions,
)
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.volunteers import band_of
from qingchun_volunteering.domain.activities import ActivityStatus, Shift, accepts_signups
from qingchun_volunteering.domain.signups import (
    SignupStatus,
    check_cancellable,
    check_eligibility,
    check_no_overlap,
    check_offered,
    offer_lapsed,
    seat_of,
)
from qingchun_volunteering.domain.volunteers import age_on

MAX_ATTEMPTS = 20


def shift_of(document: Document) -> Shift:
    """The domain's view of a stored shift (what eligibility and matching judge)."""
    return Shift(
        document["starts_at"],
        document["ends_at"],
        document["capacity"],
        document.get("min_age"),
        document.get("max_age"),
        document.get("family_only", False),
        tuple(document.get("required_skills", ())),
    )


def _fact(document: Document, entry: Document) -> dict[str, str]:
    return {
        "activity_id": document["activity_id"],
        "shift_id": document["_id"],
        "volunteer_id": entry["volunteer_id"],
        "subject_id": entry["subject_id"],
    }


async def sign_up(
    ctx: VolunteeringContext, caller: Caller, shift_id: str, guardian_present: bool
) -> Document:
    """The caller signs themself up; returns the shift as it is after their sign-up."""
    volunteer = await ctx.store.volunteer_of(caller.subject)
    if volunteer is None:
        raise NotFound(
            "register as a volunteer before signing up", field="volunteer_id", code="not_registered"
        )
    shift = await ctx.shift(shift_id)
    activity = await ctx.activity(shift["activity_id"])
    if not accepts_signups(ActivityStatus(activity["status"])):
        raise Conflict("the activity is not open for sign-up", field="shift_id", code="activity_not_open")
    starts_on = shift["starts_at"].date()
    check_eligibility(
        band_of(ctx, volunteer, starts_on),
        age_on(date.fromisoformat(volunteer["birth_date"]), starts_on),
        shift_of(shift),
        volunteer.get("consent") is not None,
        guardian_present,
    )
    if any(e["volunteer_id"] == volunteer["_id"] for e in shift["signups"]):
        raise Conflict("you already signed up for this shift", field="shift_id", code="already_signed_up")
    check_no_overlap(
        shift["starts_at"], shift["ends_at"], await ctx.store.active_windows_of(volunteer["_id"])
    )
    entry = {
        "volunteer_id": volunteer["_id"],
        "subject_id": caller.subject,
        "guardian_present": guardian_present,
        "signed_up_at": datetime.now(UTC),
    }
    confirmed = ctx.events.envelope(SignupConfirmed(**_fact(shift, entry)), subject=volunteer["_id"])
    result = await ctx.store.take_place(
        shift_id, entry | {"status": SignupStatus.CONFIRMED.value}, [confirmed]
    )
    if result is None:
        waitlisted = ctx.events.envelope(SignupWaitlisted(**_fact(shift, entry)), subject=volunteer["_id"])
        result = await ctx.store.join_waitlist(
            shift_id, entry | {"status": SignupStatus.WAITLISTED.value}, [waitlisted]
        )
        if result is None:
            raise Conflict("you already signed up for this shift", field="shift_id", code="already_signed_up")
        if result["free"] > 0 and result["waitlisted"] > 0:  # a place was freed meanwhile
            result, _ = await _settle(ctx, result)
    ctx.notify()
    return result


def _places(signups: list[Document]) -> list[Place]:
    return [
        Place(e["volunteer_id"], seat_of(SignupStatus(e["status"])), i, e.get("offer_expires_at"))
        for i, e in enumerate(signups)
    ]


def _settled(
    ctx: VolunteeringContext, document: Document, signups: list[Document], now: datetime
) -> tuple[Document, list[Envelope]]:
    """Lapse offers past their deadline, fill free places per the waitlist policy, and recount,
    for a shift whose sign-ups just changed (or whose offers fell due).

    With a confirmation window the first in line is offered the place, which stays taken until
    they answer. A shift that no longer takes sign-ups (completed, cancelled) moves nobody up.
    """
    places = _places(signups)
    lapsed = set(lapsed_offers(places, now))
    policy = WaitlistPolicy(document["waitlist_policy"])
    promoted = (
        set(promotions(places, document["capacity"], policy, now))
        if document.get("accepting", True)
        else set()
    )
    deadline = _as_stored(
        offer_deadline(now, document.get("offer_window_hours"), not_after=document["starts_at"])
    )
    events = []
    for entry in signups:
        if entry["volunteer_id"] in lapsed:
            entry["status"] = SignupStatus.CANCELLED.value
            entry["offer_lapsed_at"] = entry.pop("offer_expires_at")
            cancelled = SignupCancelled(**_fact(document, entry))
            events.append(ctx.events.envelope(cancelled, subject=entry["volunteer_id"]))
        elif entry["volunteer_id"] in promoted:
            if deadline is None:
                entry["status"] = SignupStatus.CONFIRMED.value
            else:
                entry |= {"status": SignupStatus.OFFERED.value, "offer_expires_at": deadline}
            promotion = SignupPromoted(**_fact(document, entry), confirm_by=deadline)
            events.append(ctx.events.envelope(promotion, subject=entry["volunteer_id"]))
    changes = {
        "signups": signups,
        "free": document["capacity"] - places_taken(_places(signups), now),
        "waitlisted": sum(e["status"] == SignupStatus.WAITLISTED.value for e in signups),
    }
    return changes, events


def _as_stored(moment: datetime | None) -> datetime | None:
    """The store keeps milliseconds; the event must name the very deadline the store checks."""
    return None if moment is None else moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def _settle(ctx: VolunteeringContext, document: Document) -> tuple[Document, bool]:
    """Write what ``_settled`` finds to do, if anything, retried on a concurrent write; idempotent.
    Returns the shift and whether anything was written."""
    for _ in range(MAX_ATTEMPTS):
        changes, events = _settled(ctx, document, [dict(e) for e in document["signups"]], ctx.now())
        if not events:
            return document, False
        try:
            result = await ctx.store.update_shift(document, changes, events)
        except StaleWrite:
            document = await ctx.shift(document["_id"])
            continue
        ctx.notify()
        return result, True
    return document, False


async def lapse_offers(ctx: VolunteeringContext) -> int:
    """The expiry job: offers past their deadline are cancelled and their places offered on.

    Idempotent (a lapsed offer no longer carries a deadline, so a second run finds nothing) and
    safe beside other replicas (versioned writes). Returns how many shifts it changed.
    """
    changed = 0
    for shift_id in await ctx.store.shifts_with_lapsed_offers(ctx.now()):
        shift = await ctx.store.shift(shift_id)
        if shift is not None:
            changed += (await _settle(ctx, shift))[1]
    return changed


async def _change_signup(
    ctx: VolunteeringContext,
    shift_id: str,
    volunteer_id: str,
    change: Callable[[Document, Document, datetime], EventData],
) -> Document:
    """Apply ``change(shift, entry, now)`` to the volunteer's sign-up (it checks, changes the entry
    and names the event), settle the waitlist, and write it all in one versioned write of the
    shift with the events; retried when another write got there first."""
    for _ in range(MAX_ATTEMPTS):
        shift = await ctx.shift(shift_id)
        signups = [dict(e) for e in shift["signups"]]
        entry = _entry_of(signups, volunteer_id)
        now = ctx.now()
        own = ctx.events.envelope(change(shift, entry, now), subject=volunteer_id)
        changes, events = _settled(ctx, shift, signups, now)
        try:
            result = await ctx.store.update_shift(shift, changes, [own, *events])
        except StaleWrite:
            continue
        ctx.notify()
        return result
    raise StaleWrite("the shift is too busy right now; try again")


async def cancel(ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str) -> Document:
    """The volunteer (or the organiser) cancels; the waitlist policy decides who moves up."""
    by_organizer = await _acting_for(ctx, caller, await ctx.shift(shift_id), volunteer_id)

    def withdraw(shift: Document, entry: Document, _: datetime) -> EventData:
        check_cancellable(SignupStatus(entry["status"]))
        return _cancelled(shift, entry, by_organizer)

    return await _change_signup(ctx, shift_id, volunteer_id, withdraw)


async def decline(ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str) -> Document:
    """The volunteer (or the organiser for them) turns an offer down; the next in line is offered it."""
    by_organizer = await _acting_for(ctx, caller, await ctx.shift(shift_id), volunteer_id)

    def turn_down(shift: Document, entry: Document, now: datetime) -> EventData:
        _check_offer_open(entry, now)
        return _cancelled(shift, entry, by_organizer)

    return await _change_signup(ctx, shift_id, volunteer_id, turn_down)


async def accept(ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str) -> Document:
    """The volunteer takes the place they were offered, before its deadline; it becomes confirmed."""
    own = await ctx.store.volunteer_of(caller.subject)
    if own is None or own["_id"] != volunteer_id:
        raise Forbidden("only the volunteer may accept the place offered to them", code="not_your_signup")

    def take(shift: Document, entry: Document, now: datetime) -> EventData:
        _check_offer_open(entry, now)
        if shift.get("accepting") is False:
            raise Conflict("the activity is no longer open", field="shift_id", code="activity_not_open")
        del entry["offer_expires_at"]
        entry |= {"status": SignupStatus.CONFIRMED.value, "accepted_at": now}
        return SignupConfirmed(**_fact(shift, entry))

    return await _change_signup(ctx, shift_id, volunteer_id, take)


def _cancelled(shift: Document, entry: Document, by_organizer: bool) -> SignupCancelled:
    entry["status"] = SignupStatus.CANCELLED.value
    entry.pop("offer_expires_at", None)
    return SignupCancelled(**_fact(shift, entry), by_organizer=by_organizer)


def _entry_of(signups: list[Document], volunteer_id: str) -> Document:
    entry = next((e for e in signups if e["volunteer_id"] == volunteer_id), None)
    if entry is None:
        raise NotFound("this volunteer has no sign-up on the shift", field="volunteer_id")
    return entry


def _check_offer_open(entry: Document, now: datetime) -> None:
    """An answer to an offer must come before its deadline; a late one changes nothing."""
    status = SignupStatus(entry["status"])
    if offer_lapsed(status, entry.get("offer_expires_at"), entry.get("offer_lapsed_at"), now):
        raise Conflict(
            "the offer has lapsed; the place went to the next in line",
            field="volunteer_id",
            code="offer_lapsed",
        )
    check_offered(status)


async def _acting_for(ctx: VolunteeringContext, caller: Caller, shift: Document, volunteer_id: str) -> bool:
    """True when an organiser acts; the volunteer acting for themself is False; anyone else is refused."""
    own = await ctx.store.volunteer_of(caller.subject)
    if own is not None and own["_id"] == volunteer_id:
        return False
    await ctx.require_organizer(caller, shift["host_organization_id"])
    return True
