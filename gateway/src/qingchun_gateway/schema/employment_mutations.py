"""Employment's workflows as mutations (青年创业者行动): a real-name job seeker registers with
consent, and the employer moves an application on (read, interview, offer, hire, turn down) while
the seeker may withdraw it. The employment service decides who may take each step."""

from __future__ import annotations

from enum import Enum

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.employment import Application, JobSeeker, to_application, to_seeker
from qingchun_gateway.schema.inputs import payload


@strawberry.enum(description="求职申请操作 — the steps of an application.")
class ApplicationAction(Enum):
    REVIEW = strawberry.enum_value("review", description="用人单位查看")
    INVITE = strawberry.enum_value("invite", description="邀请面试")
    OFFER = strawberry.enum_value("offer", description="录用通知")
    HIRE = strawberry.enum_value("hire", description="确认入职")
    REJECT = strawberry.enum_value("reject", description="未录用")
    WITHDRAW = strawberry.enum_value("withdraw", description="求职者撤回")


@strawberry.input(description="个人信息使用同意 — the seeker's consent and the text version agreed to.")
class SeekerConsentInput:
    accepted: bool
    version: str


@strawberry.input(description="求职登记 — a real-name job seeker (实名制: name and mobile, no ID number).")
class JobSeekerInput:
    real_name: str
    phone: str
    birth_year: int
    residence_community_id: str
    category: str
    consent: SeekerConsentInput | None = None
    id_last4: str | None = None
    skills: list[str] | None = None
    wanted_categories: list[str] | None = None
    wanted_kinds: list[str] | None = None
    available_from: str | None = None
    entrepreneurial_intent: bool | None = None
    employment_intent: str | None = None


@strawberry.type
class EmploymentMutation:
    @action("求职登记 — register yourself as a job seeker (employment); consent is required.")
    async def register_job_seeker(self, info: GatewayInfo, input: JobSeekerInput) -> JobSeeker:
        return to_seeker(await info.context["employment"].post("/v1/seekers", payload(input)))

    @action("求职申请操作 — the employer reviews, invites, offers, hires or rejects; the seeker withdraws.")
    async def act_on_application(
        self, info: GatewayInfo, id: strawberry.ID, action: ApplicationAction
    ) -> Application:
        changed = await info.context["employment"].post(f"/v1/applications/{id}:{action.value}")
        return to_application(changed)
