"""The registry's persistence: the only module that speaks MongoDB.

Every state change is one document write that also carries its events (the outbox), and
uses the document's ``version`` for optimistic concurrency, so two concurrent edits of the
same organisation cannot silently overwrite each other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox
from qingchun_plumbing.problems import Conflict

ORGANIZATIONS = "organizations"
AGREEMENTS = "agreements"
OUTBOX_COLLECTIONS = (ORGANIZATIONS, AGREEMENTS)

INDEXES = [
    IndexSpec(
        ORGANIZATIONS, [("parent_id", 1), ("name_key", 1)], name="unique_name_under_parent", unique=True
    ),
    IndexSpec(ORGANIZATIONS, [("name_key", 1)], name="name_prefix"),
    IndexSpec(ORGANIZATIONS, [("type", 1), ("_id", 1)], name="by_type"),
    IndexSpec(ORGANIZATIONS, [("area_levels", 1), ("_id", 1)], name="by_area"),
    IndexSpec(ORGANIZATIONS, [("community.stage", 1), ("_id", 1)], name="by_stage", sparse=True),
    IndexSpec(ORGANIZATIONS, [("branch.term.end", 1)], name="by_term_end", sparse=True),
    IndexSpec(AGREEMENTS, [("party_ids", 1), ("_id", 1)], name="by_party"),
    IndexSpec(AGREEMENTS, [("type", 1), ("status", 1), ("_id", 1)], name="by_type_status"),
]


def prefix_pattern(key: str) -> dict[str, str]:
    return {"$regex": f"^{re.escape(key)}"}


def _duplicate_name() -> Conflict:
    return Conflict(
        "an organisation with this name already exists under the same parent",
        field="name",
        code="duplicate_name",
    )


class RegistryStore:
    def __init__(self, db: Database) -> None:
        self._orgs = db[ORGANIZATIONS]
        self._agreements = db[AGREEMENTS]

    # organisations -------------------------------------------------------------------
    async def insert_organization(self, document: Document, events: Sequence[Envelope]) -> None:
        try:
            await self._orgs.insert_one(with_outbox(document | {"version": 1}, events))
        except DuplicateKeyError:
            raise _duplicate_name() from None

    async def organization(self, org_id: str) -> Document | None:
        return await self._orgs.find_one({"_id": org_id}, PUBLIC_EXCLUSIONS)

    async def organizations(self, ids: Sequence[str]) -> list[Document]:
        return await self._orgs.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def update_organization(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        """Apply ``changes`` if nobody changed the organisation since it was read; returns the new state."""
        try:
            return await versioned_update(self._orgs, document, changes, events, "organisation")
        except DuplicateKeyError:
            raise _duplicate_name() from None

    async def find_organizations(
        self, query: dict[str, Any], after: str | None, limit: int
    ) -> list[Document]:
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        cursor = self._orgs.find(query, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def parent_of(self, org_id: str) -> str | None:
        document = await self._orgs.find_one({"_id": org_id}, {"parent_id": 1})
        return document.get("parent_id") if document else None

    async def ancestor_ids(self, org_id: str, max_depth: int = 32) -> list[str]:
        """Ids from the parent up to the root (walking parents keeps it right after any move)."""
        chain: list[str] = []
        current = await self.parent_of(org_id)
        while current is not None and len(chain) < max_depth:
            chain.append(current)
            current = await self.parent_of(current)
        return chain

    async def descendant_ids(self, org_id: str, max_depth: int = 32) -> list[str]:
        """Every id below an organisation, level by level (one indexed query per level)."""
        found: list[str] = []
        frontier = [org_id]
        for _ in range(max_depth):
            children = await self._orgs.find({"parent_id": {"$in": frontier}}, {"_id": 1}).to_list()
            frontier = [c["_id"] for c in children]
            if not frontier:
                break
            found += frontier
        return found

    async def has_active_children(self, org_id: str) -> bool:
        return await self._orgs.find_one({"parent_id": org_id, "status": "active"}, {"_id": 1}) is not None

    async def branches_with_terms(self) -> list[Document]:
        return await self._orgs.find(
            {"branch.term": {"$exists": True}, "status": "active"}, PUBLIC_EXCLUSIONS
        ).to_list()

    # agreements ----------------------------------------------------------------------
    async def insert_agreement(self, document: Document, events: Sequence[Envelope]) -> None:
        await self._agreements.insert_one(with_outbox(document | {"version": 1}, events))

    async def agreement(self, agreement_id: str) -> Document | None:
        return await self._agreements.find_one({"_id": agreement_id}, PUBLIC_EXCLUSIONS)

    async def agreements(self, ids: Sequence[str]) -> list[Document]:
        return await self._agreements.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def update_agreement(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._agreements, document, changes, events, "agreement")

    async def find_agreements(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        return await self._agreements.find(query, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit).to_list()
