"""Learners, programmes, courses and sessions: the only code that speaks Mongo for them.

Document shapes other areas rely on (keep these fields stable):
- ``learners``: ``_id`` (``lrn_…``), ``subject_id`` (the person's own account, or ``None`` for a
  young child on a guardian's family account), ``display_name``, ``birth_date`` (ISO date),
  ``guardian_subject_ids`` (list), ``consent`` (``{"guardian_subject_id", "recorded_at"}`` or
  ``None``), ``home_community_id``, ``version``.
- ``programmes``: ``_id`` (``prg_…``), ``name``, ``owner_organization_id``,
  ``partner_organization_ids``, ``kind``, ``brand`` (or ``None``), ``target_group``, ``season``,
  ``year``, ``sessions_planned``, ``version``.
- ``courses``: ``_id`` (``crs_…``), ``programme_id``, ``title``, ``category``, ``target_group``,
  ``owner_organization_id``, ``citizen_school_id`` (or ``None``), ``status``, ``capacity``,
  ``waitlist_policy``, ``offer_window_hours`` (or ``None``), ``family`` (parent–child class),
  ``min_age``/``max_age`` (or ``None``), ``has_exam``, ``pass_mark`` (or ``None``), ``teacher_ids``,
  ``mode``, ``version``.
- ``sessions``: ``_id`` (``ses_…``), ``course_id``, ``citizen_school_id`` (copied from the course),
  ``starts_at``, ``ends_at`` (UTC), ``venue``, ``capacity``, ``kind`` (teaching, lecture or activity).

One learner per own account: a unique index over ``subject_id`` that only covers learners with an
account (children on a family account have ``None`` and may be many).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update
from qingchun_plumbing.problems import Conflict

LEARNERS = "learners"
PROGRAMMES = "programmes"
COURSES = "courses"
SESSIONS = "sessions"
INDEXES: list[IndexSpec] = [
    IndexSpec(
        LEARNERS,
        [("subject_id", 1)],
        name="one_learner_per_subject",
        unique=True,
        partial={"subject_id": {"$type": "string"}},
    ),
    IndexSpec(LEARNERS, [("guardian_subject_ids", 1)], name="by_guardian"),
    IndexSpec(PROGRAMMES, [("owner_organization_id", 1), ("_id", 1)], name="by_owner"),
    IndexSpec(COURSES, [("programme_id", 1), ("_id", 1)], name="by_programme"),
    IndexSpec(COURSES, [("owner_organization_id", 1), ("_id", 1)], name="by_owner"),
    IndexSpec(COURSES, [("citizen_school_id", 1), ("_id", 1)], name="by_school"),
    IndexSpec(SESSIONS, [("course_id", 1), ("starts_at", 1)], name="by_course"),
    IndexSpec(SESSIONS, [("citizen_school_id", 1), ("starts_at", 1)], name="by_school"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (COURSES,)


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


def _already_registered() -> Conflict:
    return Conflict("this account already has a learner", field="subject_id", code="already_registered")


class LearningStore:
    def __init__(self, db: Database) -> None:
        self._learners = db[LEARNERS]
        self._programmes = db[PROGRAMMES]
        self._courses = db[COURSES]
        self._sessions = db[SESSIONS]

    # learners ---------------------------------------------------------------------------------
    async def learner(self, learner_id: str) -> Document | None:
        return await self._learners.find_one({"_id": learner_id}, PUBLIC_EXCLUSIONS)

    async def learner_of(self, subject_id: str) -> Document | None:
        """The learner whose own account this is (not a guardian's children)."""
        return await self._learners.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)

    async def learners(self, ids: Sequence[str]) -> list[Document]:
        return await self._learners.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def insert_learner(self, document: Document) -> None:
        try:
            await self._learners.insert_one(document | {"version": 1})
        except DuplicateKeyError:  # registered by a concurrent request after our check
            raise _already_registered() from None

    async def update_learner(self, document: Document, changes: dict[str, Any]) -> Document:
        try:
            return await versioned_update(self._learners, document, changes, [], "learner")
        except DuplicateKeyError:  # linking an account that already has a learner
            raise _already_registered() from None

    async def learners_of(self, subject_id: str, after: str | None, limit: int) -> list[Document]:
        """The caller's own learner and the children on their family account, in id order."""
        query = {"$or": [{"subject_id": subject_id}, {"guardian_subject_ids": subject_id}]}
        return await self._find(self._learners, _page(query, after), limit)

    # programmes -------------------------------------------------------------------------------
    async def insert_programme(self, document: Document) -> None:
        await self._programmes.insert_one(document | {"version": 1})

    async def programme(self, programme_id: str) -> Document | None:
        return await self._programmes.find_one({"_id": programme_id})

    async def programmes(self, ids: Sequence[str]) -> list[Document]:
        return await self._programmes.find({"_id": {"$in": list(ids)}}).to_list()

    async def find_programmes(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._find(self._programmes, _page(query, after), limit)

    # courses ----------------------------------------------------------------------------------
    async def course(self, course_id: str) -> Document | None:
        return await self._courses.find_one({"_id": course_id}, PUBLIC_EXCLUSIONS)

    async def courses(self, ids: Sequence[str]) -> list[Document]:
        return await self._courses.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_courses(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._find(self._courses, _page(query, after), limit)

    async def insert_course(self, document: Document, sessions: Sequence[Document]) -> None:
        """The sessions first: until the course exists nothing reaches them (reads go through the
        course, and compliance counts only sessions of scheduled courses), so a crash in between
        leaves only unreachable sessions, never a course missing its sessions."""
        await self._sessions.insert_many(list(sessions))
        await self._courses.insert_one(document | {"version": 1})

    async def update_course(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._courses, document, changes, events, "course")

    # sessions ---------------------------------------------------------------------------------
    async def add_sessions(self, sessions: Sequence[Document]) -> None:
        await self._sessions.insert_many(list(sessions))

    async def session(self, session_id: str) -> Document | None:
        return await self._sessions.find_one({"_id": session_id})

    async def sessions_of(self, course_id: str, after: str | None, limit: int) -> list[Document]:
        return await self._find(self._sessions, _page({"course_id": course_id}, after), limit)

    async def session_facts(self, course_id: str) -> tuple[int, datetime | None]:
        """How many sessions the course has, and when the first one starts."""
        count = await self._sessions.count_documents({"course_id": course_id})
        first = await self._sessions.find_one(
            {"course_id": course_id}, {"starts_at": 1}, sort=[("starts_at", 1)]
        )
        return count, None if first is None else first["starts_at"]

    async def sessions_of_school(
        self, citizen_school_id: str, start: datetime, end: datetime
    ) -> list[Document]:
        """Sessions of a citizen school's courses starting in ``[start, end)``, in time order."""
        query = {"citizen_school_id": citizen_school_id, "starts_at": {"$gte": start, "$lt": end}}
        return await self._sessions.find(query).sort("starts_at", 1).to_list()

    @staticmethod
    async def _find(
        collection: AsyncCollection[Document], query: dict[str, Any], limit: int
    ) -> list[Document]:
        return await collection.find(query, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit).to_list()
