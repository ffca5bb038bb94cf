"""Learners, programmes, courses, sessions, enrolments and attendance: the only code that speaks
Mongo for them.

Document shapes other areas rely on (keep them stable):
- ``learners``: ``_id`` (``lrn_…``), ``subject_id`` (the person's own account, or ``None`` for a
  young child on a guardian's family account), ``display_name``, ``birth_date`` (ISO date),
  ``guardian_subject_ids`` (list), ``consent`` (``{"guardian_subject_id", "recorded_at"}`` or
  ``None``), ``home_community_id``, ``version``.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS

LEARNERS = "learners"
INDEXES: list[IndexSpec] = [
    IndexSpec(LEARNERS, [("subject_id", 1)], name="by_subject"),
    IndexSpec(LEARNERS, [("guardian_subject_ids", 1)], name="by_guardian"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (LEARNERS,)


class LearningStore:
    def __init__(self, db: Database) -> None:
        self._learners = db[LEARNERS]

    async def learner(self, learner_id: str) -> Document | None:
        return await self._learners.find_one({"_id": learner_id}, PUBLIC_EXCLUSIONS)

    async def learner_of(self, subject_id: str) -> Document | None:
        """The learner whose own account this is (not a guardian's children)."""
        return await self._learners.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)
