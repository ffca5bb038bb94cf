"""Employment's part of the graph (青年创业者行动): postings, job seekers, applications, ventures
and microloans. A seeker's real name and contact come only as the employment service shows them
to this caller (staff of their community; an employer only after the seeker applied)."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.common import Coded, GatewayInfo, build
from qingchun_gateway.schema.registry import Organization, organization


@strawberry.type(description="见习 — a traineeship's allowance and insurance.")
class Traineeship:
    allowance_yuan: int
    insurance: bool


@strawberry.type(
    description="用工信息 — a job posting (draft → submitted → published → filled / expired / withdrawn)."
)
class Posting:
    id: strawberry.ID
    employer_organization_id: str
    place_organization_id: str
    title: str
    category: Coded | None
    kind: Coded | None
    status: Coded | None
    headcount: int
    hired: int
    skills: list[str]
    requirements: str
    pay_min: int | None = strawberry.field(default=None, description="月薪下限（元）")
    pay_max: int | None = strawberry.field(default=None, description="月薪上限（元）")
    expires_on: str | None = None
    published_at: str | None = None
    hold_reasons: list[str] = strawberry.field(default_factory=list)
    raw: strawberry.Private[dict[str, Any]] = strawberry.field(default_factory=dict)

    @strawberry.field(description="见习待遇 — traineeship terms (traineeships only).")
    def traineeship(self) -> Traineeship | None:
        data = self.raw.get("traineeship")
        return None if data is None else build(Traineeship, data)

    @strawberry.field(description="用人单位 — the employer.")
    async def employer(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.employer_organization_id))

    @strawberry.field(description="工作地点 — the community, street or district of the work.")
    async def place(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.place_organization_id))

    @strawberry.field(description="求职申请 — applications to it (the employer's and league staff's view).")
    async def applications(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Application]:
        path = f"/v1/postings/{self.id}/applications"
        return await fetch(info.context["employment"], path, {}, first, after, to_application)


@strawberry.type(
    description="求职者 — a real-name job seeker (registered → assessed → serviced → employed …)."
)
class JobSeeker:
    id: strawberry.ID
    residence_community_id: str
    category: Coded | None
    status: Coded | None
    skills: list[str]
    wanted_categories: list[str]
    wanted_kinds: list[str]
    entrepreneurial_intent: bool
    services_count: int
    real_name: str | None = strawberry.field(
        default=None, description="姓名 — as the service shows it to you."
    )
    available_from: str | None = None

    @strawberry.field(description="户籍/居住社区 — the seeker's community.")
    async def residence_community(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.residence_community_id))


@strawberry.type(
    description="求职申请 — an application (applied → reviewed → interview → offered → hired …)."
)
class Application:
    id: strawberry.ID
    posting_id: str
    seeker_id: str
    status: Coded | None
    via_referral: bool
    contact_shared: bool
    created_at: str
    hired_on: str | None = None

    @strawberry.field(description="岗位 — the posting applied to.")
    async def posting(self, info: GatewayInfo) -> Posting | None:
        found = await info.context.loaders.one("posting", self.posting_id)
        return None if found is None else to_posting(found)

    @strawberry.field(description="求职者 — the applicant.")
    async def seeker(self, info: GatewayInfo) -> JobSeeker | None:
        found = await info.context.loaders.one("seeker", self.seeker_id)
        return None if found is None else build(JobSeeker, found)


@strawberry.type(
    description="小额担保贷款 — a microloan (applied → reviewed → approved → disbursed → repaying → closed)."
)
class Loan:
    id: strawberry.ID
    purpose: Coded | None
    guarantee: Coded | None
    status: Coded | None
    amount_yuan: int
    term_months: int
    subsidised_interest: bool
    repaid_yuan: int
    balance_yuan: int
    repayment_count: int
    venture_id: str | None = None
    approved_amount_yuan: int | None = None
    disbursed_on: str | None = None

    @strawberry.field(description="创业项目 — the venture it finances.")
    async def venture(self, info: GatewayInfo) -> Venture | None:
        found = await info.context.loaders.one("venture", self.venture_id)
        return None if found is None else to_venture(found)


@strawberry.type(description="创业项目 — a venture (自主创业, 返乡创业) and the jobs it created.")
class Venture:
    id: strawberry.ID
    name: str
    kind: Coded | None
    sector: str
    street_organization_id: str
    started_on: str
    jobs_created: int
    incubator_organization_id: str | None = None

    @strawberry.field(description="所在街道 — the street.")
    async def street(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.street_organization_id))

    @strawberry.field(description="孵化基地/示范点 — the incubator or demonstration site.")
    async def incubator(self, info: GatewayInfo) -> Organization | None:
        return organization(await info.context.loaders.one("organization", self.incubator_organization_id))

    @strawberry.field(description="贷款 — its microloans.")
    async def loans(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Loan]:
        params = {"venture_id": self.id}
        return await fetch(info.context["employment"], "/v1/loans", params, first, after, to_loan)


def to_posting(data: Any) -> Posting:
    return build(Posting, data)


def to_seeker(data: Any) -> JobSeeker:
    return build(JobSeeker, data)


def to_application(data: Any) -> Application:
    return build(Application, data)


def to_venture(data: Any) -> Venture:
    return build(Venture, data)


def to_loan(data: Any) -> Loan:
    return build(Loan, data)
