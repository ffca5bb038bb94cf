"""What volunteering does when the registry deactivates an organisation.

The organisation read model itself (names, parents, status) is the plumbing's
:class:`~qingchun_plumbing.directory.OrganizationDirectory`; this module closes what hangs on it.
"""

from __future__ import annotations

from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import ActivityCancelled
from qingchun_volunteering.app.activities import OPEN_STATUSES, signed_up_volunteers
from qingchun_volunteering.app.context import VolunteeringContext


async def cancel_hosted_activities(ctx: VolunteeringContext, org_id: str, envelope: Envelope) -> None:
    """Cancel the organisation's open activities, each once even if the event comes again."""
    for activity_id in await ctx.store.open_activity_ids_of(org_id, OPEN_STATUSES):
        event = ctx.events.envelope(
            ActivityCancelled(
                activity_id=activity_id,
                host_organization_id=org_id,
                reason_code="organization_deactivated",
                volunteer_ids=await signed_up_volunteers(ctx, activity_id),
            ),
            subject=activity_id,
        )
        # The shifts first: a crash before the cancel leaves them closed, and the redelivery finishes.
        await ctx.store.set_shifts_accepting(activity_id, False)
        await ctx.store.cancel_once(activity_id, OPEN_STATUSES, envelope.id, [event])
    ctx.notify()
