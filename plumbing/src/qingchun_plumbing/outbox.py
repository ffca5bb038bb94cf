"""The transactional outbox, without multi-document transactions.

A state change and the events it causes are written in ONE document write: the events ride
in the changed document's ``_outbox`` array. A relay publishes each pending event with
publisher confirms and only then removes it, so a crash between "saved" and "published"
loses nothing (the event is published after restart) and may at worst publish twice
(consumers deduplicate by event id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry.trace import SpanKind
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from qingchun_contracts import Envelope
from qingchun_plumbing.metrics import OUTBOX_FAILURES, OUTBOX_PUBLISHED
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.problems import StaleWrite
from qingchun_plumbing.tracing import span

OUTBOX = "_outbox"
LEASE = "_outbox_lease"
_log = logging.getLogger("qingchun.outbox")

Publish = Callable[[Envelope], Awaitable[None]]


def outbox_entries(envelopes: Sequence[Envelope]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in envelopes]


def with_outbox(document: Document, envelopes: Sequence[Envelope]) -> Document:
    """A new document that carries its creation events."""
    return {**document, OUTBOX: outbox_entries(envelopes)}


def with_outbox_push(update: dict[str, Any], envelopes: Sequence[Envelope]) -> dict[str, Any]:
    """An update that also appends events to the document's outbox."""
    if not envelopes:
        return update
    push = dict(update.get("$push", {}))
    push[OUTBOX] = {"$each": outbox_entries(envelopes)}
    return {**update, "$push": push}


def outbox_indexes(collections: Sequence[str]) -> list[IndexSpec]:
    return [IndexSpec(c, [(f"{OUTBOX}.id", 1)], name="outbox_pending", sparse=True) for c in collections]


PUBLIC_EXCLUSIONS = {OUTBOX: 0, LEASE: 0, "_applied_events": 0}
"""Projection that hides the plumbing fields from every read."""


async def versioned_update(
    collection: AsyncCollection[Document],
    document: Document,
    changes: dict[str, Any],
    events: Sequence[Envelope],
    what: str,
) -> Document:
    """One write: changes, version bump and events, only if nobody wrote since ``document`` was read."""
    update = {"$set": changes | {"updated_at": datetime.now(UTC)}, "$inc": {"version": 1}}
    result = await collection.find_one_and_update(
        {"_id": document["_id"], "version": document["version"]},
        with_outbox_push(update, events),
        projection=PUBLIC_EXCLUSIONS,
        return_document=ReturnDocument.AFTER,
    )
    if result is None:
        raise StaleWrite(f"the {what} changed while this request was applied; read it and retry")
    return result


class OutboxRelay:
    """Drains the outboxes of the given collections onto the bus."""

    def __init__(
        self,
        db: Database,
        collections: Sequence[str],
        publish: Publish,
        *,
        poll_seconds: float = 1.0,
        lease: timedelta = timedelta(seconds=30),
        service: str = "outbox",
    ) -> None:
        self._db = db
        self._service = service
        self._collections = list(collections)
        self._publish = publish
        self._poll_seconds = poll_seconds
        self._lease = lease
        self._wake = asyncio.Event()

    def notify(self) -> None:
        """Tell the relay a write added events, so it publishes now rather than at the next poll."""
        self._wake.set()

    async def _claim(self, collection: str) -> Document | None:
        # A lease lets several replicas drain concurrently without publishing the same
        # document's events at the same time; an expired lease is taken over.
        now = datetime.now(UTC)
        return await self._db[collection].find_one_and_update(
            {f"{OUTBOX}.0": {"$exists": True}, "$or": [{LEASE: {"$exists": False}}, {LEASE: {"$lt": now}}]},
            {"$set": {LEASE: now + self._lease}},
            projection={OUTBOX: 1},
            return_document=ReturnDocument.AFTER,
        )

    async def drain_once(self) -> int:
        """Publish everything pending now; returns the number of events published."""
        published = 0
        for name in self._collections:
            collection = self._db[name]
            while (document := await self._claim(name)) is not None:
                try:
                    for raw in document[OUTBOX]:
                        envelope = Envelope.model_validate(raw)
                        await self._publish_traced(envelope)
                        await collection.update_one(
                            {"_id": document["_id"]}, {"$pull": {OUTBOX: {"id": envelope.id}}}
                        )
                        published += 1
                finally:
                    # released on failure too, so the next round (not the lease's expiry) retries it;
                    # if the store itself is down this fails as well and the lease runs out instead
                    with contextlib.suppress(Exception):
                        await collection.update_one({"_id": document["_id"]}, {"$unset": {LEASE: ""}})
        return published

    async def _publish_traced(self, envelope: Envelope) -> None:
        """Publish under a producer span, child of the span in which the event was made."""
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.destination.name": envelope.routing_key,
            "messaging.message.id": envelope.id,
        }
        with span(
            self._service, f"publish {envelope.type}", SpanKind.PRODUCER, envelope.traceparent, attributes
        ):
            await self._publish(envelope)
        OUTBOX_PUBLISHED.labels(self._service).inc()

    async def backlog(self) -> tuple[int, datetime | None]:
        """How many events wait, and the time of the oldest one."""
        count, oldest = 0, None
        for name in self._collections:
            async for document in self._db[name].find({f"{OUTBOX}.0": {"$exists": True}}, {OUTBOX: 1}):
                for raw in document[OUTBOX]:
                    count += 1
                    when = datetime.fromisoformat(raw["time"])
                    oldest = when if oldest is None or when < oldest else oldest
        return count, oldest

    async def run(self) -> None:
        """Drain on every notification and at least every poll interval, until cancelled."""
        while True:
            self._wake.clear()
            try:
                await self.drain_once()
            except Exception as exc:  # a broker or store outage: log and retry at the next poll
                OUTBOX_FAILURES.labels(self._service).inc()
                _log.warning("outbox drain failed; will retry", extra={"error_type": type(exc).__name__})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
