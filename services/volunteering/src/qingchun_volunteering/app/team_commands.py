"""Validated input of team writes (志愿服务队)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_plumbing.fields import Command, Name, OrgId
from qingchun_volunteering.domain.teams import MAX_MEMBERS, TeamType

VolunteerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,64}$")]
"""A volunteer profile's id; whether one exists is checked against the store (``not_a_volunteer``)."""


class TeamCreate(Command):
    name: Name = Field(description="Unique among the host's active teams, e.g. 福娃福地书香国学志愿服务队")
    host_organization_id: OrgId
    type: TeamType
    brand: Name | None = Field(default=None, description="志愿服务品牌, e.g. 福娃福地书香国学")
    leader_volunteer_id: VolunteerId
    member_volunteer_ids: list[VolunteerId] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="The leader is a member without being listed.",
    )


class TeamMembersAdd(Command):
    volunteer_ids: list[VolunteerId] = Field(min_length=1, max_length=MAX_MEMBERS)


class TeamLeaderChange(Command):
    volunteer_id: VolunteerId = Field(description="A member of the team.")
