"""Volunteering's workflows as mutations: plan an activity with its shifts, register (a minor
names a guardian, who records consent), check in and out, and the host's verification of hours,
including a 补录 that a second organiser approves. Every rule (age, consent, the check-in window,
the daily cap, who may verify) is the volunteering service's; its refusal keeps its code and field."""

from __future__ import annotations

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.hours import (
    Attendance,
    HourEntry,
    VerifyAllResult,
    to_attendance,
    to_entry,
)
from qingchun_gateway.schema.inputs import payload
from qingchun_gateway.schema.volunteering import (
    Activity,
    Shift,
    Volunteer,
    to_activity,
    to_shift,
    to_volunteer,
)


@strawberry.input(description="班次 — one shift of a new activity (times ISO 8601 with a zone).")
class ShiftInput:
    starts_at: str
    ends_at: str
    capacity: int
    place: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    family_only: bool | None = None
    required_skills: list[str] | None = None


@strawberry.input(description="新建活动 — an activity (planned) with its shifts under a host organisation.")
class ActivityInput:
    title: str
    host_organization_id: str
    category: str
    shifts: list[ShiftInput]
    brand: str | None = None
    description: str | None = None
    waitlist_policy: str | None = strawberry.field(
        default=None, description="候补规则 — auto_promote (default) or manual."
    )
    offer_window_hours: int | None = strawberry.field(
        default=None, description="候补确认时限 — hours a promoted volunteer has to accept."
    )


@strawberry.input(description="服务时间 — a weekly window the volunteer is free (1 = Monday).")
class AvailabilityInput:
    weekday: int
    starts: str
    ends: str


@strawberry.input(
    description="志愿者注册 — register yourself; under 18 name the guardian (guardianSubjectId) who consents."
)
class VolunteerInput:
    display_name: str
    birth_date: str
    volunteer_type: str
    home_community_id: str | None = None
    specialties: list[str] | None = None
    interests: list[str] | None = None
    talent_pool: bool | None = None
    teaching_opt_in: bool | None = None
    availability: list[AvailabilityInput] | None = None
    service_intent: str | None = None
    phone: str | None = None
    guardian_subject_id: str | None = None


@strawberry.input(description="补录证明 — what was done, where, who saw it, and photo/file ids or URLs.")
class EvidenceInput:
    description: str
    refs: list[str]


@strawberry.input(
    description="补录申请 — hours served without a check-in, with evidence; another organiser approves."
)
class RetroactiveHoursInput:
    host_organization_id: str
    served_on: str
    minutes: int
    activity_title: str
    evidence: EvidenceInput
    volunteer_id: str | None = strawberry.field(default=None, description="Omit to request for yourself.")
    activity_id: str | None = None


@strawberry.type
class VolunteeringMutation:
    @action("新建活动 — plan an activity with its shifts (organisers of the host; publish it next).")
    async def create_activity(self, info: GatewayInfo, input: ActivityInput) -> Activity:
        return to_activity(await info.context["volunteering"].post("/v1/activities", payload(input)))

    @action("志愿者注册 — register yourself as a volunteer (a minor names their guardian).")
    async def register_volunteer(self, info: GatewayInfo, input: VolunteerInput) -> Volunteer:
        return to_volunteer(await info.context["volunteering"].post("/v1/volunteers", payload(input)))

    @action("监护人同意 — the named guardian records consent for a minor volunteer.")
    async def record_guardian_consent(self, info: GatewayInfo, volunteer_id: strawberry.ID) -> Volunteer:
        changed = await info.context["volunteering"].post(f"/v1/volunteers/{volunteer_id}:consent")
        return to_volunteer(changed)

    @action("婉拒名额 — decline a place offered from the waitlist; the next in line is offered it.")
    async def decline_shift_offer(
        self, info: GatewayInfo, shift_id: strawberry.ID, volunteer_id: strawberry.ID
    ) -> Shift:
        path = f"/v1/shifts/{shift_id}/signups/{volunteer_id}:decline"
        return to_shift(await info.context["volunteering"].post(path))

    @action("签到 — check yourself in with the code on site, or (volunteerId) a volunteer as organiser.")
    async def check_in(
        self,
        info: GatewayInfo,
        shift_id: strawberry.ID,
        code: str | None = None,
        volunteer_id: strawberry.ID | None = None,
    ) -> Attendance:
        client = info.context["volunteering"]
        if volunteer_id is not None:
            return to_attendance(await client.post(f"/v1/shifts/{shift_id}/signups/{volunteer_id}:check-in"))
        checked = await client.post(f"/v1/shifts/{shift_id}/checkins", {"code": code or ""})
        return to_attendance(checked)

    @action("签退 — check out (yourself, or a volunteer as organiser); the minutes wait for the host.")
    async def check_out(
        self, info: GatewayInfo, shift_id: strawberry.ID, volunteer_id: strawberry.ID
    ) -> Attendance:
        path = f"/v1/shifts/{shift_id}/signups/{volunteer_id}:check-out"
        return to_attendance(await info.context["volunteering"].post(path))

    @action("认定时长 — the host's organisers verify a pending entry, or approve a 补录 as second approver.")
    async def verify_hours(self, info: GatewayInfo, entry_id: strawberry.ID) -> HourEntry:
        return to_entry(await info.context["volunteering"].post(f"/v1/hour-entries/{entry_id}:verify"))

    @action("驳回时长 — reject a pending entry with a reason; its minutes go back to the day's cap.")
    async def reject_hours(self, info: GatewayInfo, entry_id: strawberry.ID, reason: str) -> HourEntry:
        path = f"/v1/hour-entries/{entry_id}:reject"
        return to_entry(await info.context["volunteering"].post(path, {"reason": reason}))

    @action("批量认定 — verify every pending entry of an activity you may decide on.")
    async def verify_all_hours(self, info: GatewayInfo, activity_id: strawberry.ID) -> VerifyAllResult:
        path = f"/v1/activities/{activity_id}/hour-entries:verify-all"
        done = await info.context["volunteering"].post(path)
        return VerifyAllResult(verified=done["verified"], skipped=done["skipped"])

    @action("申请补录 — request a retroactive entry with evidence (for yourself, or as organiser).")
    async def request_retroactive_hours(self, info: GatewayInfo, input: RetroactiveHoursInput) -> HourEntry:
        return to_entry(await info.context["volunteering"].post("/v1/hour-entries", payload(input)))
