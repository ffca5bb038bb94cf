"""REST API of a partner's deliveries: the delivery log, its dead letters, and redelivery. A city
admin over the partner calls it with a bearer token; the partner itself signs each request with its
webhook secret (``X-Qingchun-Signature`` over ``METHOD path?query\\n body``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_partners.app import deliveries
from qingchun_partners.app.commands import Redelivery
from qingchun_partners.domain.webhooks import WebhookStatus
from qingchun_partners.ports.api import Ctx, Cursor, Limit, PartnerOrAdmin
from qingchun_partners.ports.schemas import DeliveryOut, delivery_out
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page

router = APIRouter(prefix="/v1", tags=["deliveries"])
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {"webhook_status": WebhookStatus}


@router.get(
    "/partners/{partner_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="The delivery log: every event sent to the partner, by queue, stream and webhook",
)
async def list_deliveries(
    partner: PartnerOrAdmin,
    ctx: Ctx,
    status: Annotated[WebhookStatus | None, Query(description="Webhook state only")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DeliveryOut]:
    items, next_cursor = await deliveries.page(ctx, partner["_id"], status, cursor, limit)
    return Page(items=[delivery_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/partners/{partner_id}/dead-letters",
    response_model=Page[DeliveryOut],
    summary="Webhook deliveries that failed every attempt, oldest first",
)
async def list_dead_letters(
    partner: PartnerOrAdmin, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[DeliveryOut]:
    items, next_cursor = await deliveries.page(ctx, partner["_id"], WebhookStatus.DEAD, cursor, limit)
    return Page(items=[delivery_out(d) for d in items], next_cursor=next_cursor)


@router.post(
    "/partners/{partner_id}/dead-letters/{delivery_id}:redeliver",
    response_model=DeliveryOut,
    summary="Send a dead letter again (from a fresh attempt count); a delivered one is refused",
)
async def redeliver(
    partner: PartnerOrAdmin, delivery_id: str, ctx: Ctx, body: Redelivery | None = None
) -> DeliveryOut:
    return delivery_out(await deliveries.redeliver(ctx, partner, delivery_id))
