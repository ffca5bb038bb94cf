"""Learners, programmes, courses and sessions: the only code that speaks Mongo for them.

Document shapes other areas rely on (keep these fields stable):
- ``learners``: ``_id`` (``lrn_…``), ``subject_id`` (the person's own account, or ``None`` for a
  young child on a guardian's family account), ``display_name``, ``birth_date`` (ISO date),
  ``guardian_subject_ids`` (list), ``consent`` (``{"guardian_subject_id", "recorded_at"}`` or
  ``None``), ``home_community_id``, ``version``.
- ``courses``: ``_id`` (``crs_…``), ``programme_id``, ``title``, ``category``, ``target_group``,
  ``owner_organization_id``, ``citizen_school_id`` (or ``None``), ``status``, ``capacity``,
  ``waitlist_policy``, ``offer_window_hours`` (or ``None``), ``family`` (parent–child class),
  ``min_age``/``max_age`` (or ``None``), ``has_exam``, ``pass_mark`` (or ``None``), ``teacher_ids``.
- ``sessions``: ``_id`` (``ses_…``), ``course_id``, ``citizen_school_id`` (copied from the course),
  ``starts_at``, ``ends_at`` (UTC), ``venue``, ``capacity``, ``kind`` (teaching, lecture or activity).
"""

from __future__ import annotations

from datetime import datetime

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS

LEARNERS = "learners"
COURSES = "courses"
SESSIONS = "sessions"
INDEXES: list[IndexSpec] = [
    IndexSpec(LEARNERS, [("subject_id", 1)], name="by_subject"),
    IndexSpec(LEARNERS, [("guardian_subject_ids", 1)], name="by_guardian"),
    IndexSpec(SESSIONS, [("course_id", 1), ("starts_at", 1)], name="by_course"),
    IndexSpec(SESSIONS, [("citizen_school_id", 1), ("starts_at", 1)], name="by_school"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (LEARNERS, COURSES)


class LearningStore:
    def __init__(self, db: Database) -> None:
        self._learners = db[LEARNERS]
        self._courses = db[COURSES]
        self._sessions = db[SESSIONS]

    async def learner(self, learner_id: str) -> Document | None:
        return await self._learners.find_one({"_id": learner_id}, PUBLIC_EXCLUSIONS)

    async def learner_of(self, subject_id: str) -> Document | None:
        """The learner whose own account this is (not a guardian's children)."""
        return await self._learners.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)

    async def course(self, course_id: str) -> Document | None:
        return await self._courses.find_one({"_id": course_id}, PUBLIC_EXCLUSIONS)

    async def session(self, session_id: str) -> Document | None:
        return await self._sessions.find_one({"_id": session_id})

    async def sessions_of_school(
        self, citizen_school_id: str, start: datetime, end: datetime
    ) -> list[Document]:
        """Sessions of a citizen school's courses starting in ``[start, end)``, in time order."""
        query = {"citizen_school_id": citizen_school_id, "starts_at": {"$gte": start, "$lt": end}}
        return await self._sessions.find(query).sort("starts_at", 1).to_list()
