"""The entry points of the graph: one item by id (through the loaders, so a page of them costs one
call) and filtered, paginated lists of each service's main entities."""

from __future__ import annotations

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.auth import entry
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.education import (
    Badge,
    Course,
    Programme,
    ReadingChallenge,
    to_badge,
    to_challenge,
    to_course,
    to_programme,
)
from qingchun_gateway.schema.education_queries import EducationQuery
from qingchun_gateway.schema.employment import (
    Application,
    JobSeeker,
    Loan,
    Posting,
    Venture,
    to_application,
    to_loan,
    to_posting,
    to_seeker,
    to_venture,
)
from qingchun_gateway.schema.registry import Organization, organization, to_organization
from qingchun_gateway.schema.reports import ReportQuery
from qingchun_gateway.schema.volunteering import (
    Activity,
    Pairing,
    Shift,
    Team,
    Volunteer,
    activity,
    to_activity,
    to_pairing,
    to_shift,
    to_team,
    to_volunteer,
    volunteer,
)
from qingchun_gateway.schema.volunteering_queries import VolunteeringQuery


@strawberry.type(description="查询 — what the front end reads.")
class Query(VolunteeringQuery, EducationQuery, ReportQuery):
    # registry ---------------------------------------------------------------------------------
    @entry("组织 — one organisation by id (null when absent or outside your scope).")
    async def organization(self, info: GatewayInfo, id: strawberry.ID) -> Organization | None:
        return organization(await info.context.loaders.one("organization", id))

    @entry("组织列表 — organisations by type, parent, area, name prefix and status.")
    async def organizations(
        self,
        info: GatewayInfo,
        type: list[str] | None = None,
        parent_id: str | None = None,
        area: str | None = None,
        name_prefix: str | None = None,
        status: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organization]:
        params = {
            "type": type,
            "parent_id": parent_id,
            "area": area,
            "name_prefix": name_prefix,
            "status": status,
        }
        return await fetch(
            info.context["registry"], "/v1/organizations", params, first, after, to_organization
        )

    # volunteering -----------------------------------------------------------------------------
    @entry("志愿服务活动 — one activity by id.")
    async def activity(self, info: GatewayInfo, id: strawberry.ID) -> Activity | None:
        return activity(await info.context.loaders.one("activity", id))

    @entry("活动列表 — activities by host organisation, status and category.")
    async def activities(
        self,
        info: GatewayInfo,
        host_organization_id: str | None = None,
        status: list[str] | None = None,
        category: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Activity]:
        params = {"host_organization_id": host_organization_id, "status": status, "category": category}
        return await fetch(info.context["volunteering"], "/v1/activities", params, first, after, to_activity)

    @entry("班次 — one shift by id, with your own status.")
    async def shift(self, info: GatewayInfo, id: strawberry.ID) -> Shift | None:
        found = await info.context.loaders.one("shift", id)
        return None if found is None else to_shift(found)

    @entry("志愿者 — one volunteer by id (null when not yours to see).")
    async def volunteer(self, info: GatewayInfo, id: strawberry.ID) -> Volunteer | None:
        return volunteer(await info.context.loaders.one("volunteer", id))

    @entry("我的志愿者档案 — the caller's own volunteer profile.")
    async def my_volunteer_profile(self, info: GatewayInfo) -> Volunteer:
        return to_volunteer(await info.context["volunteering"].get("/v1/volunteers/me"))

    @entry("志愿者列表 — volunteers of a community in your scope, or the talent pool (青年人才库).")
    async def volunteers(
        self,
        info: GatewayInfo,
        home_community_id: str | None = None,
        talent_pool: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Volunteer]:
        params = {"home_community_id": home_community_id, "talent_pool": talent_pool}
        return await fetch(info.context["volunteering"], "/v1/volunteers", params, first, after, to_volunteer)

    @entry("志愿服务队 — teams by host organisation or member.")
    async def teams(
        self,
        info: GatewayInfo,
        host_organization_id: str | None = None,
        volunteer_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Team]:
        params = {"host_organization_id": host_organization_id, "volunteer_id": volunteer_id}
        return await fetch(info.context["volunteering"], "/v1/teams", params, first, after, to_team)

    @entry("结对 — pairings you organise or help in.")
    async def pairings(
        self,
        info: GatewayInfo,
        host_organization_id: str | None = None,
        mine: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Pairing]:
        params = {"host_organization_id": host_organization_id, "mine": mine}
        return await fetch(info.context["volunteering"], "/v1/pairings", params, first, after, to_pairing)

    # education --------------------------------------------------------------------------------
    @entry("教育项目 — one programme by id.")
    async def programme(self, info: GatewayInfo, id: strawberry.ID) -> Programme | None:
        found = await info.context.loaders.one("programme", id)
        return None if found is None else to_programme(found)

    @entry("教育项目列表 — programmes by owner, kind, season and year.")
    async def programmes(
        self,
        info: GatewayInfo,
        owner_organization_id: str | None = None,
        kind: str | None = None,
        season: str | None = None,
        year: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Programme]:
        params = {
            "owner_organization_id": owner_organization_id,
            "kind": kind,
            "season": season,
            "year": year,
        }
        return await fetch(info.context["education"], "/v1/programmes", params, first, after, to_programme)

    @entry("课程 — one course by id.")
    async def course(self, info: GatewayInfo, id: strawberry.ID) -> Course | None:
        found = await info.context.loaders.one("course", id)
        return None if found is None else to_course(found)

    @entry("课程列表 — courses by programme, owner, category, status or citizen school.")
    async def courses(
        self,
        info: GatewayInfo,
        programme_id: str | None = None,
        owner_organization_id: str | None = None,
        category: str | None = None,
        status: str | None = None,
        citizen_school_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Course]:
        params = {
            "programme_id": programme_id,
            "owner_organization_id": owner_organization_id,
            "category": category,
            "status": status,
            "citizen_school_id": citizen_school_id,
        }
        return await fetch(info.context["education"], "/v1/courses", params, first, after, to_course)

    @entry("阅读挑战 — reading challenges by owner.")
    async def reading_challenges(
        self,
        info: GatewayInfo,
        owner_organization_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ReadingChallenge]:
        params = {"owner_organization_id": owner_organization_id}
        path = "/v1/reading-challenges"
        return await fetch(info.context["education"], path, params, first, after, to_challenge)

    @entry("雏鹰奖章 — badge definitions by owner and category.")
    async def badges(
        self,
        info: GatewayInfo,
        owner_organization_id: str | None = None,
        category: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Badge]:
        params = {"owner_organization_id": owner_organization_id, "category": category}
        return await fetch(info.context["education"], "/v1/badges", params, first, after, to_badge)

    # employment -------------------------------------------------------------------------------
    @entry("用工信息 — one posting by id.")
    async def posting(self, info: GatewayInfo, id: strawberry.ID) -> Posting | None:
        found = await info.context.loaders.one("posting", id)
        return None if found is None else to_posting(found)

    @entry("用工信息列表 — postings by employer, place, category, kind and status.")
    async def postings(
        self,
        info: GatewayInfo,
        employer_organization_id: str | None = None,
        place: str | None = None,
        category: str | None = None,
        kind: str | None = None,
        status: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Posting]:
        params = {
            "employer_organization_id": employer_organization_id,
            "place": place,
            "category": category,
            "kind": kind,
            "status": status,
        }
        return await fetch(info.context["employment"], "/v1/postings", params, first, after, to_posting)

    @entry("求职者 — one job seeker by id (staff of their community, or themselves).")
    async def job_seeker(self, info: GatewayInfo, id: strawberry.ID) -> JobSeeker | None:
        found = await info.context.loaders.one("seeker", id)
        return None if found is None else to_seeker(found)

    @entry("求职者列表 — job seekers of an area in your scope.")
    async def job_seekers(
        self,
        info: GatewayInfo,
        area_id: str | None = None,
        category: str | None = None,
        status: str | None = None,
        skill: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[JobSeeker]:
        params = {"area_id": area_id, "category": category, "status": status, "skill": skill}
        return await fetch(info.context["employment"], "/v1/seekers", params, first, after, to_seeker)

    @entry("求职申请 — applications by posting or seeker.")
    async def applications(
        self,
        info: GatewayInfo,
        posting_id: str | None = None,
        seeker_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Application]:
        params = {"posting_id": posting_id, "seeker_id": seeker_id}
        path = "/v1/applications"
        return await fetch(info.context["employment"], path, params, first, after, to_application)

    @entry("创业项目 — ventures by organisation (street or incubator) and kind.")
    async def ventures(
        self,
        info: GatewayInfo,
        organization_id: str | None = None,
        kind: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Venture]:
        params = {"organization_id": organization_id, "kind": kind}
        return await fetch(info.context["employment"], "/v1/ventures", params, first, after, to_venture)

    @entry("小额担保贷款 — microloans by organisation, venture and status.")
    async def loans(
        self,
        info: GatewayInfo,
        organization_id: str | None = None,
        venture_id: str | None = None,
        status: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Loan]:
        params = {"organization_id": organization_id, "venture_id": venture_id, "status": status}
        return await fetch(info.context["employment"], "/v1/loans", params, first, after, to_loan)
