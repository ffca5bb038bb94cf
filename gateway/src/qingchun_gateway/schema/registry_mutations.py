"""Registry workflows as mutations beyond registering an organisation: a community's 青年文明社区
创建 stages, a league branch's election (换届), and deactivating (撤销) an organisation. The
registry guards every transition and scope."""

from __future__ import annotations

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.inputs import payload
from qingchun_gateway.schema.registry import Organization, to_organization


@strawberry.input(description="换届选举 — a democratic election; it starts a new term on heldOn.")
class ElectionInput:
    held_on: str
    term_years: int | None = None
    secretary_subject_id: str | None = None
    committee_size: int | None = None


@strawberry.type
class RegistryMutation:
    @action("创建阶段 — move a community to its next creation stage (调查摸底 → … → 建成; guarded).")
    async def change_community_stage(
        self, info: GatewayInfo, organization_id: strawberry.ID, to_stage: str
    ) -> Organization:
        path = f"/v1/organizations/{organization_id}:change-stage"
        return to_organization(await info.context["registry"].post(path, {"to_stage": to_stage}))

    @action("换届选举 — record a league branch's election; a new term starts.")
    async def record_branch_election(
        self, info: GatewayInfo, organization_id: strawberry.ID, input: ElectionInput
    ) -> Organization:
        path = f"/v1/organizations/{organization_id}/elections"
        return to_organization(await info.context["registry"].post(path, payload(input)))

    @action("撤销组织 — deactivate (merged, dissolved, duplicate, other); not with active children.")
    async def deactivate_organization(
        self, info: GatewayInfo, organization_id: strawberry.ID, reason_code: str
    ) -> Organization:
        path = f"/v1/organizations/{organization_id}:deactivate"
        return to_organization(await info.context["registry"].post(path, {"reason_code": reason_code}))
