"""Real-name job-seeker profiles (青年求职者) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``seekers``: ``_id`` (``skr_…``),
``subject_id`` (one profile per account), ``real_name``, ``phone``, ``consent``
(``{"recorded_at", "version"}``), ``residence_community_id`` and ``area_ids`` (the community, then
its ancestors), ``category``, ``skills`` (list of skill codes, including those added from
education certificates), ``certificates`` (``[{"number", "category", "issued_at"}]``),
``wanted_categories``, ``wanted_kinds``, ``available_from`` (ISO date or ``None``),
``status`` (registered, assessed, serviced, employed, started_business, inactive), ``version``.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS

SEEKERS = "seekers"
INDEXES: list[IndexSpec] = [
    IndexSpec(SEEKERS, [("subject_id", 1)], name="one_profile_per_subject", unique=True)
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (SEEKERS,)


class SeekerStore:
    def __init__(self, db: Database) -> None:
        self._seekers = db[SEEKERS]

    async def seeker(self, seeker_id: str) -> Document | None:
        return await self._seekers.find_one({"_id": seeker_id}, PUBLIC_EXCLUSIONS)

    async def seeker_of(self, subject_id: str) -> Document | None:
        return await self._seekers.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)

    async def set_status(self, seeker_id: str, status: str) -> None:
        """Another area's fact moves the seeker on (a placement: employed; a venture: started_business)."""
        update = {"$set": {"status": status}, "$inc": {"version": 1}}
        await self._seekers.update_one({"_id": seeker_id}, update)
