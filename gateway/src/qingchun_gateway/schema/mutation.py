"""The main workflows of every service as mutations. Inputs are typed here; every rule beyond the
type (formats, ranges, states, scopes) is the owning service's, and its refusal comes back as a
GraphQL error with the service's ``code`` and the offending input ``field``."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.education import Enrolment, to_enrolment
from qingchun_gateway.schema.education_mutations import EducationMutation
from qingchun_gateway.schema.employment import Application, Posting, to_application, to_posting
from qingchun_gateway.schema.employment_mutations import EmploymentMutation
from qingchun_gateway.schema.partners import PartnerMutation
from qingchun_gateway.schema.registry import Organization, to_organization
from qingchun_gateway.schema.registry_mutations import RegistryMutation
from qingchun_gateway.schema.reports import ReportMutation
from qingchun_gateway.schema.volunteering import Activity, Shift, to_activity, to_shift
from qingchun_gateway.schema.volunteering_mutations import VolunteeringMutation


def body(value: Any) -> dict[str, Any]:
    """An input as the service's JSON body: snake_case keys, unset fields left out."""
    fields = strawberry.asdict(value)
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in fields.items() if v is not None}


@strawberry.enum(description="活动操作 — the guarded steps of an activity's life.")
class ActivityAction(Enum):
    PUBLISH = strawberry.enum_value("publish", description="发布")
    START = strawberry.enum_value("start", description="开始")
    COMPLETE = strawberry.enum_value("complete", description="完成")
    VERIFY = strawberry.enum_value("verify", description="核验")
    REPORT = strawberry.enum_value("report", description="上报")
    CANCEL = strawberry.enum_value("cancel", description="取消")


@strawberry.enum(description="用工信息操作 — moderation steps of a posting.")
class PostingAction(Enum):
    SUBMIT = strawberry.enum_value("submit", description="社区团组织报送")
    PUBLISH = strawberry.enum_value("publish", description="团委审核发布")
    WITHDRAW = strawberry.enum_value("withdraw", description="撤回")


@strawberry.input(description="行政区划")
class AreaInput:
    city: str | None = None
    district: str | None = None
    street: str | None = None
    community: str | None = None


@strawberry.input(description="新建组织 — a new organisation under a parent (type codes: GET /v1/labels).")
class OrganizationInput:
    name: str
    type: str
    parent_id: str | None = None
    area: AreaInput | None = None
    address: str | None = None
    founded_on: str | None = None
    tags: list[str] | None = None


@strawberry.input(description="见习待遇")
class TraineeshipInput:
    allowance_yuan: int
    insurance: bool


@strawberry.input(description="新建用工信息 — a draft posting by an employer organisation.")
class PostingInput:
    employer_organization_id: str
    title: str
    category: str
    kind: str
    headcount: int
    requirements: str
    place_organization_id: str
    skills: list[str] | None = None
    origin_community_id: str | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    traineeship: TraineeshipInput | None = None
    expires_on: str | None = None


@strawberry.type(description="变更 — what the front end changes.")
class Mutation(
    RegistryMutation,
    VolunteeringMutation,
    EducationMutation,
    EmploymentMutation,
    ReportMutation,
    PartnerMutation,
):
    @action("新建组织 — register an organisation in the tree (registry).")
    async def create_organization(self, info: GatewayInfo, input: OrganizationInput) -> Organization:
        created = await info.context["registry"].post("/v1/organizations", body(input))
        return to_organization(created)

    @action("活动操作 — publish, start, complete, verify, report or cancel an activity (volunteering).")
    async def act_on_activity(self, info: GatewayInfo, id: strawberry.ID, action: ActivityAction) -> Activity:
        changed = await info.context["volunteering"].post(f"/v1/activities/{id}:{action.value}")
        return to_activity(changed)

    @action("报名班次 — sign yourself up for a shift; a full shift puts you on its waitlist.")
    async def sign_up_for_shift(
        self, info: GatewayInfo, shift_id: strawberry.ID, guardian_present: bool = False
    ) -> Shift:
        shift = await info.context["volunteering"].post(
            f"/v1/shifts/{shift_id}/signups", {"guardian_present": guardian_present}
        )
        return to_shift(shift)

    @action("取消报名 — cancel a sign-up (your own, or as the organiser); the waitlist moves up.")
    async def cancel_signup(
        self, info: GatewayInfo, shift_id: strawberry.ID, volunteer_id: strawberry.ID
    ) -> Shift:
        shift = await info.context["volunteering"].post(
            f"/v1/shifts/{shift_id}/signups/{volunteer_id}:cancel"
        )
        return to_shift(shift)

    @action("接受名额 — accept a place offered from the waitlist before it lapses.")
    async def accept_shift_offer(
        self, info: GatewayInfo, shift_id: strawberry.ID, volunteer_id: strawberry.ID
    ) -> Shift:
        shift = await info.context["volunteering"].post(
            f"/v1/shifts/{shift_id}/signups/{volunteer_id}:accept"
        )
        return to_shift(shift)

    @action("课程报名 — enrol a learner (yourself, or your child as guardian) on a course (education).")
    async def enrol_in_course(
        self,
        info: GatewayInfo,
        course_id: strawberry.ID,
        learner_id: strawberry.ID,
        guardian_present: bool = False,
    ) -> Enrolment:
        enrolment = await info.context["education"].post(
            f"/v1/courses/{course_id}/enrolments",
            {"learner_id": learner_id, "guardian_present": guardian_present},
        )
        return to_enrolment(enrolment)

    @action("新建用工信息 — draft a job posting for an employer (employment).")
    async def create_posting(self, info: GatewayInfo, input: PostingInput) -> Posting:
        return to_posting(await info.context["employment"].post("/v1/postings", body(input)))

    @action("用工信息审核 — submit, publish (league staff) or withdraw a posting.")
    async def act_on_posting(self, info: GatewayInfo, id: strawberry.ID, action: PostingAction) -> Posting:
        return to_posting(await info.context["employment"].post(f"/v1/postings/{id}:{action.value}"))

    @action("投递申请 — apply to a published posting as a registered job seeker.")
    async def apply_to_posting(
        self, info: GatewayInfo, posting_id: strawberry.ID, cover_note: str | None = None
    ) -> Application:
        note = {"cover_note": cover_note} if cover_note else None
        created = await info.context["employment"].post(f"/v1/postings/{posting_id}/applications", note)
        return to_application(created)
