"""REST API of matching both ways: postings for a seeker, seekers for a posting.

Each answer is the top ``limit`` matches, one page (``next_cursor`` is always null); they take
``cursor`` and ``limit`` like every list, and refuse a cursor since they never issue one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_employment.app import matching
from qingchun_employment.domain.matching import MatchFactor, ReasonCode
from qingchun_employment.ports.api import Ctx, Cursor
from qingchun_employment.ports.matching_schemas import (
    PostingMatchOut,
    SeekerMatchOut,
    posting_match_out,
    seeker_match_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import Page

MAX_MATCHES = 50
MatchLimit = Annotated[int, Query(ge=1, le=MAX_MATCHES)]
router = APIRouter(prefix="/v1", tags=["matching"])


@router.get(
    "/seekers/me/matches",
    response_model=Page[PostingMatchOut],
    summary="Open postings that suit me best (技能、意向、就近、到岗), with the reasons",
)
async def my_matches(
    caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: MatchLimit = 20
) -> Page[PostingMatchOut]:
    matching.no_cursor(cursor)
    found = await matching.postings_for_me(ctx, caller, limit=limit)
    return Page(items=[posting_match_out(m) for m in found])


@router.get(
    "/seekers/{seeker_id}/matches",
    response_model=Page[PostingMatchOut],
    summary="League staff over the seeker's community: open postings that suit the seeker best",
)
async def seeker_matches(
    seeker_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: MatchLimit = 20
) -> Page[PostingMatchOut]:
    matching.no_cursor(cursor)
    found = await matching.postings_for_seeker(ctx, caller, seeker_id, limit=limit)
    return Page(items=[posting_match_out(m) for m in found])


@router.get(
    "/postings/{posting_id}/matches",
    response_model=Page[SeekerMatchOut],
    summary="Employer staff or league staff over its place: seekers who suit the posting (ids, reasons)",
)
async def posting_matches(
    posting_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: MatchLimit = 20
) -> Page[SeekerMatchOut]:
    matching.no_cursor(cursor)
    found = await matching.seekers_for_posting(ctx, caller, posting_id, limit=limit)
    return Page(items=[seeker_match_out(m) for m in found])


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "match_factor": MatchFactor,
    "match_reason": ReasonCode,
}
