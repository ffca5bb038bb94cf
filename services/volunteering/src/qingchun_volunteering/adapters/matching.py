"""The candidate queries behind matching, on indexes built for them.

Every query here has the one shape the embedded store (SecantusDB) answers from an index without
reading the rest of the collection: equalities on the leading fields and at most one range or
``$in`` on the next field. The store applies ``limit`` only after it has read every indexed
candidate, so the narrowing is done by the keys, never by a limit: a host and a time horizon, a
community and a weekday, a skill and a set of communities. ``$or`` and two ranges in one filter
fall back to a collection scan there, so callers run several small queries instead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_volunteering.adapters.store import ACTIVITIES, ORGANIZATIONS, SHIFTS, VOLUNTEERS
from qingchun_volunteering.domain.matching import OrgTree

OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = [
    IndexSpec(SHIFTS, [("host_organization_id", 1), ("starts_at", 1)], name="match_by_host_time"),
    IndexSpec(SHIFTS, [("required_skills", 1), ("starts_at", 1)], name="match_by_skill_time"),
    IndexSpec(SHIFTS, [("signups.volunteer_id", 1), ("starts_at", 1)], name="match_held_by_volunteer"),
    IndexSpec(VOLUNTEERS, [("home_community_id", 1), ("availability.weekday", 1)], name="match_by_home_day"),
    IndexSpec(VOLUNTEERS, [("specialties", 1), ("home_community_id", 1)], name="match_by_skill_home"),
]
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
        self._activities = db[ACTIVITIES]
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
    async def upcoming_shifts(
        self, host_ids: Sequence[str], start: datetime, end: datetime
    ) -> list[Document]:
        """Shifts of these hosts starting in [start, end): one indexed range per host, run together."""
        found = await asyncio.gather(
            *(
                self._shifts.find(
                    {"host_organization_id": host, "starts_at": {"$gte": start, "$lt": end}}
                ).to_list()
                for host in host_ids
            )
        )
        return [doc for batch in found for doc in batch]

    async def shifts_needing(self, skills: Sequence[str], start: datetime, end: datetime) -> list[Document]:
        """Shifts starting in [start, end) that require one of these skills, each shift once."""
        found = await asyncio.gather(
            *(
                self._shifts.find(
                    {"required_skills": skill, "starts_at": {"$gte": start, "$lt": end}}
                ).to_list()
                for skill in skills
            )
        )
        return list({doc["_id"]: doc for batch in found for doc in batch}.values())

    async def held_windows(self, volunteer_id: str, since: datetime) -> list[tuple[datetime, datetime]]:
        """The volunteer's confirmed or waitlisted shifts that end after ``since``."""
        found = await self._shifts.find(
            {"signups.volunteer_id": volunteer_id, "starts_at": {"$gte": since}},
            {"starts_at": 1, "ends_at": 1, "signups.volunteer_id": 1, "signups.status": 1},
        ).to_list()
        return [
            (d["starts_at"], d["ends_at"])
            for d in found
            if d["ends_at"] > since
            and any(e["volunteer_id"] == volunteer_id and e["status"] in HELD_STATUSES for e in d["signups"])
        ]

    async def activity_statuses(self, activity_ids: Sequence[str]) -> dict[str, str]:
        """Status by activity id, for the few finalists only (a long ``$in`` is slow on SecantusDB)."""
        found = await self._activities.find({"_id": {"$in": list(activity_ids)}}, {"status": 1}).to_list()
        return {d["_id"]: d["status"] for d in found}

    # volunteers for a shift ------------------------------------------------------------------
    async def volunteers_available(self, home_id: str, weekdays: Sequence[int]) -> list[Document]:
        """Volunteers of one home community with a window on one of these weekdays."""
        query: dict[str, Any] = {
            "home_community_id": home_id,
            "availability.weekday": {"$in": list(weekdays)},
        }
        return await self._volunteers.find(query).to_list()

    async def volunteers_with_skill(self, skills: Sequence[str], home_ids: Sequence[str]) -> list[Document]:
        """Volunteers of these home communities who list one of these specialties, each once."""
        found = await asyncio.gather(
            *(
                self._volunteers.find(
                    {"specialties": skill, "home_community_id": {"$in": list(home_ids)}}
                ).to_list()
                for skill in skills
            )
        )
        return list({doc["_id"]: doc for batch in found for doc in batch}.values())
