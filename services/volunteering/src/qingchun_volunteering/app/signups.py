"""Signing up for a shift, the waitlist, cancellation and promotion.

Placement is decided by the store's atomic writes (a place is taken only while one is free and
nobody waits), so concurrency can never overbook a shift; cancellation and promotion are one
optimistic write of the shift, retried when another write got there first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import SignupCancelled, SignupConfirmed, SignupPromoted, SignupWaitlisted
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import Conflict, NotFound, StaleWrite
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.volunteers import band_of
from qingchun_volunteering.domain.activities import ActivityStatus, Shift, WaitlistPolicy, accepts_signups
from qingchun_volunteering.domain.signups import (
    Entry,
    SignupStatus,
    check_cancellable,
    check_eligibility,
    check_no_overlap,
    promotions,
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
        result = await _promote_into_free_places(ctx, result)
    ctx.notify()
    return result


def _entries(document: Document) -> list[Entry]:
    return [Entry(e["volunteer_id"], SignupStatus(e["status"]), i) for i, e in enumerate(document["signups"])]


def _settled(
    ctx: VolunteeringContext, document: Document, signups: list[Document]
) -> tuple[Document, list[Envelope]]:
    """Promote per the waitlist policy and recount, for a shift whose sign-ups just changed."""
    probe = document | {"signups": signups}
    promoted = set(
        promotions(_entries(probe), document["capacity"], WaitlistPolicy(document["waitlist_policy"]))
    )
    events = []
    for entry in signups:
        if entry["volunteer_id"] in promoted:
            entry["status"] = SignupStatus.CONFIRMED.value
            events.append(
                ctx.events.envelope(SignupPromoted(**_fact(document, entry)), subject=entry["volunteer_id"])
            )
    holding = sum(e["status"] in ("confirmed", "attended") for e in signups)
    changes = {
        "signups": signups,
        "free": document["capacity"] - holding,
        "waitlisted": sum(e["status"] == "waitlisted" for e in signups),
    }
    return changes, events


async def _promote_into_free_places(ctx: VolunteeringContext, document: Document) -> Document:
    """Close the gap where a place was freed while a newcomer joined the waitlist."""
    for _ in range(MAX_ATTEMPTS):
        if document["free"] <= 0 or document["waitlisted"] <= 0:
            return document
        changes, events = _settled(ctx, document, [dict(e) for e in document["signups"]])
        if not events:
            return document
        try:
            return await ctx.store.update_shift(document, changes, events)
        except StaleWrite:
            document = await ctx.shift(document["_id"])
    return document


async def cancel(ctx: VolunteeringContext, caller: Caller, shift_id: str, volunteer_id: str) -> Document:
    """The volunteer (or the organiser) cancels; the waitlist policy decides who moves up."""
    for _ in range(MAX_ATTEMPTS):
        shift = await ctx.shift(shift_id)
        by_organizer = await _acting_for(ctx, caller, shift, volunteer_id)
        signups = [dict(e) for e in shift["signups"]]
        entry = next((e for e in signups if e["volunteer_id"] == volunteer_id), None)
        if entry is None:
            raise NotFound("this volunteer has no sign-up on the shift", field="volunteer_id")
        check_cancellable(SignupStatus(entry["status"]))
        entry["status"] = SignupStatus.CANCELLED.value
        changes, events = _settled(ctx, shift, signups)
        cancelled = SignupCancelled(**_fact(shift, entry), by_organizer=by_organizer)
        try:
            result = await ctx.store.update_shift(
                shift, changes, [ctx.events.envelope(cancelled, subject=volunteer_id), *events]
            )
        except StaleWrite:
            continue
        ctx.notify()
        return result
    raise StaleWrite("the shift is too busy right now; try again")


async def _acting_for(ctx: VolunteeringContext, caller: Caller, shift: Document, volunteer_id: str) -> bool:
    """True when an organiser acts; the volunteer acting for themself is False; anyone else is refused."""
    own = await ctx.store.volunteer_of(caller.subject)
    if own is not None and own["_id"] == volunteer_id:
        return False
    await ctx.require_organizer(caller, shift["host_organization_id"])
    return True
