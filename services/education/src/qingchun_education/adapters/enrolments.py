"""Enrolments, waitlists and attendance in MongoDB.

A course's enrolments live inside its roster document (``rosters``, ``_id`` = course id), so
taking a place, joining the waitlist, cancelling, promoting, accepting, declining and lapsing are
each one atomic write together with their events: however many learners press "enrol" at once,
the course is never overbooked. Attendance is one document per session (``attendance``), its
events in the same write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import OUTBOX, PUBLIC_EXCLUSIONS, outbox_entries, versioned_update, with_outbox
from qingchun_plumbing.problems import StaleWrite

ROSTERS = "rosters"
ATTENDANCE = "attendance"
INDEXES: list[IndexSpec] = [
    IndexSpec(ROSTERS, [("entries.id", 1)], name="by_enrolment"),
    IndexSpec(ROSTERS, [("entries.learner_id", 1)], name="by_learner"),
    IndexSpec(ROSTERS, [("entries.status", 1), ("entries.offer_expires_at", 1)], name="by_offer_expiry"),
    IndexSpec(ATTENDANCE, [("course_id", 1)], name="by_course"),
    IndexSpec(ATTENDANCE, [("programme_id", 1)], name="by_programme"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (ROSTERS, ATTENDANCE)


def _appended(entry: Document, counter: str, events: Sequence[Envelope]) -> list[dict[str, Any]]:
    """A pipeline update adding ``entry`` with its order of arrival, counted, with its events.

    Every expression reads the roster as it was before this write, so ``position`` is the
    number of entries that arrived earlier, whatever else is written at the same moment.
    """
    positioned = {"$mergeObjects": [{"$literal": entry}, {"position": {"$size": "$entries"}}]}
    return [
        {
            "$set": {
                "entries": {"$concatArrays": ["$entries", [positioned]]},
                "active_learner_ids": {
                    "$concatArrays": ["$active_learner_ids", [{"$literal": entry["learner_id"]}]]
                },
                counter: {"$add": [f"${counter}", 1]},
                "version": {"$add": ["$version", 1]},
                "updated_at": {"$literal": datetime.now(UTC)},
                OUTBOX: {
                    "$concatArrays": [{"$ifNull": [f"${OUTBOX}", []]}, {"$literal": outbox_entries(events)}]
                },
            }
        }
    ]


_ROSTER_FIELDS = {
    "_id": "$entries.id",
    "course_id": "$_id",
    "owner_organization_id": "$owner_organization_id",
}


def _flat_entries(
    roster_match: dict[str, Any], entry_match: dict[str, Any], after: str | None, limit: int
) -> list[dict[str, Any]]:
    """Enrolments as flat documents (the entry, ``_id`` = enrolment id, ``course_id``,
    ``owner_organization_id``), in id (= creation) order."""
    match = {f"entries.{k}": v for k, v in entry_match.items()}
    if after is not None:
        match["entries.id"] = {"$gt": after}
    return [
        {"$match": roster_match},
        {"$unwind": "$entries"},
        {"$match": match},
        {"$sort": {"entries.id": 1}},
        {"$limit": limit},
        {"$replaceRoot": {"newRoot": {"$mergeObjects": ["$entries", _ROSTER_FIELDS]}}},
        {"$project": {"id": 0}},
    ]


class EnrolmentStore:
    def __init__(self, db: Database) -> None:
        self._rosters = db[ROSTERS]
        self._attendance = db[ATTENDANCE]

    # rosters -----------------------------------------------------------------------------------
    async def roster(self, course_id: str) -> Document | None:
        return await self._rosters.find_one({"_id": course_id}, PUBLIC_EXCLUSIONS)

    async def open_roster(self, course_id: str, terms: Document) -> None:
        """Create the course's roster with its terms unless it exists (first enrolment; idempotent)."""
        fresh = {"entries": [], "active_learner_ids": [], "taken": 0, "waiting": 0, "version": 1}
        try:
            await self._rosters.update_one(
                {"_id": course_id},
                {"$setOnInsert": terms | fresh | {"created_at": datetime.now(UTC)}},
                upsert=True,
            )
        except DuplicateKeyError:
            return  # another enrolment created it at the same moment

    async def take_place(
        self, course_id: str, entry: Document, events: Sequence[Envelope]
    ) -> Document | None:
        """Enrol atomically if a place is free, nobody waits for one, and the learner is not on the roster."""
        return await self._rosters.find_one_and_update(
            {
                "_id": course_id,
                "waiting": 0,
                "active_learner_ids": {"$ne": entry["learner_id"]},
                "$expr": {"$lt": ["$taken", "$capacity"]},
            },
            _appended(entry, "taken", events),
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    async def join_waitlist(
        self, course_id: str, entry: Document, events: Sequence[Envelope]
    ) -> Document | None:
        """Waitlist atomically unless the learner is on the roster already (``None`` then)."""
        return await self._rosters.find_one_and_update(
            {"_id": course_id, "active_learner_ids": {"$ne": entry["learner_id"]}},
            _appended(entry, "waiting", events),
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    async def update_roster(
        self, roster: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._rosters, roster, changes, events, "course's roster")

    async def roster_of(self, enrolment_id: str) -> Document | None:
        return await self._rosters.find_one({"entries.id": enrolment_id}, PUBLIC_EXCLUSIONS)

    async def rosters_with_lapsed_offers(self, now: datetime) -> list[str]:
        found = self._rosters.find(
            {"entries": {"$elemMatch": {"status": "offered", "offer_expires_at": {"$lte": now}}}}, {"_id": 1}
        )
        return [d["_id"] for d in await found.to_list()]

    # enrolments as flat documents ------------------------------------------------------------------
    async def enrolment(self, enrolment_id: str) -> Document | None:
        """One enrolment: ``_id``, ``course_id``, ``learner_id``, ``status``, ``completed_on``,
        ``passed_exam``, ``exam_score`` and the rest of its roster entry."""
        found = await self.enrolments([enrolment_id])
        return found[0] if found else None

    async def enrolments(self, ids: Sequence[str]) -> list[Document]:
        pipeline = _flat_entries(
            {"entries.id": {"$in": list(ids)}}, {"id": {"$in": list(ids)}}, None, len(ids)
        )
        return await (await self._rosters.aggregate(pipeline)).to_list()

    async def enrolments_of_course(
        self, course_id: str, statuses: Sequence[str], after: str | None, limit: int
    ) -> list[Document]:
        entry_match = {"status": {"$in": list(statuses)}} if statuses else {}
        pipeline = _flat_entries({"_id": course_id}, entry_match, after, limit)
        return await (await self._rosters.aggregate(pipeline)).to_list()

    async def enrolments_of_learner(self, learner_id: str, after: str | None, limit: int) -> list[Document]:
        pipeline = _flat_entries({"entries.learner_id": learner_id}, {"learner_id": learner_id}, after, limit)
        return await (await self._rosters.aggregate(pipeline)).to_list()

    # attendance ----------------------------------------------------------------------------------
    async def attendance(self, session_id: str) -> Document | None:
        return await self._attendance.find_one({"_id": session_id}, PUBLIC_EXCLUSIONS)

    async def insert_attendance(self, document: Document, events: Sequence[Envelope]) -> Document:
        """The session's first recording; a concurrent first recording makes this one re-read and retry."""
        try:
            await self._attendance.insert_one(with_outbox(document | {"version": 1}, events))
        except DuplicateKeyError:
            raise StaleWrite("the session's attendance changed while this request was applied") from None
        return document | {"version": 1}

    async def update_attendance(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._attendance, document, changes, events, "session's attendance")

    async def attendance_summary(self, match: dict[str, Any]) -> dict[str, int]:
        """Sessions with attendance, 人次 (each learner once per session) and unique learners."""
        sessions = await self._attendance.count_documents(match | {"learner_ids.0": {"$exists": True}})
        pipeline: list[dict[str, Any]] = [
            {"$match": match},
            {"$unwind": "$learner_ids"},
            {"$group": {"_id": "$learner_ids", "times": {"$sum": 1}}},
            {"$group": {"_id": None, "attendances": {"$sum": "$times"}, "unique_learners": {"$sum": 1}}},
        ]
        totals = await (await self._attendance.aggregate(pipeline)).to_list()
        found = totals[0] if totals else {"attendances": 0, "unique_learners": 0}
        return {
            "sessions_held": sessions,
            "attendances": found["attendances"],
            "unique_learners": found["unique_learners"],
        }
