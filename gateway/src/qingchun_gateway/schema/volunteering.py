"""Volunteering's part of the graph: volunteers, activities and shifts with their sign-ups, teams
and pairings. A minor's phone and birth date come only when the service shows them to this caller
(the organiser of an activity the minor joined, or the guardian); the gateway adds nothing."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.common import Coded, GatewayInfo, build
from qingchun_gateway.schema.registry import Organization, organization


@strawberry.type(description="志愿者 — a registered volunteer (志愿者注册).")
class Volunteer:
    id: strawberry.ID
    display_name: str
    volunteer_type: Coded | None
    age_band: Coded | None
    star_level: Coded | None
    specialties: list[str]
    interests: list[str]
    talent_pool: bool
    consent_recorded: bool
    verified_minutes: int
    home_community_id: str | None = None
    service_intent: str | None = None
    phone: str | None = strawberry.field(
        default=None,
        description="联系电话 — only for themselves, their guardian and organisers of their activities.",
    )
    birth_date: str | None = strawberry.field(
        default=None, description="出生日期 — as restricted as the phone."
    )

    @strawberry.field(description="所在社区 — the volunteer's home community.")
    async def home_community(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.home_community_id))

    @strawberry.field(description="志愿服务队 — the teams they belong to.")
    async def teams(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Team]:
        params = {"volunteer_id": self.id}
        return await fetch(info.context["volunteering"], "/v1/teams", params, first, after, to_team)


@strawberry.type(description="报名 — one volunteer's place on a shift (organisers see everyone's).")
class Signup:
    volunteer_id: str
    status: Coded | None
    guardian_present: bool
    signed_up_at: str
    offer_expires_at: str | None = None

    @strawberry.field(description="志愿者 — who signed up.")
    async def volunteer(self, info: GatewayInfo) -> Volunteer | None:
        return volunteer(await info.context.loaders.one("volunteer", self.volunteer_id))


@strawberry.type(description="班次 — one shift of an activity: time, place, capacity, skills and age limits.")
class Shift:
    id: strawberry.ID
    activity_id: str
    starts_at: str
    ends_at: str
    capacity: int
    free: int
    waitlisted: int
    family_only: bool
    required_skills: list[str]
    place: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    my_status: str | None = strawberry.field(
        default=None, description="你的报名状态 — the caller's own status."
    )
    raw: strawberry.Private[dict[str, Any]] = strawberry.field(default_factory=dict)

    @strawberry.field(description="报名名单 — the sign-ups (organisers only; null for others).")
    def signups(self) -> list[Signup] | None:
        found = self.raw.get("signups")
        return None if found is None else [build(Signup, s) for s in found]

    @strawberry.field(description="所属活动 — the activity.")
    async def activity(self, info: GatewayInfo) -> Activity | None:
        return activity(await info.context.loaders.one("activity", self.activity_id))


@strawberry.type(description="志愿服务活动 — a volunteering activity (planned → published → … → reported).")
class Activity:
    id: strawberry.ID
    title: str
    host_organization_id: str
    category: Coded | None
    status: Coded | None
    waitlist_policy: Coded | None
    brand: str | None = None
    description: str | None = None
    shift_ids: list[str] = strawberry.field(default_factory=list)
    created_at: str = ""

    @strawberry.field(description="主办组织 — the organisation that hosts it.")
    async def host(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.host_organization_id))

    @strawberry.field(description="班次 — its shifts (at most 50), in time order.")
    async def shifts(self, info: GatewayInfo) -> list[Shift]:
        found = await info.context.loaders.many("shift", self.shift_ids)
        return sorted((to_shift(s) for s in found), key=lambda s: s.starts_at)


@strawberry.type(description="志愿服务队 — a volunteer team under an organisation.")
class Team:
    id: strawberry.ID
    name: str
    type: Coded | None
    status: Coded | None
    host_organization_id: str
    member_count: int
    brand: str | None = None
    leader_volunteer_id: str | None = None

    @strawberry.field(description="所属组织 — the organisation it serves under.")
    async def host(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.host_organization_id))

    @strawberry.field(description="队长 — the team leader.")
    async def leader(self, info: GatewayInfo) -> Volunteer | None:
        return volunteer(await info.context.loaders.one("volunteer", self.leader_volunteer_id))


@strawberry.type(
    description="结对 — a pairing (一助一, 多助一, 一帮一 …); the beneficiary is a pseudonymous id only."
)
class Pairing:
    id: strawberry.ID
    type: Coded | None
    status: Coded | None
    host_organization_id: str
    helper_volunteer_ids: list[str]
    visit_count: int
    review_due: bool
    started_on: str | None = None
    next_review_due: str | None = None
    last_visited_on: str | None = None

    @strawberry.field(description="主办组织 — the organisation responsible.")
    async def host(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.host_organization_id))

    @strawberry.field(description="帮扶人 — the helpers.")
    async def helpers(self, info: GatewayInfo) -> list[Volunteer]:
        return [
            to_volunteer(v) for v in await info.context.loaders.many("volunteer", self.helper_volunteer_ids)
        ]


def to_volunteer(data: Any) -> Volunteer:
    return build(Volunteer, data)


def volunteer(data: Any | None) -> Volunteer | None:
    return None if data is None else to_volunteer(data)


def to_shift(data: Any) -> Shift:
    return build(Shift, data)


def to_activity(data: Any) -> Activity:
    return build(Activity, data)


def activity(data: Any | None) -> Activity | None:
    return None if data is None else to_activity(data)


def to_team(data: Any) -> Team:
    return build(Team, data)


def to_pairing(data: Any) -> Pairing:
    return build(Pairing, data)
