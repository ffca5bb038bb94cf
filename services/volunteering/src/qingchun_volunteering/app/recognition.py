"""Recognition from verified hours: a volunteer's verified total and star level (星级).

Each HoursVerified event adds its minutes once: the total, the star level it may reach and
the StarLevelReached events are one guarded write on the volunteer, marked with the event id,
so a redelivered event (at-least-once delivery) finds nothing left to change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import HoursVerified, StarLevelReached
from qingchun_plumbing.problems import StaleWrite
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.stars import levels_reached

MAX_ATTEMPTS = 20


async def on_hours_verified(ctx: VolunteeringContext, envelope: Envelope) -> None:
    data = HoursVerified.model_validate(envelope.data)
    for _ in range(MAX_ATTEMPTS):
        if await ctx.hours.applied(data.volunteer_id, envelope.id):
            return
        volunteer = await ctx.volunteer(data.volunteer_id)
        before = volunteer.get("verified_minutes", 0)
        after = before + data.minutes
        levels = levels_reached(before, after)
        reached = [
            ctx.events.envelope(
                StarLevelReached(
                    volunteer_id=data.volunteer_id,
                    subject_id=data.subject_id,
                    star_level=level,
                    verified_minutes=after,
                ),
                subject=data.volunteer_id,
            )
            for level in levels
        ]
        if await ctx.hours.add_verified_minutes(
            data.volunteer_id, before, data.minutes, envelope.id, levels[-1] if levels else None, reached
        ):
            ctx.notify()
            return
    raise StaleWrite("the volunteer's total kept changing; the event will be retried")


HANDLERS: dict[str, Callable[[VolunteeringContext, Envelope], Awaitable[None]]] = {
    HoursVerified.event_type: on_hours_verified,
}
