"""The candidate queries behind matching postings and seekers, on indexes built for them.

Every query has the one shape the embedded store (SecantusDB) answers from an index alone:
equalities on the leading fields and at most one range or ``$in`` on the next, and no other
field in the filter (a field outside the index sends it back to reading a whole key or the whole
collection). It applies ``limit`` only after reading every indexed candidate, so narrowing is
done by keys: a street, a place, a skill within a district, a community. ``$or`` would scan, so
callers run several small queries together instead.

MongoDB refuses a compound index over two array fields (``skills`` and ``area_ids`` both are), so
"a skill near here" pairs the array with a scalar (the seeker's ``residence_community_id``), or is
one string of ``match_keys`` ("a skill, a trade and a kind in this district", domain/match_keys.py),
read by one ``$in``. The posting indexes are partial on ``status: published``:
they hold the few postings open now, not years of expired ones. Candidates are projected to what
scoring and the answer read (never a seeker's name or phone).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from qingchun_employment.adapters.applications import APPLICATIONS
from qingchun_employment.adapters.match_keys import (
    MATCH_KEYS,
    POSTING_KEY_FIELDS,
    SEEKER_KEY_FIELDS,
    posting_match_keys,
    seeker_match_keys,
)
from qingchun_employment.adapters.postings import POSTINGS
from qingchun_employment.adapters.seekers import SEEKERS
from qingchun_employment.domain.matching import OPEN_POSTING, OrgTree
from qingchun_plumbing.derived import DerivedField, backfill
from qingchun_plumbing.directory import ORGANIZATIONS
from qingchun_plumbing.mongo import Database, Document, IndexSpec

PUBLISHED = {"status": OPEN_POSTING}
INDEXES: list[IndexSpec] = [
    IndexSpec(
        POSTINGS,
        [("area_ids", 1), ("status", 1), ("expires_at", 1)],
        name="match_open_in_area",
        partial=PUBLISHED,
    ),
    IndexSpec(
        POSTINGS,
        [("place_organization_id", 1), ("status", 1), ("expires_at", 1)],
        name="match_open_at_place",
        partial=PUBLISHED,
    ),
    IndexSpec(POSTINGS, [(MATCH_KEYS, 1), ("status", 1)], name="match_open_by_key", partial=PUBLISHED),
    IndexSpec(SEEKERS, [("residence_community_id", 1), ("skills", 1)], name="match_by_home_skill"),
    IndexSpec(SEEKERS, [("residence_community_id", 1), ("wanted_categories", 1)], name="match_by_home_wish"),
    IndexSpec(SEEKERS, [("residence_community_id", 1), ("status", 1)], name="match_by_home_status"),
    IndexSpec(SEEKERS, [(MATCH_KEYS, 1)], name="match_seekers_by_key"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
MATCH_KEY_BACKFILLS = (
    DerivedField(POSTINGS, MATCH_KEYS, POSTING_KEY_FIELDS, lambda d: {MATCH_KEYS: posting_match_keys(d)}),
    DerivedField(SEEKERS, MATCH_KEYS, SEEKER_KEY_FIELDS, lambda d: {MATCH_KEYS: seeker_match_keys(d)}),
)
"""Postings and seekers stored before match keys existed; until they have them, matching finds
them only through the other candidate queries."""
POSTING_FIELDS = {
    f: 1
    for f in (
        "title",
        "employer_organization_id",
        "category",
        "kind",
        "skills",
        "area_ids",
        "place_organization_id",
        "pay_min",
        "pay_max",
        "headcount",
        "hired",
        "status",
        "expires_at",
    )
}
SEEKER_FIELDS = {
    f: 1
    for f in (
        "subject_id",
        "skills",
        "certificates.category",
        "wanted_categories",
        "wanted_kinds",
        "area_ids",
        "residence_community_id",
        "status",
        "available_from",
        "category",
    )
}
"""What scoring reads of a seeker: never the real name, phone or consent."""
SeekerKey = Literal["skills", "wanted_categories"]
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
"""Organisation types a seeker names as residence (社区, 居委会, 村, and their 团支部/总支)."""
TREE_TTL_SECONDS = 30.0


async def backfill_match_keys(db: Database) -> int:
    """Give the records stored before match keys existed their keys (a periodic job)."""
    return sum([await backfill(db, derived) for derived in MATCH_KEY_BACKFILLS])


def _unique(batches: Iterable[list[Document]]) -> list[Document]:
    return list({doc["_id"]: doc for batch in batches for doc in batch}.values())


class MatchingStore:
    def __init__(self, db: Database) -> None:
        self._orgs = db[ORGANIZATIONS]
        self._postings = db[POSTINGS]
        self._seekers = db[SEEKERS]
        self._applications = db[APPLICATIONS]
        self._tree: OrgTree | None = None
        self._tree_read_at = 0.0
        self._tree_lock = asyncio.Lock()

    async def org_tree(self, must_know: Iterable[str | None] = ()) -> OrgTree:
        """The organisation tree, read at most every 30 s, and at once when it misses a given id
        (it changes a few times a year; reading it per query would cost more than the match)."""
        wanted = [org_id for org_id in must_know if org_id is not None]
        async with self._tree_lock:
            tree = self._tree
            stale = time.monotonic() - self._tree_read_at >= TREE_TTL_SECONDS
            if tree is None or stale or any(org_id not in tree.parents for org_id in wanted):
                found = await self._orgs.find({}, {"parent_id": 1, "type": 1}).to_list()
                tree = OrgTree.of((d["_id"], d.get("parent_id"), d.get("type") in HOME_TYPES) for d in found)
                self._tree, self._tree_read_at = tree, time.monotonic()
            return tree

    # postings for a seeker -------------------------------------------------------------------
    async def open_in_area(self, area_id: str, now: datetime) -> list[Document]:
        """Published postings not yet expired whose place is ``area_id`` or below it."""
        query = {"area_ids": area_id, "status": OPEN_POSTING, "expires_at": {"$gt": now}}
        return await self._postings.find(query, POSTING_FIELDS).to_list()

    async def open_by_keys(self, keys: Sequence[str]) -> list[Document]:
        """Published postings carrying one of these match keys (expiry is left to the caller)."""
        query = {MATCH_KEYS: {"$in": list(keys)}, "status": OPEN_POSTING}
        return await self._postings.find(query, POSTING_FIELDS).to_list()

    async def open_at(self, place_ids: Sequence[str], now: datetime) -> list[Document]:
        """Published postings not yet expired placed at one of these organisations themselves."""
        found = await asyncio.gather(
            *(
                self._postings.find(
                    {"place_organization_id": place, "status": OPEN_POSTING, "expires_at": {"$gt": now}},
                    POSTING_FIELDS,
                ).to_list()
                for place in place_ids
            )
        )
        return _unique(found)

    async def applied_to(self, seeker_id: str) -> set[str]:
        """Postings the seeker already applied to (or was referred to): not suggested again."""
        found = await self._applications.find({"seeker_id": seeker_id}, {"posting_id": 1}).to_list()
        return {d["posting_id"] for d in found}

    # seekers for a posting -------------------------------------------------------------------
    async def seekers_holding(self, home_id: str, key: SeekerKey, values: Sequence[str]) -> list[Document]:
        """Seekers living in one community whose ``key`` holds one of ``values``, whatever their
        status (the caller keeps those still looking)."""
        query = {"residence_community_id": home_id, key: {"$in": list(values)}}
        return await self._seekers.find(query, SEEKER_FIELDS).to_list()

    async def seekers_by_keys(self, keys: Sequence[str]) -> list[Document]:
        """Seekers carrying one of these match keys (only seekers still looking carry any)."""
        return await self._seekers.find({MATCH_KEYS: {"$in": list(keys)}}, SEEKER_FIELDS).to_list()

    async def seekers_looking_in(self, home_id: str, statuses: Sequence[str]) -> list[Document]:
        """Every seeker of one community still looking, skills or not."""
        query = {"residence_community_id": home_id, "status": {"$in": list(statuses)}}
        return await self._seekers.find(query, SEEKER_FIELDS).to_list()

    async def seekers_by_ids(self, seeker_ids: Sequence[str]) -> list[Document]:
        """These seekers, projected for scoring (a posting's live applicants)."""
        return await self._seekers.find({"_id": {"$in": list(seeker_ids)}}, SEEKER_FIELDS).to_list()
