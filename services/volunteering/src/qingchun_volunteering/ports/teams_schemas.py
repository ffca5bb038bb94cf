"""Team responses, with Chinese labels beside codes; the roster only for those who may see it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_volunteering.domain.teams import TeamRole, TeamStatus, TeamType


class TeamOut(BaseModel):
    id: str
    name: str
    type: str
    type_label: str
    brand: str | None
    host_organization_id: str
    status: str
    status_label: str
    member_count: int
    leader_volunteer_id: str | None = Field(
        default=None, description="Only for the team's organisers and members."
    )
    version: int
    created_at: datetime


class TeamMemberOut(BaseModel):
    """Ids and roles only: names come from the volunteer batch read, which guards minors' data."""

    volunteer_id: str
    role: str
    role_label: str


def team_out(doc: Document, roster_visible: bool) -> TeamOut:
    kind, status = TeamType(doc["type"]), TeamStatus(doc["status"])
    return TeamOut(
        id=doc["_id"],
        name=doc["name"],
        type=kind.value,
        type_label=kind.label,
        brand=doc.get("brand"),
        host_organization_id=doc["host_organization_id"],
        status=status.value,
        status_label=status.label,
        member_count=len(doc["member_volunteer_ids"]),
        leader_volunteer_id=doc["leader_volunteer_id"] if roster_visible else None,
        version=doc["version"],
        created_at=doc["created_at"],
    )


def member_out(volunteer_id: str, role: TeamRole) -> TeamMemberOut:
    return TeamMemberOut(volunteer_id=volunteer_id, role=role.value, role_label=role.label)
