"""Matching both ways: ranked shifts for the calling volunteer, ranked volunteers for a shift.

At city scale (100,000 volunteers, 100,000 activities) nothing can be scored per query in full.
Candidates come from indexed queries that follow "就近就便" (serve near home):

- shifts for a volunteer: open ones (the activity takes sign-ups and a place is free, kept on the
  shift as ``open``) starting within ``HORIZON``, hosted anywhere under the volunteer's street
  (one key: the street is in their ``area_ids``) or by the bodies above it (district, city); a
  volunteer with no home community gets open shifts needing one of their specialties instead;
- volunteers for a shift: volunteers free on the shift's local weekday(s), community by community
  outward from the host until ``VOLUNTEER_CAP`` are found, plus those with a required skill in the
  communities reached.

Then every candidate is scored in Python (domain/matching.py) and ranked. The cursor is the rank
offset.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from itertools import islice
from zoneinfo import ZoneInfo

from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import decode_cursor, encode_cursor
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.signups import shift_of
from qingchun_volunteering.app.volunteers import band_of
from qingchun_volunteering.domain.matching import (
    Match,
    OrgTree,
    ShiftFacts,
    VolunteerFacts,
    normalise_skill,
    rank,
    score_pair,
    shift_weekdays,
)
from qingchun_volunteering.domain.volunteers import AgeBand, Availability

HORIZON = timedelta(days=14)
"""Two weeks ahead: at 30 days the candidate set doubles and the p95 at city scale misses its 50 ms
budget (bench/README.md); later shifts are still found by browsing activities."""
LONGEST_SHIFT = timedelta(hours=24)
VOLUNTEER_CAP = 150
"""Weekday-available volunteers gathered before the outward walk over communities stops."""
MAX_SKILL_QUERIES = 3
SKILL_HOMES = 12
"""Home communities (about one street) searched for holders of a shift's required skills."""
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
        windows=tuple(
            Availability(w["weekday"], time.fromisoformat(w["starts"]), time.fromisoformat(w["ends"]))
            for w in volunteer.get("availability", ())
        ),
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


async def volunteers_for_shift(
    ctx: VolunteeringContext, caller: Caller, shift_id: str, *, offset: int, limit: int
) -> tuple[list[VolunteerMatch], str | None]:
    """Organisers of the host: the volunteers who suit the shift best, nearest communities first."""
    document = await ctx.shift(shift_id)
    host = document["host_organization_id"]
    await ctx.require_organizer(caller, host)
    tree = await ctx.matching.org_tree([host])
    scoring = Scoring(ctx)
    weekdays = shift_weekdays(document["starts_at"], document["ends_at"], scoring.zone)
    found: dict[str, Document] = {}
    for home in tree.homes_near(host):
        if len(found) >= VOLUNTEER_CAP:
            break
        found.update((v["_id"], v) for v in await ctx.matching.volunteers_available(home, weekdays))
    skills = list(document.get("required_skills", ()))[:MAX_SKILL_QUERIES]
    homes = list(islice(tree.homes_near(host), SKILL_HOMES))
    if skills and homes:
        found.update((v["_id"], v) for v in await ctx.matching.volunteers_with_skill(skills, homes))
    joined = {e["volunteer_id"] for e in document["signups"]}
    shift = shift_facts(document, tree)
    candidates = [v for v in found.values() if v["_id"] not in joined]
    ranked = rank(scoring.pair(volunteer_facts(v, tree), shift, v["_id"]) for v in candidates)
    on = document["starts_at"].date()
    page = [VolunteerMatch(m, band_of(ctx, found[m.id], on)) for m in ranked[offset : offset + limit]]
    return page, _next_cursor(offset, limit, len(ranked) > offset + limit)
