"""Partners in MongoDB.

Shape of ``partners``: ``_id`` (``ptn_…``), ``name``, ``event_types``, ``filters``
(``{"district_id", "organization_ids"}``), ``roots`` (the filter's subtree roots, for matching),
``delivery`` (``["amqp", "webhook"]``), ``amqp`` (``{"username", "queue", "stream"}``), ``webhook``
(``{"url", "verified_at"}``), ``webhook_secret`` (never read out by the API but at creation and
rotation), ``status``, ``created_by``, ``created_at``, ``credentials_rotated_at``, ``version``.
No AMQP password is kept: the broker holds it, and the partner got it once.
"""

from __future__ import annotations

from typing import Any

from qingchun_partners.domain.subscriptions import PartnerStatus
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import versioned_update

PARTNERS = "partners"
INDEXES = [
    IndexSpec(PARTNERS, [("status", 1), ("event_types", 1)], name="partners_by_event_type"),
    IndexSpec(PARTNERS, [("status", 1), ("_id", 1)], name="partners_by_status"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
SECRET_FIELDS = {"webhook_secret": 0}


class PartnerStore:
    def __init__(self, db: Database) -> None:
        self._partners = db[PARTNERS]

    async def insert(self, document: Document) -> None:
        await self._partners.insert_one(document | {"version": 1})

    async def partner(self, partner_id: str) -> Document | None:
        return await self._partners.find_one({"_id": partner_id}, SECRET_FIELDS)

    async def secret(self, partner_id: str) -> str | None:
        """The webhook secret, for signing and checking signatures only."""
        found = await self._partners.find_one({"_id": partner_id}, {"webhook_secret": 1})
        return None if found is None else found.get("webhook_secret")

    async def subscribed(self, event_type: str) -> list[Document]:
        """Active partners that receive this event type."""
        query = {"status": PartnerStatus.ACTIVE.value, "event_types": event_type}
        return await self._partners.find(query, SECRET_FIELDS).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        return await self._partners.find(query, SECRET_FIELDS).sort("_id", 1).limit(limit).to_list()

    async def update(self, document: Document, changes: dict[str, Any]) -> Document:
        updated = await versioned_update(self._partners, document, changes, [], "partner")
        updated.pop("webhook_secret", None)
        return updated
