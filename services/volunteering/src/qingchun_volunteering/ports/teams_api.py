"""REST API of teams (志愿服务队, ``/v1/teams``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_volunteering.app import teams
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.team_commands import TeamCreate, TeamLeaderChange, TeamMembersAdd
from qingchun_volunteering.domain.teams import TeamRole, TeamStatus, TeamType
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit
from qingchun_volunteering.ports.teams_schemas import TeamMemberOut, TeamOut, member_out, team_out

router = APIRouter(prefix="/v1", tags=["teams"])


async def _out(ctx: VolunteeringContext, caller: Caller, doc: Document) -> TeamOut:
    return team_out(doc, await teams.may_see_members(ctx, caller, doc))


@router.post(
    "/teams",
    status_code=201,
    response_model=TeamOut,
    summary="Form a team (志愿服务队) under an organisation",
)
async def create_team(body: TeamCreate, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.create(ctx, caller, body))


@router.get(
    "/teams",
    response_model=Page[TeamOut],
    summary="Teams of a host organisation, or of a volunteer (or ids=a,b,c)",
)
async def list_teams(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    host_organization_id: Annotated[str | None, Query(max_length=40)] = None,
    volunteer_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[list[TeamStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TeamOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _out(ctx, caller, d) for d in await teams.batch(ctx, batch)])
    items, next_cursor = await teams.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        host_organization_id=host_organization_id,
        volunteer_id=volunteer_id,
        statuses=status,
    )
    return Page(items=[await _out(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/teams/{team_id}", response_model=TeamOut, summary="One team (public facts; the leader for insiders)"
)
async def get_team(team_id: str, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.team(ctx, team_id))


@router.get(
    "/teams/{team_id}/members",
    response_model=Page[TeamMemberOut],
    summary="The roster (ids and roles) for the team's organisers and members",
)
async def list_members(
    team_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[TeamMemberOut]:
    rows, next_cursor = await teams.members_page(ctx, caller, team_id, cursor=cursor, limit=limit)
    return Page(items=[member_out(r["_id"], TeamRole(r["role"])) for r in rows], next_cursor=next_cursor)


@router.post(
    "/teams/{team_id}/members", response_model=TeamOut, summary="Add registered volunteers to the team"
)
async def add_members(team_id: str, body: TeamMembersAdd, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.add_members(ctx, caller, team_id, body))


@router.delete(
    "/teams/{team_id}/members/{volunteer_id}",
    response_model=TeamOut,
    summary="Remove a member (the leader hands over first)",
)
async def remove_member(team_id: str, volunteer_id: str, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.remove_member(ctx, caller, team_id, volunteer_id))


@router.post(
    "/teams/{team_id}:change-leader", response_model=TeamOut, summary="Hand the lead to another member"
)
async def change_leader(team_id: str, body: TeamLeaderChange, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.change_leader(ctx, caller, team_id, body))


@router.post(
    "/teams/{team_id}:dissolve", response_model=TeamOut, summary="Dissolve the team (its name is freed)"
)
async def dissolve_team(team_id: str, caller: CurrentCaller, ctx: Ctx) -> TeamOut:
    return await _out(ctx, caller, await teams.dissolve(ctx, caller, team_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "team_type": TeamType,
    "team_status": TeamStatus,
    "team_role": TeamRole,
}
