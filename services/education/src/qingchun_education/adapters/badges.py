"""Badge definitions, awards and the progress that earns automatic badges (雏鹰争章) in MongoDB.

A child holds a badge once: the unique (learner, badge) key makes a second award impossible,
whether two counsellors click at once or a volunteering event is delivered twice. An award and
its BadgeAwarded event are one insert (the outbox rides on the award).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, with_outbox
from qingchun_plumbing.problems import Conflict

BADGES = "badges"
AWARDS = "badge_awards"
PROGRESS = "badge_progress"
OUTBOX_COLLECTIONS: tuple[str, ...] = (AWARDS,)
INDEXES: list[IndexSpec] = [
    IndexSpec(BADGES, [("owner_organization_id", 1), ("code", 1)], name="unique_code_per_owner", unique=True),
    IndexSpec(BADGES, [("owner_organization_id", 1), ("_id", 1)], name="by_owner"),
    IndexSpec(BADGES, [("rule.kind", 1)], name="by_rule"),
    IndexSpec(AWARDS, [("learner_id", 1), ("badge_id", 1)], name="one_award_per_learner", unique=True),
    IndexSpec(AWARDS, [("learner_id", 1), ("_id", 1)], name="by_learner"),
    IndexSpec(AWARDS, [("badge_id", 1), ("_id", 1)], name="by_badge"),
]


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class BadgeStore:
    def __init__(self, db: Database) -> None:
        self._badges = db[BADGES]
        self._awards = db[AWARDS]
        self._progress = db[PROGRESS]

    # definitions ---------------------------------------------------------------------------------
    async def insert_badge(self, document: Document) -> None:
        try:
            await self._badges.insert_one(document | {"version": 1})
        except DuplicateKeyError:
            raise Conflict(
                "the organisation already has a badge with this code", field="code", code="code_taken"
            ) from None

    async def badge(self, badge_id: str) -> Document | None:
        return await self._badges.find_one({"_id": badge_id})

    async def badges(self, ids: Sequence[str]) -> list[Document]:
        return await self._badges.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_badges(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._badges.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def automatic_badges(self, kind: str) -> list[Document]:
        return await self._badges.find({"rule.kind": kind}).to_list()

    # awards --------------------------------------------------------------------------------------
    async def insert_award(self, document: Document, events: Sequence[Envelope]) -> bool:
        """False when the learner already holds the badge (nothing is written then)."""
        try:
            await self._awards.insert_one(with_outbox(document, events))
        except DuplicateKeyError:
            return False
        return True

    async def held_badge_ids(self, learner_id: str, badge_ids: Sequence[str]) -> set[str]:
        query = {"learner_id": learner_id, "badge_id": {"$in": list(badge_ids)}}
        return {d["badge_id"] for d in await self._awards.find(query, {"badge_id": 1}).to_list()}

    async def find_awards(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._awards.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    # progress toward automatic badges ------------------------------------------------------------
    async def add_service_minutes(self, learner_id: str, minutes: int, event_id: str, at: datetime) -> None:
        """Add an event's verified minutes to the learner's total once, however often it arrives."""
        with contextlib.suppress(DuplicateKeyError):  # a concurrent delivery created it first
            await self._progress.update_one(
                {"_id": learner_id}, {"$setOnInsert": {"verified_service_minutes": 0}}, upsert=True
            )
        update = {"$inc": {"verified_service_minutes": minutes}, "$set": {"updated_at": at}}
        filter_, guarded = apply_once({"_id": learner_id}, update, event_id)
        await self._progress.update_one(filter_, guarded)

    async def service_minutes(self, learner_id: str) -> int:
        found = await self._progress.find_one({"_id": learner_id}, {"verified_service_minutes": 1})
        return int(found["verified_service_minutes"]) if found else 0
