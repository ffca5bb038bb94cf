"""Teams (志愿服务队) under registry organisations: formed, staffed, led and dissolved by organisers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qingchun_contracts.volunteering import TeamFormed
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound
from qingchun_volunteering.adapters.teams import active_name_key
from qingchun_volunteering.app import volunteers
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.team_commands import TeamCreate, TeamLeaderChange, TeamMembersAdd
from qingchun_volunteering.domain.teams import (
    TeamStatus,
    check_active,
    check_new_leader,
    founding_roster,
    name_key,
    role_of,
    with_members,
    without_member,
)

NOT_A_VOLUNTEER = "not_a_volunteer"


def indexed(field: str, ids: Sequence[str]) -> list[tuple[str, str]]:
    """Each id with the field path that names it in a problem: ``member_volunteer_ids.2``."""
    return [(f"{field}.{position}", volunteer_id) for position, volunteer_id in enumerate(ids)]


async def create(ctx: VolunteeringContext, caller: Caller, command: TeamCreate) -> Document:
    await ctx.active_organization(command.host_organization_id, "host_organization_id")
    await ctx.require_organizer(caller, command.host_organization_id, field="host_organization_id")
    roster = founding_roster(command.leader_volunteer_id, command.member_volunteer_ids)
    named = [("leader_volunteer_id", command.leader_volunteer_id)]
    await ctx.require_volunteers(
        named + indexed("member_volunteer_ids", command.member_volunteer_ids), NOT_A_VOLUNTEER
    )
    key = active_name_key(command.host_organization_id, name_key(command.name))
    if await ctx.teams.name_taken(key):
        raise Conflict(
            "the organisation already has an active team of this name", field="name", code="name_taken"
        )
    now = ctx.now()
    team_id = new_id("team")
    document: Document = command.model_dump(mode="json", exclude={"member_volunteer_ids"}) | {
        "_id": team_id,
        "member_volunteer_ids": roster,
        "active_name_key": key,
        "status": TeamStatus.ACTIVE.value,
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    formed = TeamFormed(
        team_id=team_id,
        name=command.name,
        host_organization_id=command.host_organization_id,
        team_type_code=command.type.value,
    )
    await ctx.teams.insert(document, [ctx.events.envelope(formed, subject=team_id)])
    ctx.notify()
    return document | {"version": 1}


async def team(ctx: VolunteeringContext, team_id: str) -> Document:
    document = await ctx.teams.team(team_id)
    if document is None:
        raise NotFound("no team has this id", field="team_id")
    return document


async def _for_change(ctx: VolunteeringContext, caller: Caller, team_id: str) -> Document:
    document = await team(ctx, team_id)
    await ctx.require_organizer(caller, document["host_organization_id"])
    check_active(TeamStatus(document["status"]))
    return document


async def add_members(
    ctx: VolunteeringContext, caller: Caller, team_id: str, command: TeamMembersAdd
) -> Document:
    document = await _for_change(ctx, caller, team_id)
    roster = with_members(document["member_volunteer_ids"], command.volunteer_ids)
    await ctx.require_volunteers(indexed("volunteer_ids", command.volunteer_ids), NOT_A_VOLUNTEER)
    return await ctx.teams.update(document, {"member_volunteer_ids": roster})


async def remove_member(
    ctx: VolunteeringContext, caller: Caller, team_id: str, volunteer_id: str
) -> Document:
    document = await _for_change(ctx, caller, team_id)
    roster = without_member(document["member_volunteer_ids"], document["leader_volunteer_id"], volunteer_id)
    return await ctx.teams.update(document, {"member_volunteer_ids": roster})


async def change_leader(
    ctx: VolunteeringContext, caller: Caller, team_id: str, command: TeamLeaderChange
) -> Document:
    document = await _for_change(ctx, caller, team_id)
    check_new_leader(document["member_volunteer_ids"], command.volunteer_id)
    return await ctx.teams.update(document, {"leader_volunteer_id": command.volunteer_id})


async def dissolve(ctx: VolunteeringContext, caller: Caller, team_id: str) -> Document:
    document = await _for_change(ctx, caller, team_id)
    return await ctx.teams.dissolve(document, {"status": TeamStatus.DISSOLVED.value, "updated_at": ctx.now()})


async def may_see_members(ctx: VolunteeringContext, caller: Caller, document: Document) -> bool:
    """The roster says who serves with whom (minors too): organisers in scope and the members only."""
    own = await ctx.store.volunteer_of(caller.subject)
    if own is not None and own["_id"] in document["member_volunteer_ids"]:
        return True
    return await ctx.organizes(caller, document["host_organization_id"])


async def members_page(
    ctx: VolunteeringContext, caller: Caller, team_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    document = await team(ctx, team_id)
    if not await may_see_members(ctx, caller, document):
        raise Forbidden("only the team's organisers and members see its members", code="members_hidden")
    after = cursor_after(cursor)
    leader = document["leader_volunteer_id"]
    rows = [
        {"_id": v, "role": role_of(v, leader).value}
        for v in sorted(document["member_volunteer_ids"])
        if after is None or v > after
    ]
    return split_page(rows[: limit + 1], limit)


async def page(
    ctx: VolunteeringContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    host_organization_id: str | None,
    volunteer_id: str | None,
    statuses: list[TeamStatus],
) -> tuple[list[Document], str | None]:
    """Teams of a host (public facts), or of a volunteer (only for whoever may see that volunteer)."""
    query: dict[str, Any] = {}
    if host_organization_id is not None:
        query["host_organization_id"] = host_organization_id
    if volunteer_id is not None:
        volunteer = await ctx.store.volunteer(volunteer_id)
        if volunteer is None or not await volunteers.may_see_contact(ctx, caller, volunteer):
            raise NotFound("no volunteer visible to you has this id", field="volunteer_id")
        query["member_volunteer_ids"] = volunteer_id
    if not query:
        raise InvalidInput(
            "name the host organisation or the volunteer (or ids=…)",
            field="host_organization_id",
            code="missing",
        )
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    return split_page(await ctx.teams.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: VolunteeringContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.teams.teams(ids)}
    return [found[i] for i in ids if i in found]
