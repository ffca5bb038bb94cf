"""The reads behind volunteering's monthly figures (月报): plain finds over the service's own
collections, restricted to a set of organisations and a month, with only the fields counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from qingchun_plumbing.mongo import Database, Document
from qingchun_plumbing.statistics import subtree_ids
from qingchun_volunteering.adapters.community_checkins import CHECKINS, POSTS, WISHES
from qingchun_volunteering.adapters.hours import HOUR_ENTRIES
from qingchun_volunteering.adapters.pairings import PAIRINGS
from qingchun_volunteering.adapters.store import ACTIVITIES, SHIFTS, VOLUNTEERS

NOT_HELD = ["planned", "cancelled"]


class VolunteeringStatisticsStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subtree(self, org_id: str) -> list[str]:
        return await subtree_ids(self._db, org_id)

    async def shifts_between(self, hosts: Sequence[str], start: datetime, end: datetime) -> list[Document]:
        query = {"host_organization_id": {"$in": list(hosts)}, "starts_at": {"$gte": start, "$lt": end}}
        fields = {"activity_id": 1, "starts_at": 1, "place": 1, "signups.status": 1}
        return await self._db[SHIFTS].find(query, fields).sort("starts_at", 1).to_list()

    async def held_activities(self, ids: Sequence[str], after: str | None = None) -> list[Document]:
        """Of ``ids``, the activities that were published (not planned, not cancelled), in id order."""
        query: dict[str, Any] = {"_id": {"$in": list(ids)}, "status": {"$nin": NOT_HELD}}
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        fields = {"title": 1, "category": 1, "brand": 1, "host_organization_id": 1}
        return await self._db[ACTIVITIES].find(query, fields).sort("_id", 1).to_list()

    async def verified_entries(self, hosts: Sequence[str], first: str, last: str) -> list[Document]:
        query = {
            "host_organization_id": {"$in": list(hosts)},
            "status": "verified",
            "served_on": {"$gte": first, "$lte": last},
        }
        return await self._db[HOUR_ENTRIES].find(query, {"credited_minutes": 1, "activity_id": 1}).to_list()

    async def volunteers_registered(self, communities: Sequence[str], before: datetime) -> list[Document]:
        query = {"home_community_id": {"$in": list(communities)}, "created_at": {"$lt": before}}
        return await self._db[VOLUNTEERS].find(query, {"created_at": 1}).to_list()

    async def checkins(self, communities: Sequence[str]) -> list[Document]:
        query = {"community_id": {"$in": list(communities)}}
        return await self._db[CHECKINS].find(query, {"status": 1, "was_overdue": 1}).to_list()

    async def active_pairings(self, hosts: Sequence[str]) -> int:
        query = {"host_organization_id": {"$in": list(hosts)}, "status": "active"}
        return await self._db[PAIRINGS].count_documents(query)

    async def post_claims(self, communities: Sequence[str]) -> list[Document]:
        query = {"community_id": {"$in": list(communities)}, "claims.0": {"$exists": True}}
        return await self._db[POSTS].find(query, {"claims.claimed_at": 1}).to_list()

    async def wishes_claimed(self, communities: Sequence[str], start: datetime, end: datetime) -> int:
        query = {"community_id": {"$in": list(communities)}, "claimed_at": {"$gte": start, "$lt": end}}
        return await self._db[WISHES].count_documents(query)
