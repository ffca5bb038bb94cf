"""Citizen schools (市民学校) and the teacher pool (社区教育师资库) in MongoDB.

Document shape other areas rely on: ``teachers``: ``_id`` (``tch_…``), ``subject_id``,
``volunteer_id`` (or ``None``), ``display_name``, ``source`` (volunteer, teacher, student or
retiree), ``engagement``, ``specialties``, ``status`` (active or inactive), ``home_community_id``.
"""

from __future__ import annotations

from collections.abc import Sequence

from qingchun_plumbing.mongo import Database, IndexSpec

TEACHERS = "teachers"
INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class SchoolStore:
    def __init__(self, db: Database) -> None:
        self._teachers = db[TEACHERS]

    async def active_teacher_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are active members of the teacher pool (courses may name only these)."""
        found = await self._teachers.find(
            {"_id": {"$in": list(ids)}, "status": "active"}, {"_id": 1}
        ).to_list()
        return {d["_id"] for d in found}
