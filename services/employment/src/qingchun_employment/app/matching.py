"""Matching both ways: ranked open postings for a seeker, ranked seekers for a posting.

At city scale (100,000 postings over the years, 100,000 seekers) nothing can be scored per query
in full. Candidates come from indexed queries for the records that can earn the large parts of the
score, near home first ("就近"):

- postings for a seeker: every open posting in the seeker's community; across the district (and
  city-wide postings), by match key (domain/match_keys.py), those of a wanted trade that want one
  of the seeker's skills or no skill at all, or, for a seeker who takes any trade, those wanting no
  skill of a wanted or favouring kind and those in the street; and those wanting one of the
  seeker's skills in the street or placed at the district's public bodies and communities.
  Postings in other districts are not suggested (就近: a youth of 孝南区 is not sent to 云梦县
  unasked). Postings already applied to are left out. Where that finds few, the whole street, then
  the whole district, is read instead.
- seekers for a posting: for league staff, by match key, the looking seekers of the district who
  hold one of its skills (or a certificate in its trade) and want its trade, and its kind or any
  kind; where those in the caller's scope are too few, community by community outward from the
  posting's place, the seekers who hold one of its skills or want its trade, and at last every
  looking seeker of the nearest community. For the employer's staff, the posting's live
  applicants. Either way only seekers the caller may read are kept (a profile is the seeker's,
  their league staff's and, while they apply there, the employer's).

Every candidate is then scored in Python (domain/matching.py) and ranked; the answer is the top
``limit`` (a top-N list, one page).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

from qingchun_employment.app.context import LEAGUE_STAFF, EmploymentContext
from qingchun_employment.domain.match_keys import postings_wanted_by, seekers_wanted_by
from qingchun_employment.domain.matching import (
    LOOKING_STATUSES,
    PRIORITIES,
    Match,
    OrgTree,
    PostingFacts,
    SeekerFacts,
    best,
    normalise_skill,
    posting_open,
    seeker_looking,
    seeker_skills,
    without_group,
)
from qingchun_employment.domain.seekers import CERTIFIED_PREFIX
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound

MAX_POSTING_KEYS = 7
"""Skill keys of a posting searched among seekers: its skills, their certified forms, its category."""
WALK_HOMES = 6
"""Communities (about a street) the outward walk for seekers visits at most."""
SPARE = 10
"""Candidates gathered beyond the list asked for before a search stops widening."""
MAX_APPLICANTS = 200
"""A posting's live applicants ranked for its employer (the newest, if ever more)."""


@dataclass(frozen=True)
class PostingMatch:
    match: Match
    posting: Document


def local_today(ctx: EmploymentContext) -> date:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()


def _iso_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def seeker_facts(seeker: Document, tree: OrgTree | None = None) -> SeekerFacts:
    declared, certified = seeker_skills(
        seeker.get("skills") or (), (c.get("category") or "" for c in seeker.get("certificates") or ())
    )
    chain = tuple(seeker.get("area_ids") or ())
    home = seeker.get("residence_community_id")
    if not chain and home and tree is not None:
        chain = tree.chain(home)
    return SeekerFacts(
        id=seeker["_id"],
        declared=declared,
        certified=certified,
        wanted_categories=frozenset(seeker.get("wanted_categories") or ()),
        wanted_kinds=frozenset(seeker.get("wanted_kinds") or ()),
        home_chain=chain,
        category=seeker.get("category"),
        available_from=_iso_date(seeker.get("available_from")),
    )


def posting_facts(posting: Document) -> PostingFacts:
    return PostingFacts(
        id=posting["_id"],
        category=posting.get("category") or "",
        kind=posting.get("kind") or "",
        skills=frozenset(normalise_skill(s) for s in posting.get("skills") or ()),
        place_chain=tuple(posting.get("area_ids") or ()),
    )


def is_open(posting: Document, now: datetime) -> bool:
    return posting_open(
        posting.get("status", ""),
        posting.get("expires_at"),
        int(posting.get("headcount") or 0),
        int(posting.get("hired") or 0),
        now,
    )


# postings for a seeker ---------------------------------------------------------------------------
async def postings_for_me(ctx: EmploymentContext, caller: Caller, *, limit: int) -> list[PostingMatch]:
    """The calling seeker's best open postings."""
    seeker = await ctx.seekers.seeker_of(caller.subject)
    if seeker is None:
        raise NotFound("you have no job-seeker profile", code="not_registered")
    return await _postings_for(ctx, seeker, limit)


async def postings_for_seeker(
    ctx: EmploymentContext, caller: Caller, seeker_id: str, *, limit: int
) -> list[PostingMatch]:
    """League staff over the seeker's residence community (or the seeker): their best open postings."""
    seeker = await ctx.seeker(seeker_id)
    if seeker.get("subject_id") != caller.subject:
        home = seeker.get("residence_community_id")
        if home is None:
            raise Forbidden("this seeker names no residence community to be served from", code="out_of_scope")
        await ctx.require_league_staff(caller, home, "seeker_id", seeker.get("area_ids"))
    return await _postings_for(ctx, seeker, limit)


def _search_skills(facts: SeekerFacts) -> list[str]:
    """The seeker's skills to search by, certified first (the keys read the first few)."""
    return [*sorted(facts.certified), *sorted(facts.declared)]


async def _postings_for(ctx: EmploymentContext, seeker: Document, limit: int) -> list[PostingMatch]:
    if not seeker_looking(seeker.get("status", "")):
        raise Conflict(
            "该求职者已就业、已创业或不再求职，不作岗位推荐", field="seeker_id", code="seeker_not_looking"
        )
    home = seeker.get("residence_community_id")
    tree = await ctx.matching.org_tree([home])
    me = seeker_facts(seeker, tree)
    now = ctx.now()
    candidates, applied = await asyncio.gather(
        _near_postings(ctx, me, now), ctx.matching.applied_to(seeker["_id"])
    )
    by_id = {p["_id"]: p for p in candidates if p["_id"] not in applied and is_open(p, now)}
    for area in _widening(me):  # little found: the whole street, then the whole district
        if len(by_id) >= limit + SPARE:
            break
        wider = await ctx.matching.open_in_area(area, now)
        by_id |= {p["_id"]: p for p in wider if p["_id"] not in applied and is_open(p, now)}
    pairs = ((p["_id"], me, posting_facts(p)) for p in by_id.values())
    return [PostingMatch(m, by_id[m.id]) for m in best(pairs, today=local_today(ctx), limit=limit)]


def _widening(me: SeekerFacts) -> list[str]:
    """Areas read in full when the keyed queries find too few: the street, then the district."""
    chain = me.home_chain
    if len(chain) < 2:
        return []
    return [chain[1], chain[2]] if len(chain) > 3 else [chain[1]]


def favoured_kinds(me: SeekerFacts) -> list[str]:
    """The kinds the seeker wants, and those whose priority factor favours the seeker's group."""
    favoured = [kind.value for kind, groups in PRIORITIES.items() if me.category in {g.value for g in groups}]
    return sorted({*me.wanted_kinds, *favoured})


async def _near_postings(ctx: EmploymentContext, me: SeekerFacts, now: datetime) -> list[Document]:
    """The keyed candidate queries, run together (就近, and what the seeker wants):

    - every open posting in the seeker's own community;
    - by match key (domain/match_keys.py), across the district and city-wide: a wanted trade
      wanting one of the seeker's skills or none (for a seeker who takes any trade: no skill and a
      wanted or favouring kind, or no skill in the street); and any trade wanting one of the first
      skills, in the street or at the district's public bodies.

    These are the postings that can earn the large parts of the score (skills 0.35, a posting
    wanting none half of it, trade 0.15, kind 0.10, nearness 0.20); a posting matching none of them
    scores low wherever it is. A seeker with no residence has no "near": staff record it at
    registration (实名制)."""
    chain = me.home_chain
    if len(chain) < 2:
        return []
    skills = _search_skills(me)
    keys = postings_wanted_by(skills, me.wanted_categories, favoured_kinds(me), chain)
    calls = [ctx.matching.open_in_area(chain[0], now)]
    if keys:
        calls.append(ctx.matching.open_by_keys(keys))
    if len(chain) == 3:  # no district between the street and the city: what is placed at the city
        calls.append(ctx.matching.open_at(chain[2:], now))
    batches = await asyncio.gather(*calls)
    return [doc for batch in batches for doc in batch]


# seekers for a posting ---------------------------------------------------------------------------
def posting_keys(posting: PostingFacts) -> list[str]:
    """The seeker skill codes that earn this posting's skill credit: each skill, declared or
    certified (``cert:x``), and a certificate in its category."""
    keys = [*sorted(posting.skills), *(CERTIFIED_PREFIX + s for s in sorted(posting.skills))]
    if posting.category:
        keys.append(CERTIFIED_PREFIX + posting.category)
    return list(dict.fromkeys(keys))[:MAX_POSTING_KEYS]


async def seekers_for_posting(
    ctx: EmploymentContext, caller: Caller, posting_id: str, *, limit: int
) -> list[Match]:
    """Employer staff of the posting, or league staff over its place: the seekers who suit it best
    (ids, scores and reasons only), among those the caller may see at all.

    A seeker is in the answer only if the caller could read the profile: league staff the seekers
    living in their scope (the neighbourhood walk), an employer's admin only the seekers whose
    application to that employer is live (the posting's applicants, ranked), with the priority
    group left unnamed. Everyone else nearby stays out of an employer's sight until they apply or
    accept a referral from their league staff, who see the whole ranking."""
    posting = await ctx.posting(posting_id)
    place = posting.get("place_organization_id")
    employer = posting["employer_organization_id"]
    employer_staff = await ctx.is_employer_staff(caller, employer, posting.get("employer_area_ids"))
    league_over_place = place is not None and await ctx.is_league_staff(
        caller, place, posting.get("area_ids")
    )
    if not (employer_staff or league_over_place):
        raise Forbidden("only the employer's staff or league staff over its place", code="out_of_scope")
    now = ctx.now()
    if not is_open(posting, now):
        raise Conflict(
            "该岗位未在招聘中（未发布、已过期或已招满）", field="posting_id", code="posting_not_open"
        )
    facts = posting_facts(posting)
    tree = await ctx.matching.org_tree([place])
    pool: dict[str, Document] = {}
    if caller.has_any(*LEAGUE_STAFF):
        keys = seekers_wanted_by(facts.category, facts.kind, facts.skills, facts.place_chain)
        found = await ctx.matching.seekers_by_keys(keys) if keys else []
        _add_looking(pool, [[s for s in found if caller.scope & set(s.get("area_ids") or ())]])
        await _walk(ctx, tree, facts, place, pool, limit)
    if employer_staff:
        applicants = await ctx.applications.live_applicants(posting_id, MAX_APPLICANTS)
        _add_looking(pool, [await ctx.matching.seekers_by_ids(applicants)] if applicants else [])
    served, shared = await _who_may_be_seen(ctx, caller, pool)
    today = local_today(ctx)
    visible = (i for i in pool if i in served or i in shared)
    ranked = best(((i, seeker_facts(pool[i], tree), facts) for i in visible), today=today, limit=limit)
    return [m if m.id in served else without_group(m) for m in ranked]


async def _walk(
    ctx: EmploymentContext,
    tree: OrgTree,
    facts: PostingFacts,
    place: str | None,
    pool: dict[str, Document],
    limit: int,
) -> None:
    """Community by community outward from the place, while the pool is short: seekers holding a
    skill or wanting the trade."""
    homes = list(islice(tree.homes_near(place), WALK_HOMES)) if place else []
    wanted = limit + SPARE
    keys = posting_keys(facts)
    for home in homes:
        if len(pool) >= wanted:
            break
        calls = [ctx.matching.seekers_holding(home, "skills", keys)] if keys else []
        if facts.category:
            calls.append(ctx.matching.seekers_holding(home, "wanted_categories", [facts.category]))
        _add_looking(pool, await asyncio.gather(*calls))
    if len(pool) < limit and homes:  # nobody near holds a skill or wants the trade: rank the neighbours
        _add_looking(pool, [await ctx.matching.seekers_looking_in(homes[0], LOOKING_STATUSES)])


async def _who_may_be_seen(
    ctx: EmploymentContext, caller: Caller, pool: dict[str, Document]
) -> tuple[set[str], set[str]]:
    """The pool's seekers the caller serves as league staff (their stored residence chain meets the
    scope), and those sharing their profile with an employer the caller is admin of."""
    served: set[str] = set()
    if caller.has_any(*LEAGUE_STAFF):
        served = {i for i, s in pool.items() if caller.scope & set(s.get("area_ids") or ())}
    rest = [i for i in pool if i not in served]
    shared: set[str] = set()
    if rest and caller.has_any(Role.ORG_ADMIN) and caller.scope:
        shared = await ctx.applications.sharing_with(rest, sorted(caller.scope))
    return served, shared


def _add_looking(pool: dict[str, Document], batches: Sequence[list[Document]]) -> None:
    for batch in batches:
        for seeker in batch:
            if seeker_looking(seeker.get("status", "")):
                pool.setdefault(seeker["_id"], seeker)


def no_cursor(cursor: str | None) -> None:
    """These lists are one page (the top N): a cursor can only be one this service never issued."""
    if cursor:
        raise InvalidInput(
            "this list is a single page of the best matches; it takes no cursor", field="cursor"
        )
