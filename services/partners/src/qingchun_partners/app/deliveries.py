"""Webhook delivery: due deliveries are POSTed signed, failures retried with exponential back-off,
and after the last attempt kept as dead letters that the partner (or an admin) can redeliver.

A delivery acknowledged with a 2xx is never sent again: its state is ``delivered``, redelivery
refuses it, and the same event arriving again finds its one delivery document unchanged. Each
attempt is leased, so two workers never send one delivery at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from qingchun_contracts.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, sign
from qingchun_partners.adapters.webhooks import Answer
from qingchun_partners.app.context import PartnersContext
from qingchun_partners.domain.subscriptions import PartnerStatus
from qingchun_partners.domain.webhooks import (
    WebhookStatus,
    after_attempt,
    backoff_seconds,
    check_addresses,
    webhook_host,
)
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, NotFound
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.service import PeriodicJob

ROUND = 100
"""Deliveries one round sends at most, so a large backlog cannot starve the schedule."""


async def _send(ctx: PartnersContext, partner: Document, delivery: Document) -> Answer:
    url = partner["webhook"]["url"]
    allow = ctx.settings.allow_private_webhook_hosts
    try:  # checked again at every send: a host may resolve elsewhere than it did at registration
        check_addresses(await ctx.webhooks.resolve(webhook_host(url, allow)), allow)
    except DomainError as refused:
        return Answer(None, refused.code)
    secret = await ctx.partners.secret(partner["_id"]) or ""
    body = delivery["body"].encode()
    headers = {
        "Content-Type": "application/cloudevents+json",
        SIGNATURE_HEADER: sign(secret, body, int(ctx.now().timestamp())),
        DELIVERY_HEADER: delivery["_id"],
    }
    return await ctx.webhooks.post(url, body, headers)


async def attempt(ctx: PartnersContext, partner: Document, delivery: Document) -> WebhookStatus:
    answer = await _send(ctx, partner, delivery)
    settings, now = ctx.settings, ctx.now()
    attempts = int(delivery["webhook"]["attempts"]) + 1
    status = after_attempt(attempts, answer.ok, settings.webhook_max_attempts)
    changes: dict[str, Any] = {"status": status.value}
    if status is WebhookStatus.PENDING:
        wait = backoff_seconds(
            attempts, settings.webhook_backoff_seconds, settings.webhook_backoff_cap_seconds
        )
        changes["next_attempt_at"] = now + timedelta(seconds=wait)
    elif status is WebhookStatus.DELIVERED:
        changes["delivered_at"] = now
    else:
        changes["dead_at"] = now
    entry = {
        "attempt": attempts,
        "at": now,
        "status_code": answer.status,
        "error": answer.error,
        "ok": answer.ok,
    }
    await ctx.deliveries.record_attempt(delivery["_id"], entry, changes)
    return status


async def send_due(ctx: PartnersContext) -> int:
    """One round: every due delivery (at most :data:`ROUND`); returns how many were attempted."""
    sent = 0
    while sent < ROUND:
        now = ctx.now()
        lease = now + timedelta(seconds=ctx.settings.webhook_timeout_seconds * 3)
        delivery = await ctx.deliveries.claim_due(now, lease)
        if delivery is None:
            break
        partner = await ctx.partners.partner(delivery["partner_id"])
        if partner is None or partner["status"] != PartnerStatus.ACTIVE.value or "webhook" not in partner:
            await ctx.deliveries.cancel(delivery["_id"])
            continue
        await attempt(ctx, partner, delivery)
        sent += 1
    return sent


def jobs(ctx: PartnersContext) -> list[PeriodicJob]:
    async def run() -> int:
        return await send_due(ctx)

    return [PeriodicJob("partners-webhooks", ctx.settings.webhook_poll_seconds, run)]


async def page(
    ctx: PartnersContext,
    partner_id: str,
    status: WebhookStatus | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """The partner's delivery log (every channel), or only the deliveries in one webhook state."""
    query: dict[str, Any] = {"partner_id": partner_id}
    if status is not None:
        query["webhook.status"] = status.value
    return split_page(await ctx.deliveries.find(query, cursor_after(cursor), limit + 1), limit)


async def redeliver(ctx: PartnersContext, partner: Document, delivery_id: str) -> Document:
    """A dead letter back to pending; it is sent at the next round from a fresh attempt count."""
    if partner["status"] != PartnerStatus.ACTIVE.value:
        raise Conflict("the partner is deregistered", field="partner_id", code="partner_deregistered")
    found = await ctx.deliveries.delivery(delivery_id)
    if found is None or found["partner_id"] != partner["_id"]:
        raise NotFound("this partner has no delivery with this id", field="delivery_id")
    requeued = await ctx.deliveries.requeue_dead(delivery_id, ctx.now())
    if requeued is None:
        state = (found.get("webhook") or {}).get("status", "amqp only")
        raise Conflict(
            f"only a dead letter can be redelivered; this delivery is {state}",
            field="delivery_id",
            code="not_a_dead_letter",
        )
    return requeued
