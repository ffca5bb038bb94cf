"""Pairings (结对): the only code that stores them.

A pairing's visits and reviews live inside its document, so logging a visit or a review is
one write together with its event and the counters that lists show. Lists never load those
arrays: they hold care data, read only through the pairing's own detail endpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ReturnDocument

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox_push
from qingchun_plumbing.problems import StaleWrite

PAIRINGS = "pairings"
PAIRING_ACCESS = "pairing_access_log"
OUTBOX_COLLECTIONS: tuple[str, ...] = (PAIRINGS,)
INDEXES: list[IndexSpec] = [
    IndexSpec(PAIRINGS, [("host_organization_id", 1), ("_id", 1)], name="by_host"),
    IndexSpec(PAIRINGS, [("helper_subject_ids", 1), ("_id", 1)], name="by_helper"),
    IndexSpec(PAIRINGS, [("host_organization_id", 1), ("next_review_due", 1)], name="review_due_by_host"),
    IndexSpec(PAIRING_ACCESS, [("pairing_id", 1), ("at", 1)], name="by_pairing"),
    IndexSpec(PAIRING_ACCESS, [("subject", 1), ("at", 1)], name="by_subject"),
]
SUMMARY = PUBLIC_EXCLUSIONS | {"visits": 0, "reviews": 0}
"""Projection of lists: the pairing without its visit notes and review summaries."""


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class PairingStore:
    def __init__(self, db: Database) -> None:
        self._pairings = db[PAIRINGS]
        self._access = db[PAIRING_ACCESS]

    async def audit(self, entry: Document) -> None:
        """Who touched a care case, doing what, allowed or refused (DESIGN.md §4); never its content."""
        await self._access.insert_one(entry)

    async def access_log(self, pairing_id: str) -> list[Document]:
        return await self._access.find({"pairing_id": pairing_id}, {"_id": 0}).sort("at", 1).to_list()

    async def insert(self, document: Document) -> None:
        await self._pairings.insert_one(document | {"version": 1})

    async def pairing(self, pairing_id: str, *, with_log: bool = False) -> Document | None:
        return await self._pairings.find_one({"_id": pairing_id}, PUBLIC_EXCLUSIONS if with_log else SUMMARY)

    async def pairings(self, ids: Sequence[str]) -> list[Document]:
        return await self._pairings.find({"_id": {"$in": list(ids)}}, SUMMARY).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._pairings.find(_page(query, after), SUMMARY).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        updated = await versioned_update(self._pairings, document, changes, events, "pairing")
        return {k: v for k, v in updated.items() if k not in ("visits", "reviews")}

    async def append(
        self,
        document: Document,
        array: str,
        entry: Document,
        changes: dict[str, Any],
        events: Sequence[Envelope],
    ) -> Document:
        """Add a visit or a review with the pairing's new state and its event, in one versioned write."""
        update = {"$set": changes, "$push": {array: entry}, "$inc": {"version": 1}}
        result = await self._pairings.find_one_and_update(
            {"_id": document["_id"], "version": document["version"]},
            with_outbox_push(update, events),
            projection=SUMMARY,
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise StaleWrite("the pairing changed while this request was applied; read it and retry")
        return result
