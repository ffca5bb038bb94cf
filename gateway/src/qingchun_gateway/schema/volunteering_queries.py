"""Volunteering reads that go with the check-in and hours mutations: the organiser's current
check-in code (it rotates, so it is read each time it is shown) and hour entries."""

from __future__ import annotations

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.auth import entry
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.hours import CheckinCode, HourEntry, to_code, to_entry


@strawberry.type
class VolunteeringQuery:
    @entry("签到码 — the shift's current check-in code, for its organisers only (it rotates).")
    async def checkin_code(self, info: GatewayInfo, shift_id: strawberry.ID) -> CheckinCode:
        return to_code(await info.context["volunteering"].get(f"/v1/shifts/{shift_id}/checkin-code"))

    @entry("服务时长记录 — entries of a volunteer, an activity or a host (yours without a filter).")
    async def hour_entries(
        self,
        info: GatewayInfo,
        volunteer_id: str | None = None,
        activity_id: str | None = None,
        host_organization_id: str | None = None,
        status: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[HourEntry]:
        params = {
            "volunteer_id": volunteer_id,
            "activity_id": activity_id,
            "host_organization_id": host_organization_id,
            "status": status,
        }
        return await fetch(info.context["volunteering"], "/v1/hour-entries", params, first, after, to_entry)
