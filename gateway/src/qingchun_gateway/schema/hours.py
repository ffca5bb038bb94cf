"""Volunteering's attendance and service hours in the graph: the organiser's rotating check-in
code, a volunteer's attendance on a shift, and hour entries (签到签退 → 待认定 → 已认定, 补录).
Entries come only as the service shows them to this caller: the volunteer, their guardian and the
host's organisers."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.schema.common import Coded, GatewayInfo, build
from qingchun_gateway.schema.volunteering import Volunteer, volunteer


@strawberry.type(description="签到码 — the rotating code the organiser shows on site (QR text and 6 digits).")
class CheckinCode:
    shift_id: strawberry.ID
    qr_text: str = strawberry.field(description="二维码内容 — what the QR code encodes.")
    code: str = strawberry.field(description="六位签到码 — to type where scanning fails.")
    valid_until: str
    period_seconds: int


@strawberry.type(description="出勤 — a volunteer's check-in and check-out on one shift.")
class Attendance:
    shift_id: strawberry.ID
    volunteer_id: strawberry.ID
    status: Coded | None
    checkin_method: Coded | None
    checked_in_at: str | None = None
    checked_out_at: str | None = None


@strawberry.type(description="补录证明 — what a retroactive entry rests on.")
class Evidence:
    description: str
    refs: list[str]


@strawberry.type(
    description="服务时长记录 — an hour entry (pending → verified / rejected); credited by the host's rules."
)
class HourEntry:
    id: strawberry.ID
    volunteer_id: str
    host_organization_id: str
    activity_title: str
    served_on: str
    raw_minutes: int
    credited_minutes: int
    method: Coded | None
    status: Coded | None
    created_at: str
    activity_id: str | None = None
    shift_id: str | None = None
    verified_at: str | None = None
    rejection_reason: str | None = None
    raw: strawberry.Private[dict[str, Any]] = strawberry.field(default_factory=dict)

    @strawberry.field(description="补录证明 — the evidence of a retroactive entry.")
    def evidence(self) -> Evidence | None:
        found = self.raw.get("evidence")
        return None if found is None else build(Evidence, found)

    @strawberry.field(description="是否已有第二审核人 — a 补录 approved by someone other than its requester.")
    def second_approved(self) -> bool:
        approver = self.raw.get("approved_by")
        return approver is not None and approver != self.raw.get("requested_by")

    @strawberry.field(description="志愿者 — whose hours these are.")
    async def volunteer(self, info: GatewayInfo) -> Volunteer | None:
        return volunteer(await info.context.loaders.one("volunteer", self.volunteer_id))


@strawberry.type(description="批量认定结果 — entries verified, and those left for another organiser.")
class VerifyAllResult:
    verified: int
    skipped: int = strawberry.field(
        description="跳过 — your own (or your child's) hours and 补录 you requested yourself."
    )


def to_code(data: Any) -> CheckinCode:
    return build(CheckinCode, data)


def to_attendance(data: Any) -> Attendance:
    return build(Attendance, data)


def to_entry(data: Any) -> HourEntry:
    return build(HourEntry, data)
