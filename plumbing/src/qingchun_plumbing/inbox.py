"""Idempotent consumption: each event id is applied once per consuming service.

The inbox records handled event ids. A handler's own writes should also be idempotent,
because a crash between the handler's write and the inbox record means the event is
delivered again: :func:`apply_once` makes a single-document effect and its "applied" mark
one write, so the second delivery finds nothing to change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, IndexSpec

INBOX = "_inbox"
APPLIED = "_applied_events"
_KEEP_APPLIED = 100
INBOX_RETENTION_SECONDS = 30 * 24 * 3600

INBOX_INDEXES = [
    IndexSpec(INBOX, [("handled_at", 1)], name="inbox_expiry", expire_after_seconds=INBOX_RETENTION_SECONDS)
]


class Inbox:
    """Which events this service has already handled."""

    def __init__(self, db: Database) -> None:
        self._collection = db[INBOX]

    async def seen(self, event_id: str) -> bool:
        return await self._collection.find_one({"_id": event_id}, {"_id": 1}) is not None

    async def record(self, envelope: Envelope) -> None:
        await self._collection.update_one(
            {"_id": envelope.id},
            {"$setOnInsert": {"type": envelope.type, "handled_at": datetime.now(UTC)}},
            upsert=True,
        )


def apply_once(
    filter_: dict[str, Any], update: dict[str, Any], event_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Guard a single-document update so that one event applies it at most once."""
    guarded = {**filter_, APPLIED: {"$ne": event_id}}
    push = dict(update.get("$push", {}))
    push[APPLIED] = {"$each": [event_id], "$slice": -_KEEP_APPLIED}
    return guarded, {**update, "$push": push}
