"""Education's learners and what they hold (雏鹰争章) in the graph. A learner's name and birth date
come only where the education service shows them (the learner, their guardians, their home
community's staff); everyone else sees the id, the age band and whether consent is on record.
Awards name learners by id only."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.common import Coded, GatewayInfo, build
from qingchun_gateway.schema.education import Badge, to_badge


@strawberry.type(description="徽章获得记录 — a badge a learner holds (from a counsellor, or earned).")
class BadgeAward:
    id: strawberry.ID
    badge_id: str
    badge_code: str
    learner_id: str
    source: Coded | None
    awarded_on: str

    @strawberry.field(description="徽章 — the badge.")
    async def badge(self, info: GatewayInfo) -> Badge | None:
        found = await info.context.loaders.one("badge", self.badge_id)
        return None if found is None else to_badge(found)


@strawberry.type(description="争章进度 — the minutes automatic badges are measured against.")
class BadgeProgress:
    verified_service_minutes: int
    reading_minutes: int


@strawberry.type(description="学员 — a learner (themself, or a child on a family account).")
class Learner:
    id: strawberry.ID
    age_band: Coded | None
    consent_recorded: bool
    personal: bool = strawberry.field(description="Whether the personal fields are shown to you.")
    display_name: str | None = None
    birth_date: str | None = None
    home_community_id: str | None = None

    @strawberry.field(description="已获徽章 — the badges the learner holds.")
    async def badges(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[BadgeAward]:
        path = f"/v1/learners/{self.id}/badges"
        return await fetch(info.context["education"], path, {}, first, after, to_award)

    @strawberry.field(description="争章进度 — verified service and reading minutes so far.")
    async def badge_progress(self, info: GatewayInfo) -> BadgeProgress:
        found = await info.context["education"].get(f"/v1/learners/{self.id}/badge-progress")
        return build(BadgeProgress, found)


def to_learner(data: Any) -> Learner:
    return build(Learner, data)


def to_award(data: Any) -> BadgeAward:
    return build(BadgeAward, data)
