"""Deliveries in MongoDB: one document per partner × event, so a redelivered event changes nothing.

Shape of ``deliveries``: ``_id`` (``dlv_…``, time-ordered), ``partner_id`` and ``event_id`` (unique
together), ``event_id``,
``event_type``, ``body`` (the CloudEvents JSON exactly as sent and signed), ``created_at``, ``amqp``
(``{"queue": state, "stream": state}``, state ``published`` or ``refused``, or a claim
``{"state": "publishing", "until"}`` while one handler publishes), ``webhook`` (``status``,
``attempts``, ``next_attempt_at``, ``lease_until``, ``log``: every attempt with its time, HTTP
status or error, ``delivered_at``, ``dead_at``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_partners.domain.webhooks import WebhookStatus
from qingchun_plumbing.mongo import Database, Document, IndexSpec

DELIVERIES = "deliveries"
SEEN_SIGNATURES = "seen_signatures"
MAX_LOG = 30
INDEXES = [
    IndexSpec(DELIVERIES, [("partner_id", 1), ("event_id", 1)], name="one_delivery_per_event", unique=True),
    IndexSpec(DELIVERIES, [("partner_id", 1), ("_id", 1)], name="deliveries_by_partner"),
    IndexSpec(DELIVERIES, [("partner_id", 1), ("webhook.status", 1), ("_id", 1)], name="dead_letters"),
    IndexSpec(DELIVERIES, [("webhook.status", 1), ("webhook.next_attempt_at", 1)], name="due_webhooks"),
    IndexSpec(SEEN_SIGNATURES, [("seen_at", 1)], name="signatures_expiry", expire_after_seconds=3600),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class DeliveryStore:
    def __init__(self, db: Database) -> None:
        self._deliveries = db[DELIVERIES]
        self._seen = db[SEEN_SIGNATURES]

    async def open(self, document: Document) -> Document:
        """The delivery of this partner × event: created once, then found as it is (the unique index
        settles two deliveries of one event racing each other)."""
        key = {"partner_id": document["partner_id"], "event_id": document["event_id"]}
        try:
            found = await self._deliveries.find_one_and_update(
                key, {"$setOnInsert": document}, upsert=True, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError:
            found = await self._deliveries.find_one(key)
        assert found is not None
        return found

    async def claim_amqp(self, key: str, target: str, now: datetime, until: datetime) -> bool:
        """Whether this handler may publish to ``target`` now: nobody did, and nobody is doing it
        (a claim whose holder died expires at ``until``)."""
        slot = f"amqp.{target}"
        result = await self._deliveries.update_one(
            {
                "_id": key,
                "$or": [
                    {slot: {"$exists": False}},
                    {f"{slot}.state": "publishing", f"{slot}.until": {"$lt": now}},
                ],
            },
            {"$set": {slot: {"state": "publishing", "until": until}}},
        )
        return result.modified_count == 1

    async def mark_amqp(self, key: str, target: str, state: str) -> None:
        await self._deliveries.update_one({"_id": key}, {"$set": {f"amqp.{target}": state}})

    async def delivery(self, key: str) -> Document | None:
        return await self._deliveries.find_one({"_id": key})

    async def claim_due(self, now: datetime, lease_until: datetime) -> Document | None:
        """One pending webhook delivery whose time has come, leased so no other worker sends it."""
        return await self._deliveries.find_one_and_update(
            {
                "webhook.status": WebhookStatus.PENDING.value,
                "webhook.next_attempt_at": {"$lte": now},
                "$or": [{"webhook.lease_until": None}, {"webhook.lease_until": {"$lt": now}}],
            },
            {"$set": {"webhook.lease_until": lease_until}},
            sort=[("webhook.next_attempt_at", 1)],
            return_document=ReturnDocument.AFTER,
        )

    async def record_attempt(self, key: str, entry: Document, changes: dict[str, Any]) -> None:
        """Log one attempt and set the delivery's next state, releasing the lease."""
        await self._deliveries.update_one(
            {"_id": key},
            {
                "$set": {f"webhook.{k}": v for k, v in changes.items()} | {"webhook.lease_until": None},
                "$inc": {"webhook.attempts": 1},
                "$push": {"webhook.log": {"$each": [entry], "$slice": -MAX_LOG}},
            },
        )

    async def cancel(self, key: str) -> None:
        await self._deliveries.update_one(
            {"_id": key},
            {"$set": {"webhook.status": WebhookStatus.CANCELLED.value, "webhook.lease_until": None}},
        )

    async def requeue_dead(self, key: str, now: datetime) -> Document | None:
        """A dead letter back to pending, from a fresh attempt count; None if it is not dead (any more)."""
        return await self._deliveries.find_one_and_update(
            {"_id": key, "webhook.status": WebhookStatus.DEAD.value},
            {
                "$set": {
                    "webhook.status": WebhookStatus.PENDING.value,
                    "webhook.attempts": 0,
                    "webhook.next_attempt_at": now,
                    "webhook.lease_until": None,
                    "webhook.redelivery_requested_at": now,
                }
            },
            return_document=ReturnDocument.AFTER,
        )

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        return await self._deliveries.find(query, {"body": 0}).sort("_id", 1).limit(limit).to_list()

    async def first_use(self, signature: str, now: datetime) -> bool:
        """Whether a request signature is seen for the first time (a replayed one is refused)."""
        result = await self._seen.update_one(
            {"_id": signature}, {"$setOnInsert": {"seen_at": now}}, upsert=True
        )
        return result.upserted_id is not None
