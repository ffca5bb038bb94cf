"""Volunteer service teams (志愿服务队): who belongs, who leads, and when a team is over.

A team is the unit communities recruit into (人才库 → 加入服务队 → 常态化服务), so its roster must
stay coherent: the leader is always a member, nobody is listed twice, and a dissolved team no
longer changes, so its history stays what it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from qingchun_plumbing.labels import LabelledEnum

from .errors import DomainError, InvalidTransition

MAX_MEMBERS = 500


class TeamType(LabelledEnum):
    """The kinds of team the seeds name (DOMAIN.md §2.2 VolunteerTeam)."""

    TEENAGERS = ("teenagers", "青少年志愿服务队")
    SOCIAL_YOUTH = ("social_youth", "社会青年志愿服务队")
    PARTY_MEMBERS = ("party_members", "党员志愿者服务队")
    SERVICE_SQUAD = ("service_squad", "志愿服务小队")
    PEOPLE_SERVICE_SQUAD = ("people_service_squad", "为民服务小队")
    YOUNG_EAGLE_HOLIDAY_SQUAD = ("young_eagle_holiday_squad", "雏鹰假日小队")
    HEALTH_EDUCATION = ("health_education", "健康教育志愿者队伍")
    OTHER = ("other", "其他")


class TeamStatus(LabelledEnum):
    ACTIVE = ("active", "活跃")
    DISSOLVED = ("dissolved", "已解散")


class TeamRole(LabelledEnum):
    LEADER = ("leader", "队长")
    MEMBER = ("member", "队员")


def name_key(name: str) -> str:
    """The form two names are compared in: case and inner spacing do not make a different team."""
    return " ".join(name.split()).casefold()


def check_active(status: TeamStatus) -> None:
    if status is not TeamStatus.ACTIVE:
        raise InvalidTransition("已解散的服务队不能再变更", field="status")


def _check_unique(ids: Sequence[str], field: str) -> None:
    seen: set[str] = set()
    for position, volunteer_id in enumerate(ids):
        if volunteer_id in seen:
            raise DomainError("duplicate_member", "同一志愿者不能重复列出", field=f"{field}.{position}")
        seen.add(volunteer_id)


def _check_size(count: int) -> None:
    if count > MAX_MEMBERS:
        raise DomainError("team_full", f"一支服务队最多{MAX_MEMBERS}名队员", field="member_volunteer_ids")


def founding_roster(leader: str, members: Sequence[str]) -> list[str]:
    """The members at formation: the leader first (a leader is always a member), each once."""
    _check_unique(members, "member_volunteer_ids")
    roster = [leader, *(m for m in members if m != leader)]
    _check_size(len(roster))
    return roster


def with_members(current: Sequence[str], joining: Sequence[str]) -> list[str]:
    """Add volunteers; those already in the team are left as they are (adding twice changes nothing)."""
    _check_unique(joining, "volunteer_ids")
    roster = [*current, *(v for v in joining if v not in current)]
    _check_size(len(roster))
    return roster


def without_member(current: Sequence[str], leader: str, leaving: str) -> list[str]:
    """Remove a member; the leader stays until another member leads."""
    if leaving not in current:
        raise DomainError("not_a_member", "该志愿者不是本队队员", field="volunteer_id")
    if leaving == leader:
        raise DomainError("leader_cannot_leave", "队长须先移交后才能离队", field="volunteer_id")
    return [v for v in current if v != leaving]


def check_new_leader(current: Sequence[str], leader: str) -> None:
    if leader not in current:
        raise DomainError("leader_not_member", "队长须是本队队员", field="volunteer_id")


def role_of(volunteer_id: str, leader: str) -> TeamRole:
    return TeamRole.LEADER if volunteer_id == leader else TeamRole.MEMBER
