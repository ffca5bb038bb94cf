"""Education reads that go with the learner and badge mutations: your own learners (yourself and
the children on your family account) and one learner by id, with the badges they hold."""

from __future__ import annotations

import strawberry

from qingchun_gateway.connections import Connection, fetch
from qingchun_gateway.schema.auth import entry
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.learners import Learner, to_learner


@strawberry.type
class EducationQuery:
    @entry("学员 — one learner (personal fields for the learner, guardians and home-community staff).")
    async def learner(self, info: GatewayInfo, id: strawberry.ID) -> Learner:
        return to_learner(await info.context["education"].get(f"/v1/learners/{id}"))

    @entry("我的学员 — your own learner and the children on your family account.")
    async def my_learners(
        self, info: GatewayInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Learner]:
        return await fetch(info.context["education"], "/v1/learners/me", {}, first, after, to_learner)
