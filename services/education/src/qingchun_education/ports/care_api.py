"""REST API of the restricted care files (帮教档案, ``/v1/care-cases``) and their statistics.

No route searches by name and none exports: a case is reached by its pseudonymous id, or listed
by jurisdiction and status for those who run or help it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from qingchun_education.app import care, care_helpers
from qingchun_education.app.care_commands import (
    CareCaseCreate,
    CareCaseUpdate,
    EscalationIn,
    HelperIn,
    TransitionIn,
    VisitIn,
)
from qingchun_education.app.care_statistics import statistics
from qingchun_education.domain.care import (
    CareCategory,
    CareMeasure,
    CaseAction,
    CaseStatus,
    EmploymentStatus,
    EscalationReason,
    EscalationTarget,
    Gender,
    GuardianRelation,
    SchoolingStatus,
    VisitKind,
)
from qingchun_education.domain.care_access import CareAction
from qingchun_education.domain.care_statistics import CareFigure, CareRate
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.care_schemas import (
    AuditEntryOut,
    CareCaseOut,
    CareStatisticsOut,
    EscalationOut,
    VisitOut,
    audit_out,
    case_out,
    statistics_out,
    visit_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.fields import OrgId
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids

router = APIRouter(prefix="/v1", tags=["care"])
CaseId = Annotated[str, Path(max_length=64)]


@router.post(
    "/care-cases",
    status_code=201,
    response_model=CareCaseOut,
    summary="Record a youth found by the survey (调查摸底); community care staff of the jurisdiction",
)
async def create_case(body: CareCaseCreate, caller: CurrentCaller, ctx: Ctx) -> CareCaseOut:
    return case_out(await care.create(ctx, caller, body))


@router.get(
    "/care-cases",
    response_model=Page[CareCaseOut],
    summary="Cases of a jurisdiction for its staff, or one's own as a helper (or ids=a,b,c); never by name",
)
async def list_cases(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    jurisdiction_organization_id: Annotated[OrgId | None, Query()] = None,
    status: Annotated[list[CaseStatus], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CareCaseOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[case_out(d) for d in await care.batch(ctx, caller, batch)])
    items, next_cursor = await care.page(
        ctx, caller, cursor=cursor, limit=limit, jurisdiction=jurisdiction_organization_id, statuses=status
    )
    return Page(items=[case_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/care-cases/{case_id}",
    response_model=CareCaseOut,
    summary="One case: its helpers, care staff and supervising staff only",
)
async def get_case(case_id: CaseId, caller: CurrentCaller, ctx: Ctx) -> CareCaseOut:
    return case_out(await care.read(ctx, caller, case_id))


@router.patch(
    "/care-cases/{case_id}",
    response_model=CareCaseOut,
    summary="Keep the file current (动态管理); community care staff",
)
async def update_case(case_id: CaseId, body: CareCaseUpdate, caller: CurrentCaller, ctx: Ctx) -> CareCaseOut:
    return case_out(await care.update(ctx, caller, case_id, body))


@router.post(
    "/care-cases/{case_id}/transitions",
    response_model=CareCaseOut,
    summary="Move the case on: file, assign, start help, an outcome, reoffended, close; community care staff",
)
async def transition_case(
    case_id: CaseId, body: TransitionIn, caller: CurrentCaller, ctx: Ctx
) -> CareCaseOut:
    return case_out(await care.transition(ctx, caller, case_id, body))


@router.post(
    "/care-cases/{case_id}/helpers",
    response_model=CareCaseOut,
    summary="Assign a helper (逐人落实); community care staff or supervising staff",
)
async def add_helper(case_id: CaseId, body: HelperIn, caller: CurrentCaller, ctx: Ctx) -> CareCaseOut:
    return case_out(await care_helpers.add_helper(ctx, caller, case_id, body))


@router.delete(
    "/care-cases/{case_id}/helpers/{subject_id}",
    response_model=CareCaseOut,
    summary="Release a helper from the case; community care staff or supervising staff",
)
async def remove_helper(
    case_id: CaseId, subject_id: Annotated[str, Path(max_length=64)], caller: CurrentCaller, ctx: Ctx
) -> CareCaseOut:
    return case_out(await care_helpers.remove_helper(ctx, caller, case_id, subject_id))


@router.post(
    "/care-cases/{case_id}/visits",
    status_code=201,
    response_model=CareCaseOut,
    summary="Log a visit (走访); an assigned helper or community care staff",
)
async def log_visit(case_id: CaseId, body: VisitIn, caller: CurrentCaller, ctx: Ctx) -> CareCaseOut:
    return case_out(await care.log_visit(ctx, caller, case_id, body))


@router.get(
    "/care-cases/{case_id}/visits",
    response_model=Page[VisitOut],
    summary="The case's visit log, oldest first; for those who may read the case",
)
async def list_visits(
    case_id: CaseId, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[VisitOut]:
    rows, next_cursor = await care.visits_page(ctx, caller, case_id, cursor=cursor, limit=limit)
    return Page(items=[visit_out(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/care-cases/{case_id}/escalations",
    status_code=201,
    response_model=EscalationOut,
    summary="Report the case to police or justice (移送), explicitly and audited; care or supervising staff",
)
async def escalate_case(
    case_id: CaseId, body: EscalationIn, caller: CurrentCaller, ctx: Ctx
) -> EscalationOut:
    case_ = case_out(await care.escalate(ctx, caller, case_id, body))
    return case_.escalations[-1]


@router.get(
    "/care-cases/{case_id}/audit",
    response_model=Page[AuditEntryOut],
    summary="Who read, changed or was refused the case; supervising staff of its jurisdiction",
)
async def list_audit(
    case_id: CaseId, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[AuditEntryOut]:
    rows, next_cursor = await care.audit_page(ctx, caller, case_id, cursor=cursor, limit=limit)
    return Page(items=[audit_out(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/care-statistics",
    response_model=CareStatisticsOut,
    summary="Case counts and rates (改好率, 重新犯罪率…) at or below an organisation, small cells withheld",
)
async def care_statistics(
    organization_id: Annotated[OrgId, Query()], caller: CurrentCaller, ctx: Ctx
) -> CareStatisticsOut:
    result = await statistics(ctx, caller, organization_id)
    return statistics_out(organization_id, ctx.settings.small_cell_threshold, result)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "care_category": CareCategory,
    "care_measure": CareMeasure,
    "care_case_status": CaseStatus,
    "care_case_action": CaseAction,
    "care_schooling_status": SchoolingStatus,
    "care_employment_status": EmploymentStatus,
    "care_gender": Gender,
    "care_guardian_relation": GuardianRelation,
    "care_visit_kind": VisitKind,
    "care_escalation_target": EscalationTarget,
    "care_escalation_reason": EscalationReason,
    "care_action": CareAction,
    "care_figure": CareFigure,
    "care_rate": CareRate,
}
