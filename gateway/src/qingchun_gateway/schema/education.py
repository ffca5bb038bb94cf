"""Education's part of the graph: programmes, courses, sessions, enrolments, reading challenges and
badges. The care files (帮教档案) are not in the graph: they are read in the education service by
the few roles DESIGN.md §4 names, where every read is audited."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.common import Coded, GatewayInfo, build
from qingchun_gateway.schema.registry import Organization, organization, to_organization


@strawberry.type(description="课次 — one session of a course: time, venue, capacity.")
class Session:
    id: strawberry.ID
    course_id: str
    starts_at: str
    ends_at: str
    venue: str
    capacity: int
    kind: Coded | None


@strawberry.type(
    description="报名/学籍 — a learner's enrolment on a course (waitlisted → enrolled → completed)."
)
class Enrolment:
    id: strawberry.ID
    course_id: str
    learner_id: str
    status: Coded | None
    position: int
    created_at: str
    offer_expires_at: str | None = None
    completed_on: str | None = None
    passed_exam: bool | None = None

    @strawberry.field(description="课程 — the course.")
    async def course(self, info: GatewayInfo) -> Course | None:
        found = await info.context.loaders.one("course", self.course_id)
        return None if found is None else to_course(found)


@strawberry.type(description="课程 — a course of a programme, with its sessions and enrolments.")
class Course:
    id: strawberry.ID
    programme_id: str
    owner_organization_id: str
    title: str
    category: Coded | None
    target_group: Coded | None
    mode: Coded | None
    status: Coded | None
    waitlist_policy: Coded | None
    capacity: int
    family: bool
    has_exam: bool
    min_age: int | None = None
    max_age: int | None = None
    citizen_school_id: str | None = None

    @strawberry.field(description="所属项目 — the programme.")
    async def programme(self, info: GatewayInfo) -> Programme | None:
        found = await info.context.loaders.one("programme", self.programme_id)
        return None if found is None else to_programme(found)

    @strawberry.field(description="主办组织 — the owning organisation.")
    async def owner(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.owner_organization_id))

    @strawberry.field(description="课次 — its sessions.")
    async def sessions(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Session]:
        path = f"/v1/courses/{self.id}/sessions"
        return await fetch(info.context["education"], path, {}, first, after, lambda d: build(Session, d))

    @strawberry.field(description="报名 — its enrolments (staff of the owner; learners see their own).")
    async def enrolments(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Enrolment]:
        path = f"/v1/courses/{self.id}/enrolments"
        return await fetch(info.context["education"], path, {}, first, after, lambda d: build(Enrolment, d))


@strawberry.type(description="教育项目 — a programme (读书计划, 国学经典诵读, 七彩假期, 市民学校 …).")
class Programme:
    id: strawberry.ID
    name: str
    owner_organization_id: str
    partner_organization_ids: list[str]
    kind: Coded | None
    target_group: Coded | None
    season: Coded | None
    year: int
    sessions_planned: int
    brand: str | None = None

    @strawberry.field(description="主办组织 — the owning organisation.")
    async def owner(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.owner_organization_id))

    @strawberry.field(description="合作单位 — partner organisations.")
    async def partners(self, info: GatewayInfo) -> list[Organization]:
        found = await info.context.loaders.many("organization", self.partner_organization_ids)
        return [to_organization(o) for o in found]

    @strawberry.field(description="课程 — its courses.")
    async def courses(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Course]:
        params = {"programme_id": self.id}
        return await fetch(info.context["education"], "/v1/courses", params, first, after, to_course)


@strawberry.type(description="阅读挑战 — a reading challenge with its goal.")
class ReadingChallenge:
    id: strawberry.ID
    owner_organization_id: str
    title: str
    starts_on: str
    ends_on: str
    age_bands: list[str]
    reading_list_id: str | None = None
    raw: strawberry.Private[dict[str, Any]] = strawberry.field(default_factory=dict)

    @strawberry.field(description="目标书数 — books to read (if the goal counts books).")
    def goal_books(self) -> int | None:
        books: int | None = (self.raw.get("goal") or {}).get("books")
        return books

    @strawberry.field(description="目标分钟 — minutes to read (if the goal counts minutes).")
    def goal_minutes(self) -> int | None:
        minutes: int | None = (self.raw.get("goal") or {}).get("minutes")
        return minutes

    @strawberry.field(description="主办组织 — the owning organisation.")
    async def owner(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.owner_organization_id))


@strawberry.type(description="雏鹰争章 — a badge with its criteria.")
class Badge:
    id: strawberry.ID
    code: str
    name: str
    category: Coded | None
    criteria: str
    owner_organization_id: str

    @strawberry.field(description="颁发组织 — the awarding organisation.")
    async def owner(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.owner_organization_id))


def to_programme(data: Any) -> Programme:
    return build(Programme, data)


def to_course(data: Any) -> Course:
    return build(Course, data)


def to_enrolment(data: Any) -> Enrolment:
    return build(Enrolment, data)


def to_challenge(data: Any) -> ReadingChallenge:
    return build(ReadingChallenge, data)


def to_badge(data: Any) -> Badge:
    return build(Badge, data)
