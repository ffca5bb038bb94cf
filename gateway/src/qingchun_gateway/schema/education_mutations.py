"""Education's workflows as mutations: learners (a child on a family account, or a minor who
names a guardian), the guardian's consent, badge definitions (with an automatic rule: verified
service or reading minutes) and a counsellor's award. The education service decides every rule."""

from __future__ import annotations

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo
from qingchun_gateway.schema.education import Badge, to_badge
from qingchun_gateway.schema.inputs import payload
from qingchun_gateway.schema.learners import BadgeAward, Learner, to_award, to_learner


@strawberry.input(
    description="学员登记 — yourself (a minor names guardianSubjectId), or (forChild) your child."
)
class LearnerInput:
    display_name: str
    birth_date: str
    home_community_id: str | None = None
    for_child: bool | None = None
    child_subject_id: str | None = None
    guardian_subject_id: str | None = None


@strawberry.input(
    description="自动获章规则 — verified_service_minutes or reading_minutes, and the threshold."
)
class BadgeRuleInput:
    kind: str
    threshold: int


@strawberry.input(description="新建徽章 — a badge (雏鹰争章), awarded by hand or earned by a rule.")
class BadgeInput:
    code: str
    name: str
    category: str
    criteria: str
    owner_organization_id: str
    rule: BadgeRuleInput | None = None


@strawberry.type
class EducationMutation:
    @action("学员登记 — register yourself, or a child on your family account, as a learner (education).")
    async def register_learner(self, info: GatewayInfo, input: LearnerInput) -> Learner:
        return to_learner(await info.context["education"].post("/v1/learners", payload(input)))

    @action("学员监护人同意 — a guardian records consent for the learner.")
    async def record_learner_consent(self, info: GatewayInfo, learner_id: strawberry.ID) -> Learner:
        return to_learner(await info.context["education"].post(f"/v1/learners/{learner_id}/consent"))

    @action("新建徽章 — define a badge (staff of its owner); with a rule it is also earned automatically.")
    async def create_badge(self, info: GatewayInfo, input: BadgeInput) -> Badge:
        return to_badge(await info.context["education"].post("/v1/badges", payload(input)))

    @action("颁发徽章 — award a badge to a learner (a counsellor, 少先队辅导员, of its organisation).")
    async def award_badge(
        self, info: GatewayInfo, badge_id: strawberry.ID, learner_id: strawberry.ID, note: str | None = None
    ) -> BadgeAward:
        given = {"learner_id": learner_id} | ({"note": note} if note else {})
        return to_award(await info.context["education"].post(f"/v1/badges/{badge_id}/awards", given))
