"""Submitted monthly reports in MongoDB: one document per community and month, frozen.

The unique index on (community, month) is what freezes a month: of two submissions racing for
the same month exactly one insert wins, and the report with its event is one document write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, with_outbox
from qingchun_plumbing.problems import Conflict

MONTHLY_REPORTS = "monthly_reports"
OUTBOX_COLLECTIONS = (MONTHLY_REPORTS,)
INDEXES = [
    IndexSpec(MONTHLY_REPORTS, [("community_id", 1), ("month", 1)], name="one_report_per_month", unique=True),
    IndexSpec(MONTHLY_REPORTS, [("area_ids", 1), ("month", 1), ("_id", 1)], name="by_area_month"),
]


def already_submitted() -> Conflict:
    return Conflict(
        "this community's report for this month was already submitted and is frozen",
        field="month",
        code="report_already_submitted",
    )


class MonthlyReportStore:
    def __init__(self, db: Database) -> None:
        self._reports = db[MONTHLY_REPORTS]

    async def insert(self, document: Document, events: Sequence[Envelope]) -> None:
        try:
            await self._reports.insert_one(with_outbox(document | {"version": 1}, events))
        except DuplicateKeyError:
            raise already_submitted() from None

    async def report(self, report_id: str) -> Document | None:
        return await self._reports.find_one({"_id": report_id}, PUBLIC_EXCLUSIONS)

    async def of_month(self, community_id: str, month: str) -> Document | None:
        return await self._reports.find_one({"community_id": community_id, "month": month}, {"_id": 1})

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        return await self._reports.find(query, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit).to_list()

    async def submitted_communities(self, community_ids: Sequence[str], month: str) -> set[str]:
        found = self._reports.find(
            {"community_id": {"$in": list(community_ids)}, "month": month}, {"community_id": 1}
        )
        return {d["community_id"] async for d in found}
