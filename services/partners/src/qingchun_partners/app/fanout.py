"""The fan-out: every partner-audience event, to each partner that may have it.

Topic bindings cannot express a partner's filters (its district, its own organisations), so the
service consumes every partner event once (its own queue, deduplicated by event id through the
inbox), finds the subscribed partners whose subtrees the event touches (organisations as last heard
from the registry's own partner events), and for each opens one delivery document per partner ×
event. Publishing to the partner's queue and stream is claimed, then marked, on that document, so an
event handled twice at once (the bus delivered it twice) or again after a retry is not published
again where it already arrived; a handler that died mid-publish leaves a claim that expires, and the
event is then published once more (at least once, as every consumer expects).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from qingchun_contracts import Audience, Envelope, all_contracts
from qingchun_contracts.registry import OrganizationDeactivated, OrganizationRegistered, OrganizationUpdated
from qingchun_partners.app.context import PartnersContext
from qingchun_partners.domain.subscriptions import Delivery, organizations_in, passes
from qingchun_partners.domain.webhooks import WebhookStatus
from qingchun_plumbing.mongo import Document, new_id

_log = logging.getLogger("qingchun.partners.fanout")
CLAIM = timedelta(seconds=30)
"""How long one handler may take to publish a delivery before another may take over."""


async def remember_organization(ctx: PartnersContext, envelope: Envelope) -> None:
    """Keep the organisation read model (name, type, parent, area, status) the filters walk."""
    if envelope.type == OrganizationDeactivated.event_type:
        gone = OrganizationDeactivated.model_validate(envelope.data)
        await ctx.orgs.remember(gone.organization_id, {"status": "inactive"}, envelope.time)
        return
    data = (
        OrganizationRegistered.model_validate(envelope.data)
        if envelope.type == OrganizationRegistered.event_type
        else OrganizationUpdated.model_validate(envelope.data)
    )
    fields = {
        "name": data.name,
        "type": data.type,
        "parent_id": data.parent_id,
        "area": data.area.model_dump(),
    }
    if envelope.type == OrganizationRegistered.event_type:
        fields["status"] = "active"
    await ctx.orgs.remember(data.organization_id, fields, envelope.time)


ORGANIZATION_EVENTS = {
    OrganizationRegistered.event_type,
    OrganizationUpdated.event_type,
    OrganizationDeactivated.event_type,
}


async def fan_out(ctx: PartnersContext, envelope: Envelope) -> None:
    if envelope.type in ORGANIZATION_EVENTS:
        await remember_organization(ctx, envelope)
    partners = await ctx.partners.subscribed(envelope.type)
    if not partners:
        return
    chains = [await ctx.chain(org_id) for org_id in organizations_in(envelope.data)]
    for partner in partners:
        if passes(partner["roots"], chains):
            await deliver(ctx, partner, envelope)


async def deliver(ctx: PartnersContext, partner: Document, envelope: Envelope) -> None:
    now = ctx.now()
    document: Document = {
        "_id": new_id("dlv"),
        "partner_id": partner["_id"],
        "event_id": envelope.id,
        "event_type": envelope.type,
        "body": envelope.model_dump_json(),
        "created_at": now,
    }
    if Delivery.AMQP.value in partner["delivery"]:
        document["amqp"] = {}
    if Delivery.WEBHOOK.value in partner["delivery"]:
        document["webhook"] = {
            "status": WebhookStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "lease_until": None,
            "log": [],
        }
    delivery = await ctx.deliveries.open(document)
    if "amqp" not in delivery:
        return
    names = ctx.names(partner["_id"])
    for target, queue in (("queue", names.queue), ("stream", names.stream)):
        if not await _claim(ctx, delivery["_id"], target):
            continue  # already published (or refused) when this event was first handled
        confirmed = await ctx.feeds.publish(queue, envelope)
        await ctx.deliveries.mark_amqp(delivery["_id"], target, "published" if confirmed else "refused")
        if not confirmed:
            _log.warning(
                "partner queue refused a message (full)",
                extra={"partner_id": partner["_id"], "event_id": envelope.id, "target": target},
            )


class PublishInFlight(RuntimeError):
    """Another handler of the same event is publishing to this partner now: retry later (the
    consumer's back-off), when it has either finished or its claim has expired."""


async def _claim(ctx: PartnersContext, delivery_id: str, target: str) -> bool:
    now = ctx.now()
    if await ctx.deliveries.claim_amqp(delivery_id, target, now, now + CLAIM):
        return True
    current = await ctx.deliveries.delivery(delivery_id)
    if current is not None and isinstance(current["amqp"].get(target), dict):
        raise PublishInFlight(f"{target} of delivery {delivery_id} is being published")
    return False


HANDLERS = {c.event_type: fan_out for c in all_contracts(Audience.PARTNER)}
