"""社区报到 rounds, members' check-ins, service posts (服务岗位) and micro-wishes (微心愿).

Each member's check-in is its own document, so a branch, a community and the member act on it
without contending on the round; the 报到 deadline is copied onto it so the overdue sweep is one
indexed query and each check-in turns overdue in one conditional write with its event (exactly
once, however often or concurrently the sweep runs). A post's claims live inside the post, so
capacity holds under any concurrency; a wish is claimed by one conditional write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ReturnDocument

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox, with_outbox_push

ROUNDS = "checkin_rounds"
CHECKINS = "community_checkins"
POSTS = "service_posts"
WISHES = "micro_wishes"
OUTBOX_COLLECTIONS: tuple[str, ...] = (CHECKINS, POSTS, WISHES)
INDEXES: list[IndexSpec] = [
    IndexSpec(ROUNDS, [("sending_organization_id", 1), ("_id", 1)], name="by_sender"),
    IndexSpec(CHECKINS, [("round_id", 1), ("subject_id", 1)], name="one_per_member", unique=True),
    IndexSpec(CHECKINS, [("round_id", 1), ("status", 1), ("_id", 1)], name="by_round_status"),
    IndexSpec(CHECKINS, [("subject_id", 1), ("_id", 1)], name="by_member"),
    IndexSpec(CHECKINS, [("community_id", 1), ("status", 1), ("_id", 1)], name="by_community_status"),
    IndexSpec(CHECKINS, [("status", 1), ("checkin_deadline", 1)], name="overdue_sweep"),
    IndexSpec(POSTS, [("community_id", 1), ("_id", 1)], name="by_community"),
    IndexSpec(POSTS, [("claims.subject_id", 1)], name="by_claimer"),
    IndexSpec(WISHES, [("community_id", 1), ("status", 1), ("_id", 1)], name="by_community_status"),
]


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class CommunityCheckinStore:
    def __init__(self, db: Database) -> None:
        self._rounds = db[ROUNDS]
        self._checkins = db[CHECKINS]
        self._posts = db[POSTS]
        self._wishes = db[WISHES]

    # rounds ------------------------------------------------------------------------------------
    async def insert_round(
        self, round_: Document, checkins: Sequence[tuple[Document, Sequence[Envelope]]]
    ) -> None:
        # Check-ins first: the round is what makes them reachable to the branch, so a crash in
        # between leaves only check-ins of a round nobody can list, never a round missing members.
        await self._checkins.insert_many([with_outbox(c | {"version": 1}, events) for c, events in checkins])
        await self._rounds.insert_one(round_ | {"version": 1})

    async def round(self, round_id: str) -> Document | None:
        return await self._rounds.find_one({"_id": round_id})

    async def rounds(self, ids: Sequence[str]) -> list[Document]:
        return await self._rounds.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_rounds(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._rounds.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def status_counts(self, round_id: str) -> dict[str, int]:
        rows = await (
            await self._checkins.aggregate(
                [{"$match": {"round_id": round_id}}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]
            )
        ).to_list()
        return {row["_id"]: row["n"] for row in rows}

    async def count_checkins(self, query: dict[str, Any]) -> int:
        return await self._checkins.count_documents(query)

    # check-ins -----------------------------------------------------------------------------------
    async def checkin(self, checkin_id: str) -> Document | None:
        return await self._checkins.find_one({"_id": checkin_id}, PUBLIC_EXCLUSIONS)

    async def find_checkins(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._checkins.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def latest_checkin(self, query: dict[str, Any]) -> Document | None:
        return await self._checkins.find_one(query, PUBLIC_EXCLUSIONS, sort=[("_id", -1)])

    async def update_checkin(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._checkins, document, changes, events, "check-in")

    async def overdue_candidates(self, statuses: Sequence[str], before: str, limit: int) -> list[Document]:
        """Check-ins still awaiting a report whose deadline (ISO date) is before ``before``."""
        query = {"status": {"$in": list(statuses)}, "checkin_deadline": {"$lt": before}}
        return await self._checkins.find(query, PUBLIC_EXCLUSIONS).limit(limit).to_list()

    async def move_if(
        self,
        checkin_id: str,
        from_statuses: Sequence[str],
        update: dict[str, Any],
        events: Sequence[Envelope],
    ) -> bool:
        """Apply ``update`` only while the check-in is in one of ``from_statuses``: whoever comes
        second (a repeated sweep, a concurrent claim) changes nothing and publishes nothing."""
        result = await self._checkins.update_one(
            {"_id": checkin_id, "status": {"$in": list(from_statuses)}},
            with_outbox_push(update | {"$inc": {"version": 1}}, events),
        )
        return result.modified_count == 1

    # service posts ---------------------------------------------------------------------------------
    async def insert_post(self, post: Document) -> None:
        await self._posts.insert_one(post | {"version": 1})

    async def post(self, post_id: str) -> Document | None:
        return await self._posts.find_one({"_id": post_id}, PUBLIC_EXCLUSIONS)

    async def posts(self, ids: Sequence[str]) -> list[Document]:
        return await self._posts.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_posts(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._posts.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def take_post(self, post_id: str, claim: Document, events: Sequence[Envelope]) -> Document | None:
        """Claim a place atomically while one is free and this member holds none."""
        return await self._posts.find_one_and_update(
            {"_id": post_id, "free": {"$gt": 0}, "claims.subject_id": {"$ne": claim["subject_id"]}},
            with_outbox_push({"$inc": {"free": -1, "version": 1}, "$push": {"claims": claim}}, events),
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    # micro-wishes -----------------------------------------------------------------------------------
    async def insert_wish(self, wish: Document) -> None:
        await self._wishes.insert_one(wish | {"version": 1})

    async def wish(self, wish_id: str) -> Document | None:
        return await self._wishes.find_one({"_id": wish_id}, PUBLIC_EXCLUSIONS)

    async def wishes(self, ids: Sequence[str]) -> list[Document]:
        return await self._wishes.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_wishes(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._wishes.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_wish_if(
        self, wish_id: str, status: str, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document | None:
        """Change a wish only while it is in ``status``: of two claimers exactly one wins."""
        return await self._wishes.find_one_and_update(
            {"_id": wish_id, "status": status},
            with_outbox_push({"$set": changes, "$inc": {"version": 1}}, events),
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )
