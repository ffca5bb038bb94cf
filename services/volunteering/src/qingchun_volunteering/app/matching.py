"""Matching both ways: ranked shifts for the calling volunteer, ranked volunteers for a shift.

At city scale (100,000 volunteers, 100,000 activities) nothing can be scored per query in full.
Candidates come from indexed queries that follow "就近就便" (serve near home):

- shifts for a volunteer: open ones (the activity takes sign-ups and a place is free, kept on the
  shift as ``open``) starting within ``HORIZON``, hosted anywhere under the volunteer's street
  (one key: the street is in their ``area_ids``) or by the bodies above it (district, city); a
  volunteer with no home community gets open shifts needing one of their specialties instead;
- volunteers for a shift: volunteers whose weekly windows touch the shift's hours (``weekly_slots``,
  kept on each volunteer), community by community outward from the host until enough of them may
  sign up (or ``WALK_READS`` are read); and, over the nearest ``SKILL_HOMES`` communities (about a
  district), those holding a required skill and free in the quarter day of the shift's middle
  (``skill_slots``). Skills weigh
  most, so a skilled volunteer free a district away outranks an unskilled neighbour. Only when
  nobody near is free then (a night shift) are the skilled ones of the nearest communities read
  regardless of time, and the host's own volunteers too unless enough skilled ones already outscore
  the best any of them could (``UNSKILLED_UNFREE_CEILING``), which leaves the ranking unchanged.

Then every candidate is scored in Python (domain/matching.py) and ranked. The cursor is the rank
offset.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import islice
from zoneinfo import ZoneInfo

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import decode_cursor, encode_cursor
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.signups import shift_of
from qingchun_volunteering.app.volunteers import band_of, stored_windows
from qingchun_volunteering.domain.matching import (
    DEFAULT_WEIGHTS,
    Match,
    OrgTree,
    ShiftFacts,
    VolunteerFacts,
    normalise_skill,
    rank,
    score_pair,
    shift_skill_slots,
    shift_slots,
)
from qingchun_volunteering.domain.volunteers import AgeBand

HORIZON = timedelta(days=14)
"""Two weeks ahead: at 30 days the candidate set doubles and the p95 at city scale misses its 50 ms
budget (bench/README.md); later shifts are still found by browsing activities."""
LONGEST_SHIFT = timedelta(hours=24)
SPARE = 10
"""Eligible free volunteers gathered beyond the page asked for before the outward walk stops."""
WALK_HOMES = 12
"""Home communities (about a street) the outward walk for free volunteers visits at most."""
WALK_READS = 120
"""Free volunteers read before the walk stops even if few of them may sign up (an age-limited
shift): every one read costs about 0.1 ms on the embedded store."""
MAX_SKILL_QUERIES = 3
SKILL_HOMES = 60
"""Home communities (about a district) searched for free holders of a shift's required skills,
shared among its skills (60 for one, 30 each for two); reads grow with it (bench/README.md)."""
FALLBACK_SKILL_HOMES = 12
UNSKILLED_UNFREE_CEILING = DEFAULT_WEIGHTS.proximity + DEFAULT_WEIGHTS.reliability
"""The best score of a volunteer holding none of a shift's skills and free at none of its hours
(same community, a perfect record): the night fallback reads the host community's whole roster only
while fewer than a page and ``SPARE`` of the skilled candidates score above it."""
MAX_RANK = 200
"""Deepest rank a cursor may reach; beyond it the candidate sets are not meant to be complete."""


@dataclass(frozen=True)
class ShiftMatch:
    match: Match
    shift: Document


@dataclass(frozen=True)
class VolunteerMatch:
    match: Match
    age_band: AgeBand


def rank_offset(cursor: str | None) -> int:
    position = decode_cursor(cursor)
    if position is None:
        return 0
    offset = position.get("rank")
    if not isinstance(offset, int) or not 0 <= offset <= MAX_RANK:
        raise InvalidInput("cursor is not one this service issued", field="cursor")
    return offset


def _next_cursor(offset: int, limit: int, more: bool) -> str | None:
    return encode_cursor({"rank": offset + limit}) if more and offset + limit <= MAX_RANK else None


def volunteer_facts(volunteer: Document, tree: OrgTree) -> VolunteerFacts:
    home = volunteer.get("home_community_id")
    return VolunteerFacts(
        id=volunteer["_id"],
        birth=date.fromisoformat(volunteer["birth_date"]),
        has_consent=volunteer.get("consent") is not None,
        specialties=frozenset(normalise_skill(s) for s in volunteer.get("specialties", ())),
        windows=tuple(stored_windows(volunteer.get("availability") or ())),
        home_chain=tree.chain(home) if home else (),
        attended=volunteer.get("attended_count", 0),
        no_show=volunteer.get("no_show_count", 0),
    )


@dataclass(frozen=True)
class Scoring:
    ctx: VolunteeringContext

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.ctx.settings.local_timezone)

    def pair(
        self,
        volunteer: VolunteerFacts,
        shift: ShiftFacts,
        match_id: str,
        held: Sequence[tuple[datetime, datetime]] = (),
    ) -> Match:
        return score_pair(
            volunteer, shift, policy=self.ctx.age_policy, zone=self.zone, held=held, match_id=match_id
        )


def shift_facts(document: Document, tree: OrgTree) -> ShiftFacts:
    return ShiftFacts(document["_id"], shift_of(document), tree.chain(document["host_organization_id"]))


async def shifts_for_me(
    ctx: VolunteeringContext, caller: Caller, *, offset: int, limit: int
) -> tuple[list[ShiftMatch], str | None]:
    """The caller's best shifts, open for sign-up, with free places, not already joined."""
    volunteer = await ctx.store.volunteer_of(caller.subject)
    if volunteer is None:
        raise NotFound("you are not registered as a volunteer", code="not_registered")
    home = volunteer.get("home_community_id")
    tree = await ctx.matching.org_tree([home])
    now = ctx.now()
    if home is not None:
        street, above = tree.neighbourhood(home)
        found = await asyncio.gather(
            ctx.matching.open_shifts("area_ids", [street], now, now + HORIZON),
            ctx.matching.open_shifts("host_organization_id", above, now, now + HORIZON),
            ctx.matching.signed_up(volunteer["_id"], now - LONGEST_SHIFT),
        )
        candidates = [*found[0], *found[1]]
        joined, held = found[2]
    else:
        skills = list(volunteer.get("specialties", ()))[:MAX_SKILL_QUERIES]
        candidates = await ctx.matching.open_shifts("required_skills", skills, now, now + HORIZON)
        joined, held = await ctx.matching.signed_up(volunteer["_id"], now - LONGEST_SHIFT)
    me = volunteer_facts(volunteer, tree)
    scoring = Scoring(ctx)
    by_id = {s["_id"]: s for s in candidates if s["_id"] not in joined}
    ranked = rank(scoring.pair(me, shift_facts(s, tree), s["_id"], held) for s in by_id.values())
    page = [ShiftMatch(m, by_id[m.id]) for m in ranked[offset : offset + limit]]
    return page, _next_cursor(offset, limit, len(ranked) > offset + limit)


@dataclass
class Pool:
    """Candidates scored as they arrive, so the walk knows how many may actually sign up."""

    scoring: Scoring
    shift: ShiftFacts
    tree: OrgTree
    joined: set[str]
    documents: dict[str, Document] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    eligible: int = 0

    def beaten_above(self, ceiling: float) -> int:
        """Eligible candidates scoring above ``ceiling``: volunteers not yet read who cannot score
        more than it rank after all of them, so reading them cannot change the first this many."""
        return sum(1 for m in self.matches if m.eligible and m.score > ceiling)

    def add(self, volunteers: list[Document]) -> None:
        for volunteer in volunteers:
            volunteer_id = volunteer["_id"]
            if volunteer_id in self.documents or volunteer_id in self.joined:
                continue
            self.documents[volunteer_id] = volunteer
            match = self.scoring.pair(volunteer_facts(volunteer, self.tree), self.shift, volunteer_id)
            self.matches.append(match)
            self.eligible += match.eligible


async def volunteers_for_shift(
    ctx: VolunteeringContext, caller: Caller, shift_id: str, *, offset: int, limit: int
) -> tuple[list[VolunteerMatch], str | None]:
    """Organisers of the host: the volunteers who suit the shift best, nearest communities first."""
    document = await ctx.shift(shift_id)
    host = document["host_organization_id"]
    await ctx.require_organizer(caller, host)
    tree = await ctx.matching.org_tree([host])
    scoring = Scoring(ctx)
    starts_at, ends_at = document["starts_at"], document["ends_at"]
    pool = Pool(scoring, shift_facts(document, tree), tree, {e["volunteer_id"] for e in document["signups"]})
    wanted = offset + limit + SPARE
    skills = list(document.get("required_skills", ()))[:MAX_SKILL_QUERIES]
    homes = list(islice(tree.homes_near(host), SKILL_HOMES))

    async def walk() -> int:
        hours, read = shift_slots(starts_at, ends_at, scoring.zone), 0
        for home in homes[:WALK_HOMES]:
            if pool.eligible >= wanted or read >= WALK_READS:
                break
            free = await ctx.matching.volunteers_free(home, hours)
            pool.add(free)
            read += len(free)
        return read

    async def skilled() -> None:
        keys = shift_skill_slots(skills, starts_at, ends_at, scoring.zone)
        if keys and homes:
            share = max(SKILL_HOMES // len(keys), 1)
            found = await asyncio.gather(
                *(ctx.matching.volunteers_with_skill_free(key, homes[:share]) for key in keys)
            )
            for volunteers in found:
                pool.add(volunteers)

    free_near, _ = await asyncio.gather(walk(), skilled())
    if not free_near and homes:  # nobody near is free then (a night shift): skills, nearness, record
        if skills:
            pool.add(await ctx.matching.volunteers_with_skill(skills, homes[:FALLBACK_SKILL_HOMES]))
        if pool.beaten_above(UNSKILLED_UNFREE_CEILING) < wanted:
            pool.add(await ctx.matching.volunteers_of(homes[0]))
    ranked = rank(pool.matches)
    on = starts_at.date()
    page = [
        VolunteerMatch(m, band_of(ctx, pool.documents[m.id], on)) for m in ranked[offset : offset + limit]
    ]
    return page, _next_cursor(offset, limit, len(ranked) > offset + limit)
