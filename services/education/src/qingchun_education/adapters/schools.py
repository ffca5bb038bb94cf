"""Citizen schools (市民学校) and the teacher pool (社区教育师资库) in MongoDB.

Document shape other areas rely on: ``teachers``: ``_id`` (``tch_…``), ``subject_id``,
``volunteer_id`` (or ``None``), ``display_name``, ``source`` (volunteer, teacher, student or
retiree), ``engagement``, ``specialties``, ``status`` (active or inactive; ``candidate`` until staff
confirm a volunteer), ``home_community_id``.

A person is in the pool once (unique ``subject_id``), which also makes a redelivered volunteer
registration add nothing. A school's ``org_chain`` (its organisation and those above it, as
known when it was created) lets a street or district list every school beneath it in one query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update
from qingchun_plumbing.problems import Conflict

SCHOOLS = "citizen_schools"
TEACHERS = "teachers"
INDEXES: list[IndexSpec] = [
    IndexSpec(SCHOOLS, [("name_key", 1)], name="unique_name_per_org", unique=True),
    IndexSpec(SCHOOLS, [("org_chain", 1), ("_id", 1)], name="by_org_chain"),
    IndexSpec(TEACHERS, [("subject_id", 1)], name="unique_subject", unique=True),
    IndexSpec(TEACHERS, [("home_community_id", 1), ("_id", 1)], name="by_home_community"),
    IndexSpec(TEACHERS, [("specialties", 1), ("_id", 1)], name="by_specialty"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class SchoolStore:
    def __init__(self, db: Database) -> None:
        self._schools = db[SCHOOLS]
        self._teachers = db[TEACHERS]

    async def insert_school(self, document: Document) -> None:
        try:
            await self._schools.insert_one(document | {"version": 1})
        except DuplicateKeyError:
            raise Conflict(
                "the organisation already has a school of this name", field="name", code="name_taken"
            ) from None

    async def school(self, school_id: str) -> Document | None:
        return await self._schools.find_one({"_id": school_id}, PUBLIC_EXCLUSIONS)

    async def schools(self, ids: Sequence[str]) -> list[Document]:
        return await self._schools.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def schools_under(self, organization_id: str, after: str | None, limit: int) -> list[Document]:
        query = _page({"org_chain": organization_id}, after)
        return await self._schools.find(query, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit).to_list()

    async def update_school(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._schools, document, changes, [], "citizen school")

    async def insert_teacher(self, document: Document) -> None:
        try:
            await self._teachers.insert_one(document | {"version": 1})
        except DuplicateKeyError:
            raise Conflict(
                "this person is already in the teacher pool", field="subject_id", code="already_in_pool"
            ) from None

    async def add_candidate(self, document: Document) -> None:
        """Add a volunteer as a candidate unless the person is in the pool; link their volunteer id."""
        # The same person added concurrently: the pool holds them once either way.
        with contextlib.suppress(DuplicateKeyError):
            await self._teachers.update_one(
                {"subject_id": document["subject_id"]},
                {"$setOnInsert": document | {"version": 1}},
                upsert=True,
            )
        await self._teachers.update_one(
            {"subject_id": document["subject_id"], "volunteer_id": None},
            {"$set": {"volunteer_id": document["volunteer_id"]}, "$inc": {"version": 1}},
        )

    async def teacher(self, teacher_id: str) -> Document | None:
        return await self._teachers.find_one({"_id": teacher_id}, PUBLIC_EXCLUSIONS)

    async def teacher_of(self, subject_id: str) -> Document | None:
        return await self._teachers.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)

    async def teachers(self, ids: Sequence[str]) -> list[Document]:
        return await self._teachers.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_teachers(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._teachers.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_teacher(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._teachers, document, changes, [], "teacher")

    async def active_teacher_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are active members of the teacher pool (courses may name only these)."""
        found = await self._teachers.find(
            {"_id": {"$in": list(ids)}, "status": "active"}, {"_id": 1}
        ).to_list()
        return {d["_id"] for d in found}
