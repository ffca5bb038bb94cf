"""Service-hour entries (服务时长), per-organisation crediting rules and the daily-cap ledger.

The daily cap spans several entries (documents), and the store has no multi-document
transactions, so a per-volunteer-per-local-day ledger document is the single point every credit
passes through: a credit first takes a hold on the ledger in one compare-and-set write (the
observed total must be unchanged, so two concurrent credits can never both fit where only one
does), and only then is its entry written, under the hold's entry id. Both writes are
idempotent: a credit retried after a crash finds its hold and writes the same entry. A crash
between them leaves a hold without an entry, which only lowers what the day still allows (never
over the cap); :meth:`HoursStore.orphan_holds` finds such holds so they can be released.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.inbox import APPLIED, apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox_push
from qingchun_volunteering.adapters.store import VOLUNTEERS

HOUR_ENTRIES = "hour_entries"
CREDITING_RULES = "crediting_rules"
HOUR_DAYS = "hour_days"
OUTBOX_COLLECTIONS: tuple[str, ...] = (HOUR_ENTRIES,)
INDEXES: list[IndexSpec] = [
    # One entry per volunteer and shift; 补录 entries have no shift and no key.
    IndexSpec(HOUR_ENTRIES, [("shift_key", 1)], name="one_entry_per_shift", unique=True, sparse=True),
    IndexSpec(HOUR_ENTRIES, [("volunteer_id", 1), ("_id", 1)], name="by_volunteer"),
    IndexSpec(HOUR_ENTRIES, [("activity_id", 1), ("_id", 1)], name="by_activity"),
    IndexSpec(HOUR_ENTRIES, [("host_organization_id", 1), ("status", 1), ("_id", 1)], name="by_host_status"),
]


def day_key(volunteer_id: str, served_on: str) -> str:
    return f"{volunteer_id}|{served_on}"


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class HoursStore:
    def __init__(self, db: Database) -> None:
        self._entries = db[HOUR_ENTRIES]
        self._rules = db[CREDITING_RULES]
        self._days = db[HOUR_DAYS]
        self._volunteers = db[VOLUNTEERS]

    # crediting rules ----------------------------------------------------------------------
    async def rules_of(self, org_ids: Sequence[str]) -> dict[str, Document]:
        found = await self._rules.find({"_id": {"$in": list(org_ids)}}).to_list()
        return {d["_id"]: d for d in found}

    async def put_rules(self, org_id: str, rules: Document) -> Document:
        result = await self._rules.find_one_and_update(
            {"_id": org_id},
            {"$set": rules, "$inc": {"version": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert result is not None  # an upsert always returns the document
        return result

    # the daily-cap ledger -------------------------------------------------------------------
    async def day(self, key: str) -> Document | None:
        return await self._days.find_one({"_id": key})

    async def hold(self, key: str, observed: Document | None, hold_key: str, hold: Document) -> bool:
        """Add ``hold`` to the day only if nobody changed the day since ``observed`` was read."""
        if observed is None:
            try:
                await self._days.insert_one(
                    {"_id": key, "credited": hold["minutes"], "holds": {hold_key: hold}}
                )
            except DuplicateKeyError:
                return False
            return True
        result = await self._days.update_one(
            {"_id": key, "credited": observed["credited"], f"holds.{hold_key}": {"$exists": False}},
            {"$inc": {"credited": hold["minutes"]}, "$set": {f"holds.{hold_key}": hold}},
        )
        return result.modified_count == 1

    async def release(self, key: str, hold_key: str, minutes: int) -> None:
        """Give a hold's minutes back to the day (rejected entry, orphan); once only."""
        await self._days.update_one(
            {"_id": key, f"holds.{hold_key}": {"$exists": True}},
            {"$inc": {"credited": -minutes}, "$unset": {f"holds.{hold_key}": ""}},
        )

    async def orphan_holds(self, day: Document, older_than: datetime) -> list[tuple[str, int]]:
        """Holds older than ``older_than`` whose entry was never written or was rejected."""
        holds = {k: h for k, h in day.get("holds", {}).items() if h["at"] < older_than}
        if not holds:
            return []
        alive = await self._entries.find(
            {"_id": {"$in": [h["entry_id"] for h in holds.values()]}, "status": {"$ne": "rejected"}},
            {"_id": 1},
        ).to_list()
        kept = {d["_id"] for d in alive}
        return [(k, h["minutes"]) for k, h in holds.items() if h["entry_id"] not in kept]

    # entries ----------------------------------------------------------------------------------
    async def insert_entry(self, entry: Document) -> Document:
        """Write an entry once; a retry (same id or same volunteer and shift) returns what exists."""
        try:
            await self._entries.insert_one(entry | {"version": 1})
        except DuplicateKeyError:
            existing = await self._entries.find_one(
                {"$or": [{"_id": entry["_id"]}, {"shift_key": entry.get("shift_key", "-")}]},
                PUBLIC_EXCLUSIONS,
            )
            assert existing is not None  # the duplicate is there
            return existing
        return entry | {"version": 1}

    async def entry(self, entry_id: str) -> Document | None:
        return await self._entries.find_one({"_id": entry_id}, PUBLIC_EXCLUSIONS)

    async def entry_for_shift(self, volunteer_id: str, shift_id: str) -> Document | None:
        return await self._entries.find_one({"shift_key": f"{volunteer_id}|{shift_id}"}, PUBLIC_EXCLUSIONS)

    async def entries(self, ids: Sequence[str]) -> list[Document]:
        return await self._entries.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_entries(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._entries.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def entries_of_activity(self, activity_id: str) -> list[Document]:
        return await self._entries.find({"activity_id": activity_id}, PUBLIC_EXCLUSIONS).to_list()

    async def update_entry(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        """Status change and its events in one write (the outbox rides on the entry)."""
        return await versioned_update(self._entries, document, changes, events, "hour entry")

    # counters and totals on the volunteer -------------------------------------------------------
    async def count_once(self, volunteer_id: str, field: str, key: str) -> None:
        """Add one to a counter for ``key`` (e.g. one attendance); a repeat adds nothing."""
        filter_, update = apply_once({"_id": volunteer_id}, {"$inc": {field: 1, "version": 1}}, key)
        await self._volunteers.update_one(filter_, update)

    async def applied(self, volunteer_id: str, event_id: str) -> bool:
        return (
            await self._volunteers.find_one({"_id": volunteer_id, APPLIED: event_id}, {"_id": 1}) is not None
        )

    async def add_verified_minutes(
        self,
        volunteer_id: str,
        before: int,
        minutes: int,
        event_id: str,
        star_level: int | None,
        events: Sequence[Envelope],
    ) -> bool:
        """Add verified minutes once per event, with any star level and its events, in one write.

        False when the total changed since ``before`` was read (retry) or the event was applied.
        """
        update: dict[str, Any] = {"$inc": {"verified_minutes": minutes, "version": 1}}
        if star_level is not None:
            update["$set"] = {"star_level": star_level}
        filter_, guarded = apply_once({"_id": volunteer_id, "verified_minutes": before}, update, event_id)
        result = await self._volunteers.update_one(filter_, with_outbox_push(guarded, events))
        return result.modified_count == 1
