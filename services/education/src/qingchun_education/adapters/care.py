"""The restricted care files (帮教档案) and their audit trail in MongoDB.

A case's visits and escalations live inside its document, so each is one versioned write with
the case's new state and its events; lists and the statistics never load them. The audit trail
is its own collection: a refused attempt writes there and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ReturnDocument

from qingchun_contracts import Envelope
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox
from qingchun_plumbing.problems import StaleWrite

CASES = "care_cases"
AUDIT = "care_audit"
OUTBOX_COLLECTIONS: tuple[str, ...] = (CASES,)
INDEXES: list[IndexSpec] = [
    IndexSpec(CASES, [("jurisdiction_chain", 1), ("_id", 1)], name="by_jurisdiction"),
    IndexSpec(CASES, [("helpers.subject_id", 1), ("_id", 1)], name="by_helper"),
    IndexSpec(AUDIT, [("case_id", 1), ("_id", 1)], name="by_case"),
    IndexSpec(AUDIT, [("subject", 1), ("_id", 1)], name="by_subject"),
]
SUMMARY = PUBLIC_EXCLUSIONS | {"visits": 0}
"""Projection of reads: the case without its visit log (served page by page)."""
FACTS = {"status": 1, "outcome": 1, "reoffended": 1, "categories": 1}


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


def _versioned(update: dict[str, Any]) -> dict[str, Any]:
    return update | {"$inc": {**update.get("$inc", {}), "version": 1}}


class CareStore:
    def __init__(self, db: Database) -> None:
        self._cases = db[CASES]
        self._audit = db[AUDIT]

    async def audit(self, entry: Document) -> None:
        """Who touched which case, doing what, allowed or refused; never the file's content."""
        await self._audit.insert_one(entry)

    async def audit_page(self, case_id: str, after: str | None, limit: int) -> list[Document]:
        cursor = self._audit.find(_page({"case_id": case_id}, after)).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def insert(self, document: Document, events: Sequence[Envelope]) -> None:
        await self._cases.insert_one(with_outbox(document | {"version": 1}, events))

    async def case(self, case_id: str) -> Document | None:
        return await self._cases.find_one({"_id": case_id}, SUMMARY)

    async def visits(self, case_id: str) -> list[Document]:
        found = await self._cases.find_one({"_id": case_id}, {"visits": 1})
        return list(found["visits"]) if found else []

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._cases.find(_page(query, after), SUMMARY).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def helps_any(self, subject: str) -> bool:
        return await self._cases.find_one({"helpers.subject_id": subject}, {"_id": 1}) is not None

    async def facts(self, organization_id: str) -> list[Document]:
        """Status, outcome, flag and category codes of every case at or below an organisation."""
        return await self._cases.find({"jurisdiction_chain": organization_id}, FACTS).to_list()

    async def update(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope] = ()
    ) -> Document:
        return await versioned_update(self._cases, document, changes, events, "care case")

    async def change(self, document: Document, update: dict[str, Any]) -> Document:
        """A versioned write of any update operators (add to a log, a set, pull from one)."""
        result = await self._cases.find_one_and_update(
            {"_id": document["_id"], "version": document["version"]},
            _versioned(update),
            projection=SUMMARY,
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise StaleWrite("the care case changed while this request was applied; read it and retry")
        return result

    async def apply_event(
        self, case_id: str, guard: dict[str, Any], update: dict[str, Any], event_id: str
    ) -> bool:
        """An effect of another service's event, applied at most once; False when nothing changed."""
        filter_, guarded = apply_once({"_id": case_id, **guard}, _versioned(update), event_id)
        result = await self._cases.update_one(filter_, guarded)
        return result.modified_count == 1
