"""REST API of matching (``/v1``): ranked shifts for me, ranked volunteers for a shift."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import Page
from qingchun_volunteering.app import matching
from qingchun_volunteering.domain.matching import MatchFactor, Proximity
from qingchun_volunteering.ports.api import Ctx, Cursor
from qingchun_volunteering.ports.matching_schemas import (
    ShiftMatchOut,
    VolunteerMatchOut,
    shift_match_out,
    volunteer_match_out,
)

MAX_MATCHES = 50
MatchLimit = Annotated[int, Query(ge=1, le=MAX_MATCHES)]
router = APIRouter(prefix="/v1")


@router.get(
    "/volunteers/me/matches",
    response_model=Page[ShiftMatchOut],
    tags=["matching"],
    summary="Shifts that suit me best (技能、时间、就近、守约), open for sign-up, with the reasons",
)
async def my_matches(
    caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: MatchLimit = 20
) -> Page[ShiftMatchOut]:
    found, next_cursor = await matching.shifts_for_me(
        ctx, caller, offset=matching.rank_offset(cursor), limit=limit
    )
    return Page(items=[shift_match_out(m) for m in found], next_cursor=next_cursor)


@router.get(
    "/shifts/{shift_id}/matches",
    response_model=Page[VolunteerMatchOut],
    tags=["matching"],
    summary="Organisers of the host: volunteers who suit the shift best (ids, age band, reasons only)",
)
async def shift_matches(
    shift_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: MatchLimit = 20
) -> Page[VolunteerMatchOut]:
    found, next_cursor = await matching.volunteers_for_shift(
        ctx, caller, shift_id, offset=matching.rank_offset(cursor), limit=limit
    )
    return Page(items=[volunteer_match_out(m) for m in found], next_cursor=next_cursor)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {"match_factor": MatchFactor, "proximity": Proximity}
