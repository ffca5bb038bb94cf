"""The reads behind education's monthly figures (月报): courses, sessions, attendance, rosters and
badge awards of a set of owner organisations, with only the fields counted (never a learner)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from qingchun_education.adapters.badges import AWARDS
from qingchun_education.adapters.enrolments import ATTENDANCE, ROSTERS
from qingchun_education.adapters.learning import COURSES, PROGRAMMES, SESSIONS
from qingchun_plumbing.mongo import Database, Document
from qingchun_plumbing.statistics import subtree_ids


class EducationStatisticsStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subtree(self, org_id: str) -> list[str]:
        return await subtree_ids(self._db, org_id)

    async def courses_of(self, owners: Sequence[str], statuses: Sequence[str]) -> list[Document]:
        query = {"owner_organization_id": {"$in": list(owners)}, "status": {"$in": list(statuses)}}
        return await self._db[COURSES].find(query, {"programme_id": 1, "category": 1}).to_list()

    async def programmes(self, ids: Sequence[str]) -> list[Document]:
        return await self._db[PROGRAMMES].find({"_id": {"$in": list(ids)}}, {"name": 1, "kind": 1}).to_list()

    async def sessions_between(
        self, course_ids: Sequence[str], start: datetime, end: datetime
    ) -> list[Document]:
        query = {"course_id": {"$in": list(course_ids)}, "starts_at": {"$gte": start, "$lt": end}}
        return await self._db[SESSIONS].find(query, {"course_id": 1}).to_list()

    async def attendance_counts(self, session_ids: Sequence[str]) -> dict[str, int]:
        """人次 per session: the number of learners marked present (their ids stay here)."""
        found = self._db[ATTENDANCE].find({"_id": {"$in": list(session_ids)}}, {"learner_ids": 1})
        return {d["_id"]: len(d.get("learner_ids", [])) async for d in found}

    async def roster_entries(self, owners: Sequence[str]) -> list[Document]:
        query = {"owner_organization_id": {"$in": list(owners)}}
        fields = {"entries.created_at": 1, "entries.completed_on": 1, "entries.status": 1}
        return await self._db[ROSTERS].find(query, fields).to_list()

    async def awards_between(self, owners: Sequence[str], first: str, last: str) -> int:
        query = {"owner_organization_id": {"$in": list(owners)}, "awarded_on": {"$gte": first, "$lte": last}}
        return await self._db[AWARDS].count_documents(query)
