"""The registry's REST API (``/v1``): organisations and their tree, communities' creation,
league branches' terms, youth centres, designations and agreements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, batch_ids
from qingchun_registry.app import (
    agreements,
    branches,
    communities,
    designations,
    organizations,
    youth_centers,
)
from qingchun_registry.app.commands import (
    AgreementActivate,
    AgreementCreate,
    AgreementEnd,
    AgreementSign,
    CenterStatusChange,
    Deactivation,
    DesignationIn,
    ElectionIn,
    OrganizationCreate,
    OrganizationPatch,
    PlanIn,
    RegistrationIn,
    StageChange,
    SurveyIn,
    TermIn,
    YouthCenterProfileIn,
)
from qingchun_registry.app.context import RegistryContext
from qingchun_registry.domain.agreements import AgreementAction, AgreementStatus, AgreementType
from qingchun_registry.domain.creation import CreationStage
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.ports.schemas import (
    AgreementOut,
    OrganizationOut,
    agreement_out,
    organization_out,
)


def registry_context(request: Request) -> RegistryContext:
    context: RegistryContext = request.app.state.registry
    return context


Ctx = Annotated[RegistryContext, Depends(registry_context)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page.")]

router = APIRouter(prefix="/v1")


def _org(ctx: RegistryContext, document: Document) -> OrganizationOut:
    return organization_out(document, ctx.today(), ctx.settings.term_due_soon_days)


# organisations --------------------------------------------------------------------------
@router.post(
    "/organizations",
    status_code=201,
    response_model=OrganizationOut,
    tags=["organizations"],
    summary="Register an organisation (登记组织)",
)
async def register_organization(body: OrganizationCreate, caller: CurrentCaller, ctx: Ctx) -> OrganizationOut:
    return _org(ctx, await organizations.register(ctx, caller, body))


@router.get(
    "/organizations",
    response_model=Page[OrganizationOut],
    tags=["organizations"],
    summary="List organisations, or batch-get them with ids=a,b,c",
)
async def list_organizations(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query(description="Batch read: up to 200 comma-separated ids.")] = None,
    type: Annotated[list[OrgType], Query(description="Organisation types (repeatable).")] = [],  # noqa: B006
    parent_id: Annotated[str | None, Query(max_length=40)] = None,
    area: Annotated[
        str | None, Query(max_length=50, description="Any area level's name, e.g. 孝南区.")
    ] = None,
    stage: Annotated[CreationStage | None, Query(description="Communities at this creation stage.")] = None,
    name_prefix: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(pattern="^(active|inactive)$")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[OrganizationOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[_org(ctx, d) for d in await organizations.batch(ctx, batch)])
    items, next_cursor = await organizations.page(
        ctx,
        cursor=cursor,
        limit=limit,
        types=type,
        parent_id=parent_id,
        area=area,
        stage=stage,
        name_prefix=name_prefix,
        status=status,
    )
    return Page(items=[_org(ctx, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/organizations/{organization_id}",
    response_model=OrganizationOut,
    tags=["organizations"],
    summary="One organisation",
)
async def get_organization(organization_id: str, caller: CurrentCaller, ctx: Ctx) -> OrganizationOut:
    return _org(ctx, await ctx.organization(organization_id))


@router.patch(
    "/organizations/{organization_id}",
    response_model=OrganizationOut,
    tags=["organizations"],
    summary="Change name, parent (move in the tree), area, address, tags",
)
async def update_organization(
    organization_id: str, body: OrganizationPatch, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await organizations.update(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}:deactivate",
    response_model=OrganizationOut,
    tags=["organizations"],
    summary="Deactivate (撤销) an organisation with a reason; refused while it has active children",
)
async def deactivate_organization(
    organization_id: str, body: Deactivation, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await organizations.deactivate(ctx, caller, organization_id, body))


@router.get(
    "/organizations/{organization_id}/subtree",
    response_model=Page[OrganizationOut],
    tags=["organizations"],
    summary="Everything below an organisation, with filters",
)
async def organization_subtree(
    organization_id: str,
    caller: CurrentCaller,
    ctx: Ctx,
    type: Annotated[list[OrgType], Query()] = [],  # noqa: B006
    stage: Annotated[CreationStage | None, Query()] = None,
    name_prefix: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[str | None, Query(pattern="^(active|inactive)$")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[OrganizationOut]:
    within = await organizations.subtree_ids(ctx, organization_id)
    items, next_cursor = await organizations.page(
        ctx,
        cursor=cursor,
        limit=limit,
        types=type,
        stage=stage,
        name_prefix=name_prefix,
        status=status,
        within=within,
    )
    return Page(items=[_org(ctx, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/organizations/{organization_id}/ancestors",
    response_model=Page[OrganizationOut],
    tags=["organizations"],
    summary="The chain from the parent up to the root (one page)",
)
async def organization_ancestors(
    organization_id: str, caller: CurrentCaller, ctx: Ctx
) -> Page[OrganizationOut]:
    return Page(items=[_org(ctx, d) for d in await organizations.ancestors(ctx, organization_id)])


# communities ------------------------------------------------------------------------------
@router.put(
    "/organizations/{organization_id}/survey",
    response_model=OrganizationOut,
    tags=["communities"],
    summary="Record the baseline survey (调查摸底) and its six …清 clauses",
)
async def record_survey(
    organization_id: str, body: SurveyIn, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await communities.record(ctx, caller, organization_id, body))


@router.put(
    "/organizations/{organization_id}/plan",
    response_model=OrganizationOut,
    tags=["communities"],
    summary="Record the creation plan (创建方案) and batch",
)
async def record_plan(organization_id: str, body: PlanIn, caller: CurrentCaller, ctx: Ctx) -> OrganizationOut:
    return _org(ctx, await communities.plan(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}:change-stage",
    response_model=OrganizationOut,
    tags=["communities"],
    summary="Move a community to its next creation stage (guarded)",
)
async def change_stage(
    organization_id: str, body: StageChange, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await communities.change_stage(ctx, caller, organization_id, body))


# league branches ------------------------------------------------------------------------------
@router.put(
    "/organizations/{organization_id}/term",
    response_model=OrganizationOut,
    tags=["league branches"],
    summary="Register a branch's current term",
)
async def set_term(organization_id: str, body: TermIn, caller: CurrentCaller, ctx: Ctx) -> OrganizationOut:
    return _org(ctx, await branches.set_term(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}/elections",
    response_model=OrganizationOut,
    tags=["league branches"],
    summary="Record a democratic election (换届选举); starts a new term",
)
async def record_election(
    organization_id: str, body: ElectionIn, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await branches.elect(ctx, caller, organization_id, body))


# youth centres -------------------------------------------------------------------------------
@router.put(
    "/organizations/{organization_id}/youth-center",
    response_model=OrganizationOut,
    tags=["youth centres"],
    summary="Record a youth centre's site, staff, form and projects",
)
async def set_youth_center(
    organization_id: str, body: YouthCenterProfileIn, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await youth_centers.set_profile(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}:change-center-status",
    response_model=OrganizationOut,
    tags=["youth centres"],
    summary="筹建 → 试点/推广 → 已建成 (达标 is derived)",
)
async def change_center_status(
    organization_id: str, body: CenterStatusChange, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await youth_centers.change_status(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}/registration",
    response_model=OrganizationOut,
    tags=["youth centres"],
    summary="Record civil-affairs registration (民政登记) of a compliant centre",
)
async def register_youth_center(
    organization_id: str, body: RegistrationIn, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await youth_centers.record_registration(ctx, caller, organization_id, body))


# designations -------------------------------------------------------------------------------
@router.post(
    "/organizations/{organization_id}/designations",
    response_model=OrganizationOut,
    status_code=201,
    tags=["designations"],
    summary="Grant a designation (示范点, 首批, 青年文明号 …)",
)
async def grant_designation(
    organization_id: str, body: DesignationIn, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await designations.grant(ctx, caller, organization_id, body))


@router.post(
    "/organizations/{organization_id}/designations/{designation_id}:revoke",
    response_model=OrganizationOut,
    tags=["designations"],
    summary="Revoke a designation (撤销命名), e.g. a 示范点 that no longer meets the standard",
)
async def revoke_designation(
    organization_id: str, designation_id: str, caller: CurrentCaller, ctx: Ctx
) -> OrganizationOut:
    return _org(ctx, await designations.revoke(ctx, caller, organization_id, designation_id))


# agreements -----------------------------------------------------------------------------------
@router.post(
    "/agreements",
    status_code=201,
    response_model=AgreementOut,
    tags=["agreements"],
    summary="Draft a pairing or co-building agreement (结对/共建协议)",
)
async def create_agreement(body: AgreementCreate, caller: CurrentCaller, ctx: Ctx) -> AgreementOut:
    return agreement_out(await agreements.create(ctx, caller, body))


@router.get(
    "/agreements",
    response_model=Page[AgreementOut],
    tags=["agreements"],
    summary="List agreements, or batch-get them with ids=a,b,c",
)
async def list_agreements(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    party_id: Annotated[str | None, Query(max_length=40)] = None,
    type: Annotated[list[AgreementType], Query()] = [],  # noqa: B006
    status: Annotated[list[AgreementStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AgreementOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[agreement_out(d) for d in await agreements.batch(ctx, batch)])
    items, next_cursor = await agreements.page(
        ctx, cursor=cursor, limit=limit, party_id=party_id, types=type, statuses=status
    )
    return Page(items=[agreement_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/agreements/{agreement_id}", response_model=AgreementOut, tags=["agreements"], summary="One agreement"
)
async def get_agreement(agreement_id: str, caller: CurrentCaller, ctx: Ctx) -> AgreementOut:
    return agreement_out(await agreements.load(ctx, agreement_id))


@router.post(
    "/agreements/{agreement_id}:sign",
    response_model=AgreementOut,
    tags=["agreements"],
    summary="Record the signing (签订) on a date",
)
async def sign_agreement(
    agreement_id: str, body: AgreementSign, caller: CurrentCaller, ctx: Ctx
) -> AgreementOut:
    dates = {"signed_on": body.signed_on}
    return agreement_out(await agreements.act(ctx, caller, agreement_id, AgreementAction.SIGN, dates))


@router.post(
    "/agreements/{agreement_id}:activate",
    response_model=AgreementOut,
    tags=["agreements"],
    summary="Start carrying it out; records the plaque date (挂牌) if given",
)
async def activate_agreement(
    agreement_id: str, body: AgreementActivate, caller: CurrentCaller, ctx: Ctx
) -> AgreementOut:
    dates = {"plaque_on": body.plaque_on}
    return agreement_out(await agreements.act(ctx, caller, agreement_id, AgreementAction.ACTIVATE, dates))


@router.post(
    "/agreements/{agreement_id}:suspend",
    response_model=AgreementOut,
    tags=["agreements"],
    summary="Suspend an active agreement (暂停)",
)
async def suspend_agreement(agreement_id: str, caller: CurrentCaller, ctx: Ctx) -> AgreementOut:
    return agreement_out(await agreements.act(ctx, caller, agreement_id, AgreementAction.SUSPEND, {}))


@router.post(
    "/agreements/{agreement_id}:resume",
    response_model=AgreementOut,
    tags=["agreements"],
    summary="Resume a suspended agreement",
)
async def resume_agreement(agreement_id: str, caller: CurrentCaller, ctx: Ctx) -> AgreementOut:
    return agreement_out(await agreements.act(ctx, caller, agreement_id, AgreementAction.RESUME, {}))


@router.post(
    "/agreements/{agreement_id}:end",
    response_model=AgreementOut,
    tags=["agreements"],
    summary="End the agreement (终止) on a date",
)
async def end_agreement(
    agreement_id: str, body: AgreementEnd, caller: CurrentCaller, ctx: Ctx
) -> AgreementOut:
    dates = {"ends_on": body.ends_on}
    return agreement_out(await agreements.act(ctx, caller, agreement_id, AgreementAction.END, dates))
