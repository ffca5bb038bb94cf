"""The candidate queries behind matching, on indexes built for them.

Every query here has the one shape the embedded store (SecantusDB) answers from an index without
reading the rest of the collection: equalities on the leading fields and at most one range or
``$in`` on the next field. The store applies ``limit`` only after it has read every indexed
candidate, so the narrowing is done by the keys, never by a limit: a host and a time horizon, a
community and the hours of a shift, a skill-and-quarter-day and a set of communities. ``$or`` and
two ranges in one filter fall back to a collection scan there, so callers run several small
queries instead.

Shifts carry ``area_ids`` and ``open`` (adapters/store.py ``listing``): the shifts of a whole
street that still take sign-ups are one key range, and neither full nor closed shifts nor
activity statuses are read. Volunteers carry ``weekly_slots`` and ``skill_slots``
(app/volunteers.py ``match_fields``): only those free when a shift runs are read, never everyone
with a window on its weekday. Each is an array, so each has an index of its own (MongoDB refuses
a compound index over two arrays). Candidates are projected to what scoring reads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from qingchun_plumbing.directory import ORGANIZATIONS
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_volunteering.adapters.store import SHIFTS, VOLUNTEERS
from qingchun_volunteering.domain.matching import OrgTree

OUTBOX_COLLECTIONS: tuple[str, ...] = ()
WEEKLY_SLOTS = "weekly_slots"
SKILL_SLOTS = "skill_slots"
"""On each volunteer, the weekly hours their availability touches and their specialties times the
quarter days it touches (app.volunteers ``match_fields``, written with availability/specialties)."""
INDEXES: list[IndexSpec] = [
    IndexSpec(SHIFTS, [("area_ids", 1), ("open", 1), ("starts_at", 1)], name="match_open_in_area"),
    IndexSpec(
        SHIFTS, [("host_organization_id", 1), ("open", 1), ("starts_at", 1)], name="match_open_by_host"
    ),
    IndexSpec(SHIFTS, [("required_skills", 1), ("open", 1), ("starts_at", 1)], name="match_open_by_skill"),
    IndexSpec(SHIFTS, [("signups.volunteer_id", 1), ("starts_at", 1)], name="match_held_by_volunteer"),
    IndexSpec(VOLUNTEERS, [("home_community_id", 1), (WEEKLY_SLOTS, 1)], name="match_by_home_slot"),
    IndexSpec(VOLUNTEERS, [(SKILL_SLOTS, 1), ("home_community_id", 1)], name="match_by_skill_slot_home"),
    IndexSpec(VOLUNTEERS, [("specialties", 1), ("home_community_id", 1)], name="match_by_skill_home"),
]
SHIFT_FIELDS = {
    f: 1
    for f in (
        "activity_id",
        "host_organization_id",
        "starts_at",
        "ends_at",
        "capacity",
        "min_age",
        "max_age",
        "family_only",
        "required_skills",
    )
}
"""What scoring and the answer read of a candidate shift: never its sign-ups (most of its bytes)."""
VOLUNTEER_FIELDS = {
    f: 1
    for f in (
        "birth_date",
        "consent",
        "specialties",
        "availability",
        "home_community_id",
        "attended_count",
        "no_show_count",
    )
}
"""What scoring reads of a candidate volunteer."""
ShiftKey = Literal["area_ids", "host_organization_id", "required_skills"]
HOME_TYPES = frozenset(
    {
        "community",
        "residential_compound",
        "functional_community",
        "community_workstation",
        "village_committee",
        "league_general_branch",
        "league_branch",
    }
)
"""Organisation types a volunteer names as home community (社区, 居委会, 村, and their 团支部/总支)."""
TREE_TTL_SECONDS = 30.0
HELD_STATUSES = ("confirmed", "waitlisted")


class MatchingStore:
    def __init__(self, db: Database) -> None:
        self._orgs = db[ORGANIZATIONS]
        self._volunteers = db[VOLUNTEERS]
        self._shifts = db[SHIFTS]
        self._tree: OrgTree | None = None
        self._tree_read_at = 0.0
        self._tree_lock = asyncio.Lock()

    async def org_tree(self, must_know: Iterable[str | None] = ()) -> OrgTree:
        """The organisation tree, read at most every 30 s, and at once when it misses a given id.

        The tree changes a few times a year; reading a few hundred parent links per query would
        cost more than all the rest of a match.
        """
        wanted = [org_id for org_id in must_know if org_id is not None]
        async with self._tree_lock:
            tree = self._tree
            fresh = time.monotonic() - self._tree_read_at < TREE_TTL_SECONDS
            if tree is None or not fresh or any(org_id not in tree.parents for org_id in wanted):
                found = await self._orgs.find({}, {"parent_id": 1, "type": 1}).to_list()
                tree = OrgTree.of((d["_id"], d.get("parent_id"), d.get("type") in HOME_TYPES) for d in found)
                self._tree, self._tree_read_at = tree, time.monotonic()
            return tree

    # shifts for a volunteer ------------------------------------------------------------------
    async def open_shifts(
        self, key: ShiftKey, values: Sequence[str], start: datetime, end: datetime
    ) -> list[Document]:
        """Open shifts (sign-ups taken, a place free) starting in [start, end) whose ``key`` holds one
        of ``values``: one indexed range per value, run together, each shift once."""
        found = await asyncio.gather(
            *(
                self._shifts.find(
                    {key: value, "open": True, "starts_at": {"$gte": start, "$lt": end}}, SHIFT_FIELDS
                ).to_list()
                for value in values
            )
        )
        return list({doc["_id"]: doc for batch in found for doc in batch}.values())

    async def signed_up(
        self, volunteer_id: str, since: datetime
    ) -> tuple[set[str], list[tuple[datetime, datetime]]]:
        """Shifts starting after ``since`` the volunteer has any sign-up on (they cannot sign up
        again), and the windows of those they hold (confirmed or waitlisted) that end after it."""
        found = await self._shifts.find(
            {"signups.volunteer_id": volunteer_id, "starts_at": {"$gte": since}},
            {"starts_at": 1, "ends_at": 1, "signups.volunteer_id": 1, "signups.status": 1},
        ).to_list()
        held = [
            (d["starts_at"], d["ends_at"])
            for d in found
            if d["ends_at"] > since
            and any(e["volunteer_id"] == volunteer_id and e["status"] in HELD_STATUSES for e in d["signups"])
        ]
        return {d["_id"] for d in found}, held

    # volunteers for a shift ------------------------------------------------------------------
    async def volunteers_free(self, home_id: str, slots: Sequence[str]) -> list[Document]:
        """Volunteers of one home community whose weekly windows touch one of these hours."""
        query = {"home_community_id": home_id, WEEKLY_SLOTS: {"$in": list(slots)}}
        return await self._volunteers.find(query, VOLUNTEER_FIELDS).to_list()

    async def volunteers_with_skill_free(self, skill_slot: str, home_ids: Sequence[str]) -> list[Document]:
        """Volunteers of these home communities holding a skill and free in a quarter day (one
        ``skill_slots`` key, as ``"急救@6-am"``)."""
        query = {SKILL_SLOTS: skill_slot, "home_community_id": {"$in": list(home_ids)}}
        return await self._volunteers.find(query, VOLUNTEER_FIELDS).to_list()

    async def volunteers_of(self, home_id: str) -> list[Document]:
        """Every volunteer of one home community, free or not (when nobody near is free then)."""
        return await self._volunteers.find({"home_community_id": home_id}, VOLUNTEER_FIELDS).to_list()

    async def volunteers_with_skill(self, skills: Sequence[str], home_ids: Sequence[str]) -> list[Document]:
        """Volunteers of these home communities who list one of these specialties, each once."""
        found = await asyncio.gather(
            *(
                self._volunteers.find(
                    {"specialties": skill, "home_community_id": {"$in": list(home_ids)}}, VOLUNTEER_FIELDS
                ).to_list()
                for skill in skills
            )
        )
        return list({doc["_id"]: doc for batch in found for doc in batch}.values())
