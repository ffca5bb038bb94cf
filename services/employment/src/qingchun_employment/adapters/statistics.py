"""The reads behind employment's monthly figures (月报): records whose ``area_ids`` (the place and
every organisation above it) hold the organisation asked about, with only the fields counted."""

from __future__ import annotations

from collections.abc import Sequence

from qingchun_employment.adapters.applications import APPLICATIONS
from qingchun_employment.adapters.postings import POSTINGS
from qingchun_employment.adapters.seekers import SEEKERS
from qingchun_employment.adapters.ventures import LOANS, VENTURES
from qingchun_plumbing.mongo import Database, Document


class EmploymentStatisticsStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def postings(self, org_id: str) -> list[Document]:
        fields = {"status": 1, "published_at": 1, "closed_at": 1, "category": 1}
        return await self._db[POSTINGS].find({"area_ids": org_id}, fields).to_list()

    async def applications_to(self, posting_ids: Sequence[str]) -> list[Document]:
        query = {"posting_id": {"$in": list(posting_ids)}}
        return await self._db[APPLICATIONS].find(query, {"created_at": 1, "hired_on": 1}).to_list()

    async def seekers(self, org_id: str) -> list[Document]:
        return await self._db[SEEKERS].find({"area_ids": org_id}, {"category": 1, "created_at": 1}).to_list()

    async def loans(self, org_id: str) -> list[Document]:
        return await self._db[LOANS].find({"area_ids": org_id}, {"status": 1, "created_at": 1}).to_list()

    async def ventures(self, org_id: str) -> list[Document]:
        return await self._db[VENTURES].find({"area_ids": org_id}, {"kind": 1, "started_on": 1}).to_list()
