"""A community's creation of a 青年文明社区: the survey, the plan, and the guarded stages."""

from __future__ import annotations

from qingchun_contracts import Envelope
from qingchun_contracts.registry import CommunitySurveyCompleted, CreationStageChanged
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document
from qingchun_registry.adapters.documents import creation_doc, creation_from
from qingchun_registry.app.commands import PlanIn, StageChange, SurveyIn
from qingchun_registry.app.context import ADMIN_ROLES, SUPERVISOR_ROLES, RegistryContext
from qingchun_registry.domain.creation import CreationStage, Survey, advance, record_survey, set_plan
from qingchun_registry.domain.organizations import OrgType

_COMMUNITY = OrgType.COMMUNITY.value
# Choosing the first batch and the demonstration points is the city's and district's call.
_CHOSEN_BY_SUPERVISORS = {CreationStage.CREATING, CreationStage.DEMONSTRATION, CreationStage.ACHIEVED}


async def record(ctx: RegistryContext, caller: Caller, org_id: str, command: SurveyIn) -> Document:
    document = await ctx.organization_of_type(org_id, _COMMUNITY)
    await ctx.require_scope(
        caller, org_id, roles=(Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.COMMUNITY_STAFF)
    )
    survey = Survey(checked=frozenset(command.checked), **command.model_dump(exclude={"checked"}))
    survey.validate()
    before = creation_from(document["community"])
    after = record_survey(before, survey)
    events: list[Envelope] = []
    if survey.complete:
        events.append(
            ctx.events.envelope(
                CommunitySurveyCompleted(
                    organization_id=org_id,
                    youth_count=survey.youth_count,
                    hardship_household_count=survey.hardship_household_count,
                    dropout_youth_count=survey.dropout_youth_count,
                    unemployed_youth_count=survey.unemployed_youth_count,
                    volunteer_project_count=survey.volunteer_project_count,
                ),
                subject=org_id,
            )
        )
    events += _stage_events(ctx, org_id, before.stage, after.stage, after.batch, after.is_demonstration)
    result = await ctx.store.update_organization(document, {"community": creation_doc(after)}, events)
    ctx.notify()
    return result


async def plan(ctx: RegistryContext, caller: Caller, org_id: str, command: PlanIn) -> Document:
    document = await ctx.organization_of_type(org_id, _COMMUNITY)
    await ctx.require_scope(caller, org_id, roles=ADMIN_ROLES)
    after = set_plan(creation_from(document["community"]), command.plan_title, command.batch)
    result = await ctx.store.update_organization(document, {"community": creation_doc(after)}, [])
    return result


async def change_stage(ctx: RegistryContext, caller: Caller, org_id: str, command: StageChange) -> Document:
    document = await ctx.organization_of_type(org_id, _COMMUNITY)
    roles = SUPERVISOR_ROLES if command.to_stage in _CHOSEN_BY_SUPERVISORS else ADMIN_ROLES
    await ctx.require_scope(caller, org_id, roles=roles)
    before = creation_from(document["community"])
    after = advance(before, command.to_stage)
    events = _stage_events(ctx, org_id, before.stage, after.stage, after.batch, after.is_demonstration)
    result = await ctx.store.update_organization(document, {"community": creation_doc(after)}, events)
    ctx.notify()
    return result


def _stage_events(
    ctx: RegistryContext,
    org_id: str,
    before: CreationStage,
    after: CreationStage,
    batch: str | None,
    is_demonstration: bool,
) -> list[Envelope]:
    if before is after:
        return []
    return [
        ctx.events.envelope(
            CreationStageChanged(
                organization_id=org_id,
                from_stage=before.value,
                to_stage=after.value,
                batch=batch,
                is_demonstration=is_demonstration,
            ),
            subject=org_id,
        )
    ]
