"""Ventures (创业项目), entrepreneur-star nominations and microloans (小额担保贷款) in MongoDB.

Shapes: ``ventures``: ``_id`` (``ven_…``), ``founder_seeker_id``, ``founder_subject_id``, ``name``,
``kind``, ``sector``, ``street_organization_id`` and ``area_ids`` (the street, then its ancestors),
``incubator_organization_id``, ``started_on`` (ISO date), ``jobs_created`` (the latest figure),
``jobs_history`` (``[{"on", "jobs"}]``, date order), ``community_organization_id`` (or ``None``),
``founder_recorded`` (false from the registration until the founder is marked as having started a
business; absent on ventures older than the flag, which were done in the same request), ``version``.

``loans``: ``_id`` (``lon_…``), ``applicant_seeker_id``, ``applicant_subject_id``,
``community_organization_id`` and ``area_ids`` (the applicant's community chain: whose staff handle
it), ``street_organization_id`` and ``street_area_ids`` (where the 创业报表 counts it),
``venture_id``, ``purpose``, ``amount_yuan`` (applied), ``approved_amount_yuan``, ``term_months``,
``guarantee``, ``subsidised_interest``, ``status``, ``history`` (``[{"status", "at", "on", "by"}]``:
entered at, happened on), ``applied_on`` and ``approved_on`` (ISO dates: the days those steps
happened, before ``created_at``/``approved_at`` for a loan entered after the fact), ``approved_at``,
``disbursed_on`` (ISO date), ``repayments`` (``[{"id", "amount_yuan", "paid_on", "recorded_by",
"recorded_at"}]``), ``repaid_yuan``, ``version``. Each status change and its event
are one versioned write.

``nominations``: ``_id`` (``nom_…``), ``venture_id``, ``year`` (unique together), ``reason``,
``status``, ``street_organization_id``, ``area_ids``, ``nominated_by``, ``nominated_at``,
``decided_by``, ``decided_at``, ``version``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox
from qingchun_plumbing.problems import Conflict

VENTURES = "ventures"
LOANS = "loans"
NOMINATIONS = "nominations"
INDEXES: list[IndexSpec] = [
    IndexSpec(VENTURES, [("area_ids", 1), ("_id", 1)], name="ventures_by_area"),
    IndexSpec(VENTURES, [("street_organization_id", 1), ("started_on", 1)], name="ventures_by_street"),
    IndexSpec(
        VENTURES,
        [("founder_recorded", 1)],
        name="founders_to_follow_up",
        partial={"founder_recorded": False},
    ),
    IndexSpec(LOANS, [("area_ids", 1), ("_id", 1)], name="loans_by_area"),
    IndexSpec(LOANS, [("applicant_subject_id", 1), ("_id", 1)], name="loans_by_applicant"),
    IndexSpec(LOANS, [("street_organization_id", 1), ("created_at", 1)], name="loans_by_street"),
    IndexSpec(LOANS, [("street_area_ids", 1)], name="loans_by_street_area"),
    IndexSpec(NOMINATIONS, [("venture_id", 1), ("year", 1)], name="one_nomination_per_year", unique=True),
    IndexSpec(NOMINATIONS, [("area_ids", 1), ("year", 1), ("_id", 1)], name="nominations_by_area"),
    IndexSpec(
        NOMINATIONS, [("street_organization_id", 1), ("nominated_at", 1)], name="nominations_by_street"
    ),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (VENTURES, LOANS)


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class VentureStore:
    def __init__(self, db: Database) -> None:
        self._ventures = db[VENTURES]
        self._loans = db[LOANS]
        self._nominations = db[NOMINATIONS]

    # ventures ---------------------------------------------------------------------------------
    async def insert_venture(self, document: Document, events: Sequence[Envelope]) -> None:
        await self._ventures.insert_one(with_outbox(document | {"version": 1}, events))

    async def venture(self, venture_id: str) -> Document | None:
        return await self._ventures.find_one({"_id": venture_id}, PUBLIC_EXCLUSIONS)

    async def ventures(self, ids: Sequence[str]) -> list[Document]:
        return await self._ventures.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_ventures(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._ventures.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_venture(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._ventures, document, changes, [], "venture")

    async def founder_pending(self, venture_id: str) -> Document | None:
        """The venture if its founder's status is still to be set."""
        return await self._ventures.find_one(
            {"_id": venture_id, "founder_recorded": False}, {"founder_seeker_id": 1}
        )

    async def mark_founder_recorded(self, venture_id: str) -> None:
        await self._ventures.update_one({"_id": venture_id}, {"$set": {"founder_recorded": True}})

    async def founders_to_record(self, limit: int) -> list[str]:
        found = self._ventures.find({"founder_recorded": False}, {"_id": 1}).sort("_id", 1).limit(limit)
        return [d["_id"] for d in await found.to_list()]

    # nominations ------------------------------------------------------------------------------
    async def insert_nomination(self, document: Document) -> None:
        try:
            await self._nominations.insert_one(document | {"version": 1})
        except DuplicateKeyError:
            raise Conflict(
                "the venture is already nominated for this year", field="year", code="already_nominated"
            ) from None

    async def nomination(self, nomination_id: str) -> Document | None:
        return await self._nominations.find_one({"_id": nomination_id})

    async def find_nominations(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._nominations.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def update_nomination(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._nominations, document, changes, [], "nomination")

    # loans ------------------------------------------------------------------------------------
    async def insert_loan(self, document: Document, events: Sequence[Envelope]) -> None:
        await self._loans.insert_one(with_outbox(document | {"version": 1}, events))

    async def loan(self, loan_id: str) -> Document | None:
        return await self._loans.find_one({"_id": loan_id}, PUBLIC_EXCLUSIONS)

    async def loans(self, ids: Sequence[str]) -> list[Document]:
        return await self._loans.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_loans(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._loans.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_loan(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._loans, document, changes, events, "loan")

    # the 创业报表 ------------------------------------------------------------------------------
    async def street_ids_under(self, org_id: str) -> set[str]:
        """Every street under ``org_id`` that has a venture or a loan on record."""
        of_ventures = await self._ventures.distinct("street_organization_id", {"area_ids": org_id})
        of_loans = await self._loans.distinct("street_organization_id", {"street_area_ids": org_id})
        return {s for s in [*of_ventures, *of_loans] if isinstance(s, str)}

    async def ventures_of_streets(self, street_ids: Sequence[str], started_by: str) -> list[Document]:
        query = {"street_organization_id": {"$in": list(street_ids)}, "started_on": {"$lte": started_by}}
        projection = {"street_organization_id": 1, "kind": 1, "started_on": 1, "jobs_history": 1}
        return await self._ventures.find(query, projection).to_list()

    async def loans_of_streets(self, street_ids: Sequence[str], applied_before: datetime) -> list[Document]:
        """Loans applied for before ``applied_before`` (a local midnight): by the day the application
        was received, which may be earlier than when it was entered (补录), else by when it was."""
        query = {
            "street_organization_id": {"$in": list(street_ids)},
            "$or": [
                {"applied_on": {"$lt": applied_before.date().isoformat()}},
                {"applied_on": None, "created_at": {"$lt": applied_before}},
            ],
        }
        return await self._loans.find(query, PUBLIC_EXCLUSIONS).to_list()

    async def nominations_of_streets(
        self, street_ids: Sequence[str], since: datetime, before: datetime
    ) -> list[Document]:
        """Nominations made, or decided, in ``[since, before)``."""
        query = {
            "street_organization_id": {"$in": list(street_ids)},
            "nominated_at": {"$lt": before},
            "$or": [{"nominated_at": {"$gte": since}}, {"decided_at": {"$gte": since}}],
        }
        return await self._nominations.find(query).to_list()
