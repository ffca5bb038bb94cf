"""The registry's organisations as this service needs them, kept from the registry's events.

Volunteering never calls the registry: it learns names, types, parents and status from events,
and closes what hangs on an organisation when the registry says it was deactivated.
"""

from __future__ import annotations

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated, OrganizationRegistered, OrganizationUpdated
from qingchun_contracts.volunteering import ActivityCancelled
from qingchun_volunteering.app.activities import OPEN_STATUSES, signed_up_volunteers
from qingchun_volunteering.app.context import VolunteeringContext


async def on_registered(ctx: VolunteeringContext, envelope: Envelope) -> None:
    data = OrganizationRegistered.model_validate(envelope.data)
    await ctx.store.remember_organization(
        data.organization_id,
        {"name": data.name, "type": data.type, "parent_id": data.parent_id, "status": "active"},
        envelope.time,
    )


async def on_updated(ctx: VolunteeringContext, envelope: Envelope) -> None:
    data = OrganizationUpdated.model_validate(envelope.data)
    await ctx.store.remember_organization(
        data.organization_id,
        {"name": data.name, "type": data.type, "parent_id": data.parent_id},
        envelope.time,
    )


async def on_deactivated(ctx: VolunteeringContext, envelope: Envelope) -> None:
    """Mark it inactive and cancel its open activities, each once even if the event comes again."""
    data = OrganizationDeactivated.model_validate(envelope.data)
    await ctx.store.remember_organization(data.organization_id, {"status": "inactive"}, envelope.time)
    for activity_id in await ctx.store.open_activity_ids_of(data.organization_id, OPEN_STATUSES):
        event = ctx.events.envelope(
            ActivityCancelled(
                activity_id=activity_id,
                host_organization_id=data.organization_id,
                reason_code="organization_deactivated",
                volunteer_ids=await signed_up_volunteers(ctx, activity_id),
            ),
            subject=activity_id,
        )
        # The shifts first: a crash before the cancel leaves them closed, and the redelivery finishes.
        await ctx.store.set_shifts_accepting(activity_id, False)
        await ctx.store.cancel_once(activity_id, OPEN_STATUSES, envelope.id, [event])
    ctx.notify()


HANDLERS = {
    OrganizationRegistered.event_type: on_registered,
    OrganizationUpdated.event_type: on_updated,
    OrganizationDeactivated.event_type: on_deactivated,
}
