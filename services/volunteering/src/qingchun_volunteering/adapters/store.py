"""The volunteering service's persistence: the only module that speaks MongoDB.

A shift's sign-ups live inside the shift's document, so taking a place, joining the waitlist,
cancelling, promoting (or offering the place), accepting and lapsing an offer are each one atomic
write together with their events: capacity can never be overbooked, however many volunteers press
"sign up" at once. Only an open offer carries ``offer_expires_at`` (a lapsed one keeps its
deadline as ``offer_lapsed_at``), so the expiry job's index holds open offers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import (
    OUTBOX,
    PUBLIC_EXCLUSIONS,
    outbox_entries,
    versioned_update,
    with_outbox,
    with_outbox_push,
)
from qingchun_plumbing.problems import Conflict

VOLUNTEERS = "volunteers"
ACTIVITIES = "activities"
SHIFTS = "shifts"
OUTBOX_COLLECTIONS: tuple[str, ...] = (VOLUNTEERS, ACTIVITIES, SHIFTS)
ACTIVE_SIGNUP = ("confirmed", "offered", "waitlisted")

INDEXES = [
    IndexSpec(VOLUNTEERS, [("subject_id", 1)], name="one_profile_per_subject", unique=True),
    IndexSpec(VOLUNTEERS, [("home_community_id", 1), ("_id", 1)], name="by_community"),
    IndexSpec(ACTIVITIES, [("host_organization_id", 1), ("_id", 1)], name="by_host"),
    IndexSpec(ACTIVITIES, [("status", 1), ("_id", 1)], name="by_status"),
    IndexSpec(SHIFTS, [("activity_id", 1), ("starts_at", 1)], name="by_activity"),
    IndexSpec(SHIFTS, [("signups.volunteer_id", 1)], name="by_volunteer"),
    IndexSpec(SHIFTS, [("signups.offer_expires_at", 1)], name="by_offer_expiry"),
]


def is_open(accepting: bool, free: int) -> bool:
    return accepting and free > 0


def listing(area_ids: Sequence[str], accepting: bool, free: int) -> Document:
    """The fields matching finds a shift by, denormalised onto it (no join on the embedded store).

    ``area_ids``: the host then its ancestors, so "every shift of a street" is one indexed key.
    ``accepting``: the activity takes sign-ups (published or in progress), mirrored by every
    status change. ``open``: accepting and a place is free, rewritten by every write that changes
    ``free`` from the same document's fields, so full or closed shifts are never fetched.
    """
    return {"area_ids": list(area_ids), "accepting": accepting, "open": is_open(accepting, free)}


def _accepting_pipeline(accepting: bool) -> list[dict[str, Any]]:
    """Set ``accepting`` and recompute ``open`` from ``free`` in one atomic write of each shift; the
    version bump makes a concurrent versioned write of the shift (a cancellation) re-read it."""
    return [
        {
            "$set": {
                "accepting": accepting,
                "open": {"$and": [accepting, {"$gt": ["$free", 0]}]},
                "version": {"$add": ["$version", 1]},
            }
        }
    ]


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class VolunteeringStore:
    def __init__(self, db: Database) -> None:
        self._volunteers = db[VOLUNTEERS]
        self._activities = db[ACTIVITIES]
        self._shifts = db[SHIFTS]

    # volunteers --------------------------------------------------------------------------
    async def insert_volunteer(self, document: Document, events: Sequence[Envelope]) -> None:
        try:
            await self._volunteers.insert_one(with_outbox(document | {"version": 1}, events))
        except DuplicateKeyError:
            raise Conflict("you are already registered as a volunteer", code="already_registered") from None

    async def volunteer(self, volunteer_id: str) -> Document | None:
        return await self._volunteers.find_one({"_id": volunteer_id}, PUBLIC_EXCLUSIONS)

    async def volunteer_of(self, subject_id: str) -> Document | None:
        return await self._volunteers.find_one({"subject_id": subject_id}, PUBLIC_EXCLUSIONS)

    async def volunteers(self, ids: Sequence[str]) -> list[Document]:
        return await self._volunteers.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_volunteers(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._volunteers.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_volunteer(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._volunteers, document, changes, [], "volunteer")

    # activities ----------------------------------------------------------------------------
    async def insert_activity(self, activity: Document, shifts: Sequence[Document]) -> None:
        # Shifts first: until the activity exists nothing reaches them, so a crash in between
        # leaves only unreachable shifts, never an activity missing its shifts.
        await self._shifts.insert_many([s | {"version": 1} for s in shifts])
        await self._activities.insert_one(activity | {"version": 1})

    async def activity(self, activity_id: str) -> Document | None:
        return await self._activities.find_one({"_id": activity_id}, PUBLIC_EXCLUSIONS)

    async def activities(self, ids: Sequence[str]) -> list[Document]:
        return await self._activities.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def find_activities(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._activities.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_activity(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._activities, document, changes, events, "activity")

    async def cancel_once(
        self, activity_id: str, open_statuses: Sequence[str], event_id: str, events: Sequence[Envelope]
    ) -> bool:
        """Cancel an open activity for one incoming event; a redelivery of that event changes nothing."""
        filter_, update = apply_once(
            {"_id": activity_id, "status": {"$in": list(open_statuses)}},
            {
                "$set": {"status": "cancelled", "cancel_reason": "organization_deactivated"},
                "$inc": {"version": 1},
            },
            event_id,
        )
        result = await self._activities.update_one(filter_, with_outbox_push(update, events))
        return result.modified_count == 1

    async def open_activity_ids_of(self, org_id: str, open_statuses: Sequence[str]) -> list[str]:
        found = await self._activities.find(
            {"host_organization_id": org_id, "status": {"$in": list(open_statuses)}}, {"_id": 1}
        ).to_list()
        return [d["_id"] for d in found]

    # shifts and sign-ups ---------------------------------------------------------------------
    async def shift(self, shift_id: str) -> Document | None:
        return await self._shifts.find_one({"_id": shift_id}, PUBLIC_EXCLUSIONS)

    async def shifts(self, ids: Sequence[str]) -> list[Document]:
        """Shifts by id, for the gateway's batch reads (sign-ups are shown per caller by the port)."""
        return await self._shifts.find({"_id": {"$in": list(ids)}}, PUBLIC_EXCLUSIONS).to_list()

    async def shifts_of(self, activity_id: str) -> list[Document]:
        return (
            await self._shifts.find({"activity_id": activity_id}, PUBLIC_EXCLUSIONS)
            .sort("starts_at", 1)
            .to_list()
        )

    async def active_windows_of(self, volunteer_id: str) -> list[tuple[datetime, datetime]]:
        """Shifts the volunteer holds (confirmed, offered or waitlisted). The indexed equality finds their
        shifts (``$elemMatch`` alone would scan the collection); the statuses are checked here."""
        found = await self._shifts.find(
            {"signups.volunteer_id": volunteer_id},
            {"starts_at": 1, "ends_at": 1, "signups.volunteer_id": 1, "signups.status": 1},
        ).to_list()
        return [
            (d["starts_at"], d["ends_at"])
            for d in found
            if any(e["volunteer_id"] == volunteer_id and e["status"] in ACTIVE_SIGNUP for e in d["signups"])
        ]

    async def take_place(self, shift_id: str, entry: Document, events: Sequence[Envelope]) -> Document | None:
        """Confirm atomically if a place is free and nobody waits before this volunteer.

        A pipeline update, so ``open`` is recomputed from the same document in the same write: it
        stays open only if it was open and a place is left after this one (every expression
        reads the document as it was before the write).
        """
        return await self._shifts.find_one_and_update(
            {
                "_id": shift_id,
                "free": {"$gt": 0},
                "waitlisted": 0,
                "signups.volunteer_id": {"$ne": entry["volunteer_id"]},
            },
            [
                {
                    "$set": {
                        "free": {"$subtract": ["$free", 1]},
                        "open": {"$and": [{"$eq": ["$open", True]}, {"$gt": ["$free", 1]}]},
                        "version": {"$add": ["$version", 1]},
                        "signups": {"$concatArrays": ["$signups", {"$literal": [entry]}]},
                        OUTBOX: {
                            "$concatArrays": [
                                {"$ifNull": [f"${OUTBOX}", []]},
                                {"$literal": outbox_entries(events)},
                            ]
                        },
                    }
                }
            ],
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    async def join_waitlist(
        self, shift_id: str, entry: Document, events: Sequence[Envelope]
    ) -> Document | None:
        return await self._shifts.find_one_and_update(
            {"_id": shift_id, "signups.volunteer_id": {"$ne": entry["volunteer_id"]}},
            with_outbox_push({"$inc": {"waitlisted": 1, "version": 1}, "$push": {"signups": entry}}, events),
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )

    async def update_shift(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        """A versioned write; a change of ``free`` recomputes ``open`` from the ``accepting`` read
        with this version (a status change bumps the version, so a stale read cannot win)."""
        if "free" in changes:
            changes = changes | {"open": is_open(document.get("accepting") is True, changes["free"])}
        return await versioned_update(self._shifts, document, changes, events, "shift")

    async def shifts_with_lapsed_offers(self, now: datetime) -> list[str]:
        """Shifts with an offer whose deadline has passed (indexed: only open offers carry one)."""
        found = await self._shifts.find({"signups.offer_expires_at": {"$lte": now}}, {"_id": 1}).to_list()
        return [d["_id"] for d in found]

    async def set_shifts_accepting(self, activity_id: str, accepting: bool) -> None:
        """Mirror the activity's "takes sign-ups" onto its shifts (idempotent)."""
        await self._shifts.update_many({"activity_id": activity_id}, _accepting_pipeline(accepting))

    async def unlisted_shifts(self) -> list[Document]:
        """Shifts written before the listing fields existed (one scan; nothing once backfilled)."""
        return await self._shifts.find(
            {"accepting": {"$exists": False}}, {"activity_id": 1, "host_organization_id": 1}
        ).to_list()

    async def list_shift(self, shift_id: str, area_ids: Sequence[str], accepting: bool) -> None:
        """Backfill one shift, only if no status change has listed it meanwhile."""
        pipeline = _accepting_pipeline(accepting)
        pipeline[0]["$set"]["area_ids"] = {"$literal": list(area_ids)}
        await self._shifts.update_one({"_id": shift_id, "accepting": {"$exists": False}}, pipeline)

    async def shifts_with_volunteer(self, volunteer_id: str) -> list[Document]:
        return await self._shifts.find({"signups.volunteer_id": volunteer_id}, PUBLIC_EXCLUSIONS).to_list()
