"""Job postings (用工信息) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``postings``: ``_id`` (``pst_…``),
``employer_organization_id``, ``origin_community_id`` (or ``None``), ``title``, ``category``,
``kind``, ``headcount``, ``hired``, ``skills`` (list of skill codes), ``requirements`` (text),
``place_organization_id`` and ``area_ids`` (the place, then its ancestors), ``pay_min`` /
``pay_max`` (yuan a month, or ``None``), ``status`` (draft, submitted, held, published, filled,
expired, withdrawn; also rejected), ``published_at``, ``expires_at``, ``version``.

Also kept: ``employer_area_ids`` / ``origin_area_ids`` (each organisation, then its ancestors, so one
query finds what a caller's scope covers), ``traineeship``, ``expires_on``, ``hold_reasons``,
``moderation_log``, ``closed_reason``. Readers' reports live in ``posting_reports``, one per
reader and posting (a unique key).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import (
    OUTBOX,
    PUBLIC_EXCLUSIONS,
    outbox_entries,
    versioned_update,
    with_outbox,
    with_outbox_push,
)
from qingchun_plumbing.problems import Conflict

POSTINGS = "postings"
REPORTS = "posting_reports"
INDEXES: list[IndexSpec] = [
    IndexSpec(POSTINGS, [("status", 1), ("_id", 1)], name="by_status"),
    IndexSpec(POSTINGS, [("area_ids", 1), ("_id", 1)], name="by_area"),
    IndexSpec(POSTINGS, [("employer_organization_id", 1), ("_id", 1)], name="by_employer"),
    IndexSpec(POSTINGS, [("status", 1), ("expires_at", 1)], name="due_to_expire"),
    IndexSpec(REPORTS, [("posting_id", 1), ("subject_id", 1)], name="one_report_per_reader", unique=True),
    IndexSpec(REPORTS, [("posting_id", 1), ("_id", 1)], name="reports_by_posting"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (POSTINGS,)


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class PostingStore:
    def __init__(self, db: Database) -> None:
        self._postings = db[POSTINGS]
        self._reports = db[REPORTS]

    async def insert(self, document: Document, events: Sequence[Envelope]) -> None:
        await self._postings.insert_one(with_outbox(document | {"version": 1}, events))

    async def posting(self, posting_id: str) -> Document | None:
        return await self._postings.find_one({"_id": posting_id}, PUBLIC_EXCLUSIONS)

    async def postings(self, ids: Sequence[str]) -> list[Document]:
        return await self._postings.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._postings.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope] = ()
    ) -> Document:
        return await versioned_update(self._postings, document, changes, events, "posting")

    async def due(self, now: datetime, statuses: Sequence[str]) -> list[Document]:
        query = {"status": {"$in": list(statuses)}, "expires_at": {"$lte": now}}
        return await self._postings.find(query, PUBLIC_EXCLUSIONS).to_list()

    async def of_employer(self, employer_id: str, statuses: Sequence[str]) -> list[Document]:
        query = {"employer_organization_id": employer_id, "status": {"$in": list(statuses)}}
        return await self._postings.find(query, PUBLIC_EXCLUSIONS).to_list()

    async def close_once(
        self,
        posting_id: str,
        statuses: Sequence[str],
        changes: dict[str, Any],
        event_id: str,
        events: Sequence[Envelope],
    ) -> bool:
        """Close an open posting for one incoming event; a redelivery of that event changes nothing."""
        filter_, update = apply_once(
            {"_id": posting_id, "status": {"$in": list(statuses)}},
            {"$set": changes, "$inc": {"version": 1}},
            event_id,
        )
        result = await self._postings.update_one(filter_, with_outbox_push(update, events))
        return result.modified_count == 1

    async def count_hire(
        self, posting_id: str, open_status: str, filled: dict[str, Any], closed: Envelope
    ) -> Document | None:
        """One write: one more hire and, if that fills an open posting, its ``filled`` fields and event.

        A pipeline update decides on the stored counts, so concurrent hires can neither both miss
        the last place nor both announce it.
        """
        fills = {
            "$and": [
                {"$eq": ["$status", open_status]},
                {"$gte": [{"$add": ["$hired", 1]}, "$headcount"]},
            ]
        }
        outbox = {"$ifNull": [f"${OUTBOX}", []]}
        stage: dict[str, Any] = {
            "hired": {"$add": ["$hired", 1]},
            "version": {"$add": ["$version", 1]},
            OUTBOX: {
                "$cond": [
                    fills,
                    {"$concatArrays": [outbox, [{"$literal": outbox_entries([closed])[0]}]]},
                    outbox,
                ]
            },
        }
        stage |= {
            field: {"$cond": [fills, {"$literal": value}, f"${field}"]} for field, value in filled.items()
        }
        return await self._postings.find_one_and_update(
            {"_id": posting_id},
            [{"$set": stage}],
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    # readers' reports ----------------------------------------------------------------------------
    async def add_report(self, report: Document) -> None:
        try:
            await self._reports.insert_one(report)
        except DuplicateKeyError:
            raise Conflict(
                "you have already reported this posting", field="posting_id", code="already_reported"
            ) from None

    async def count_reports(self, posting_id: str, since: datetime) -> int:
        return await self._reports.count_documents({"posting_id": posting_id, "created_at": {"$gte": since}})

    async def reports(self, posting_id: str, after: str | None, limit: int) -> list[Document]:
        cursor = self._reports.find(_page({"posting_id": posting_id}, after)).sort("_id", 1).limit(limit)
        return await cursor.to_list()
