"""Volunteer service teams (志愿服务队): the only code that stores them.

A team's roster lives in its own document, so adding members, changing the leader and
dissolving are each one versioned write; the name is unique among the host's active teams
through a sparse unique key that exists only while the team is active.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox
from qingchun_plumbing.problems import Conflict, StaleWrite

TEAMS = "teams"
OUTBOX_COLLECTIONS: tuple[str, ...] = (TEAMS,)
INDEXES: list[IndexSpec] = [
    IndexSpec(TEAMS, [("active_name_key", 1)], name="unique_active_name_per_host", unique=True, sparse=True),
    IndexSpec(TEAMS, [("host_organization_id", 1), ("_id", 1)], name="by_host"),
    IndexSpec(TEAMS, [("member_volunteer_ids", 1), ("_id", 1)], name="by_member"),
]


def active_name_key(host_organization_id: str, name_key: str) -> str:
    return f"{host_organization_id}|{name_key}"


def _name_taken() -> Conflict:
    return Conflict(
        "the organisation already has an active team of this name", field="name", code="name_taken"
    )


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class TeamStore:
    def __init__(self, db: Database) -> None:
        self._teams = db[TEAMS]

    async def name_taken(self, key: str) -> bool:
        return await self._teams.find_one({"active_name_key": key}, {"_id": 1}) is not None

    async def insert(self, document: Document, events: Sequence[Envelope]) -> None:
        try:
            await self._teams.insert_one(with_outbox(document | {"version": 1}, events))
        except DuplicateKeyError:  # formed by someone else between our check and this write
            raise _name_taken() from None

    async def team(self, team_id: str) -> Document | None:
        return await self._teams.find_one({"_id": team_id}, PUBLIC_EXCLUSIONS)

    async def teams(self, ids: Sequence[str]) -> list[Document]:
        return await self._teams.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._teams.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._teams, document, changes, [], "team")

    async def dissolve(self, document: Document, changes: dict[str, Any]) -> Document:
        """One write: the new status, and the name freed for a future team of the host."""
        result = await self._teams.find_one_and_update(
            {"_id": document["_id"], "version": document["version"]},
            {"$set": changes, "$unset": {"active_name_key": ""}, "$inc": {"version": 1}},
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise StaleWrite("the team changed while this request was applied; read it and retry")
        return result
