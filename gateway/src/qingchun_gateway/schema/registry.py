"""The registry's part of the graph: organisations and their tree, communities' 创建 stage, youth
centres and branches; each organisation links to what the other services hold under it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.common import Coded, GatewayInfo, build

if TYPE_CHECKING:
    from qingchun_gateway.schema.education import Programme
    from qingchun_gateway.schema.employment import Posting, Venture
    from qingchun_gateway.schema.volunteering import Activity, Team

VOLUNTEERING = "qingchun_gateway.schema.volunteering"
EDUCATION = "qingchun_gateway.schema.education"
EMPLOYMENT = "qingchun_gateway.schema.employment"


@strawberry.type(description="行政区划 — the organisation's place: city, district, street, community.")
class Area:
    city: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None


@strawberry.type(description="青年文明社区创建 — a community's creation stage (调查摸底 → … → 建成).")
class CommunityCreation:
    stage: Coded | None
    batch: str | None = None
    plan_title: str | None = None
    is_demonstration: bool = False
    next_stages: list[str] = strawberry.field(default_factory=list)


@strawberry.type(description="团支部换届 — a league branch's current term (按期换届).")
class Branch:
    term_start: str | None = None
    term_end: str | None = None
    term_years: int | None = None
    term_status: Coded | None = None
    member_count: int | None = None
    resident_member_count: int | None = None


@strawberry.type(description="青年中心 — a youth centre and whether it meets the five requirements (达标).")
class YouthCenter:
    status: Coded | None
    compliant: bool
    unmet_requirements: list[str]
    indoor_area_m2: float | None = None
    full_time_staff_count: int = 0
    projects: list[str] = strawberry.field(default_factory=list)
    plaque_installed: bool = False


@strawberry.type(
    description="组织 — an organisation of the league tree (团市委, 团区委, 团工委, 社区, 学校, 共建单位…)."
)
class Organization:
    id: strawberry.ID
    name: str
    type: Coded | None
    category: Coded | None
    status: str
    parent_id: str | None = None
    address: str | None = None
    founded_on: str | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    raw: strawberry.Private[dict[str, Any]] = strawberry.field(default_factory=dict)

    @strawberry.field(description="行政区划 — where it is.")
    def area(self) -> Area:
        return Area(**(self.raw.get("area") or {}))

    @strawberry.field(description="上级组织 — the organisation above it in the tree.")
    async def parent(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.parent_id))

    @strawberry.field(description="下级组织 — the organisations directly under it.")
    async def children(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Organization]:
        params = {"parent_id": self.id}
        return await fetch(
            info.context["registry"], "/v1/organizations", params, first, after, to_organization
        )

    @strawberry.field(description="社区创建 — the community's creation stage (communities only).")
    def community(self) -> CommunityCreation | None:
        data = self.raw.get("community")
        return None if data is None else build(CommunityCreation, data)

    @strawberry.field(description="团支部 — the branch's term (league branches only).")
    def branch(self) -> Branch | None:
        data = self.raw.get("branch")
        return None if data is None else build(Branch, data)

    @strawberry.field(description="青年中心 — its youth centre, if it runs one.")
    def youth_center(self) -> YouthCenter | None:
        data = self.raw.get("youth_center")
        return None if data is None else build(YouthCenter, data)

    @strawberry.field(description="志愿服务活动 — volunteering activities it hosts (volunteering).")
    async def activities(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Activity, strawberry.lazy(VOLUNTEERING)]]:
        from qingchun_gateway.schema.volunteering import to_activity

        params = {"host_organization_id": self.id}
        return await fetch(info.context["volunteering"], "/v1/activities", params, first, after, to_activity)

    @strawberry.field(description="志愿服务队 — volunteer teams under it (volunteering).")
    async def teams(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Team, strawberry.lazy(VOLUNTEERING)]]:
        from qingchun_gateway.schema.volunteering import to_team

        params = {"host_organization_id": self.id}
        return await fetch(info.context["volunteering"], "/v1/teams", params, first, after, to_team)

    @strawberry.field(description="教育项目 — education programmes it owns (education).")
    async def programmes(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Programme, strawberry.lazy(EDUCATION)]]:
        from qingchun_gateway.schema.education import to_programme

        params = {"owner_organization_id": self.id}
        return await fetch(info.context["education"], "/v1/programmes", params, first, after, to_programme)

    @strawberry.field(description="用工信息 — job postings it publishes as an employer (employment).")
    async def postings(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Posting, strawberry.lazy(EMPLOYMENT)]]:
        from qingchun_gateway.schema.employment import to_posting

        params = {"employer_organization_id": self.id}
        return await fetch(info.context["employment"], "/v1/postings", params, first, after, to_posting)

    @strawberry.field(description="创业项目 — ventures in its area (employment).")
    async def ventures(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Venture, strawberry.lazy(EMPLOYMENT)]]:
        from qingchun_gateway.schema.employment import to_venture

        params = {"organization_id": self.id}
        return await fetch(info.context["employment"], "/v1/ventures", params, first, after, to_venture)


def to_organization(data: Any) -> Organization:
    return build(Organization, data)


def organization(data: Any | None) -> Organization | None:
    return None if data is None else to_organization(data)
