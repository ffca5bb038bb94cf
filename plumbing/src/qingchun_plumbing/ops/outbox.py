"""A service's outbox as operations sees it: what waits to be published, and a drain on demand.

The outbox collections are found from the store itself (those carrying the ``outbox_pending`` index
that every service declares for them), so the command needs nothing from the service's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qingchun_plumbing.bus import Bus
from qingchun_plumbing.mongo import Database
from qingchun_plumbing.outbox import LEASE, OUTBOX, OutboxRelay

OUTBOX_INDEX = "outbox_pending"


@dataclass(frozen=True)
class Pending:
    collection: str
    document_id: str
    event_id: str
    type: str
    time: str
    leased_until: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "document_id": self.document_id,
            "event_id": self.event_id,
            "type": self.type,
            "time": self.time,
            "leased_until": self.leased_until.isoformat() if self.leased_until else None,
        }


async def outbox_collections(db: Database) -> list[str]:
    found = []
    for name in sorted(await db.list_collection_names()):
        indexes = await (await db[name].list_indexes()).to_list()
        if any(index["name"] == OUTBOX_INDEX for index in indexes):
            found.append(name)
    return found


async def show_outbox(db: Database, limit: int = 1000) -> list[Pending]:
    """The pending events, oldest document first per collection; never their data."""
    pending: list[Pending] = []
    for name in await outbox_collections(db):
        cursor = db[name].find({f"{OUTBOX}.0": {"$exists": True}}, {OUTBOX: 1, LEASE: 1})
        async for document in cursor:
            for raw in document[OUTBOX]:
                lease = document.get(LEASE)
                pending.append(
                    Pending(name, str(document["_id"]), raw["id"], raw["type"], raw["time"], lease)
                )
                if len(pending) >= limit:
                    return pending
    return pending


async def drain_outbox(db: Database, bus: Bus, service: str) -> int:
    """Publish everything pending now, as the service's relay would (same leases, so it is safe
    while the service runs); returns how many events were published."""
    relay = OutboxRelay(db, await outbox_collections(db), bus.publish, service=service)
    return await relay.drain_once()
