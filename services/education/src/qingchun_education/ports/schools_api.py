"""REST API of citizen schools (市民学校), their monthly compliance, and the teacher pool."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_education.app import schools, teachers
from qingchun_education.app.context import EducationContext
from qingchun_education.app.school_commands import (
    SchoolCreate,
    SchoolEstablish,
    SchoolRolesReplace,
    TeacherConfirm,
    TeacherCreate,
    TrainingRecord,
)
from qingchun_education.domain.compliance import ComplianceReason, ComplianceStatus
from qingchun_education.domain.schools import Eligibility, FundingSource, SchoolKind, SchoolRole, SetupStatus
from qingchun_education.domain.teachers import Engagement, TeacherSource, TeacherStatus, TrainingTopic
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.schools_schemas import (
    ComplianceOut,
    SchoolComplianceOut,
    SchoolOut,
    TeacherOut,
    compliance_out,
    school_compliance_out,
    school_out,
    teacher_out,
)
from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput

router = APIRouter(prefix="/v1", tags=["schools"])

OrgQuery = Annotated[str | None, Query(max_length=40)]
MonthQuery = Annotated[str, Query(max_length=7, description="YYYY-MM, e.g. 2026-09")]


async def _school(ctx: EducationContext, caller: Caller, doc: Document) -> SchoolOut:
    return school_out(doc, await schools.may_see_holders(ctx, caller, doc), ctx.local_date())


async def _teacher(ctx: EducationContext, caller: Caller, doc: Document) -> TeacherOut:
    return teacher_out(doc, await teachers.may_see_person(ctx, caller, doc))


@router.post(
    "/citizen-schools",
    status_code=201,
    response_model=SchoolOut,
    summary="Set up a citizen school (市民学校)",
)
async def create_school(body: SchoolCreate, caller: CurrentCaller, ctx: Ctx) -> SchoolOut:
    return await _school(ctx, caller, await schools.create(ctx, caller, body))


@router.get(
    "/citizen-schools",
    response_model=Page[SchoolOut],
    summary="Citizen schools of an organisation and beneath it (or ids=a,b,c)",
)
async def list_schools(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    organization_id: OrgQuery = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[SchoolOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _school(ctx, caller, d) for d in await schools.batch(ctx, batch)])
    if organization_id is None:
        raise InvalidInput("name the organisation (or ids=…)", field="organization_id", code="missing")
    items, next_cursor = await schools.page(ctx, organization_id, cursor=cursor, limit=limit)
    return Page(items=[await _school(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/citizen-schools/compliance",
    response_model=Page[SchoolComplianceOut],
    summary="Monthly compliance (达标) of every citizen school beneath an organisation, for its staff",
)
async def list_compliance(
    caller: CurrentCaller,
    ctx: Ctx,
    organization_id: Annotated[str, Query(max_length=40)],
    month: MonthQuery,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[SchoolComplianceOut]:
    rows, next_cursor = await schools.compliance_page(
        ctx, caller, organization_id, month, cursor=cursor, limit=limit
    )
    return Page(items=[school_compliance_out(d, c) for d, c in rows], next_cursor=next_cursor)


@router.get(
    "/citizen-schools/{school_id}",
    response_model=SchoolOut,
    summary="One citizen school (role holders named to its staff only)",
)
async def get_school(school_id: str, caller: CurrentCaller, ctx: Ctx) -> SchoolOut:
    return await _school(ctx, caller, await schools.school(ctx, school_id))


@router.put(
    "/citizen-schools/{school_id}/roles",
    response_model=SchoolOut,
    summary="Replace the school's role holders (名誉校长, 督学长, 校长, 副校长, 管理委员会)",
)
async def replace_roles(
    school_id: str, body: SchoolRolesReplace, caller: CurrentCaller, ctx: Ctx
) -> SchoolOut:
    return await _school(ctx, caller, await schools.replace_roles(ctx, caller, school_id, body))


@router.post(
    "/citizen-schools/{school_id}/plaque",
    response_model=SchoolOut,
    summary="Record the plaque ceremony (挂牌成立) that ends the school's setup",
)
async def establish_school(
    school_id: str, body: SchoolEstablish, caller: CurrentCaller, ctx: Ctx
) -> SchoolOut:
    return await _school(ctx, caller, await schools.establish(ctx, caller, school_id, body))


@router.get(
    "/citizen-schools/{school_id}/compliance",
    response_model=ComplianceOut,
    summary="Whether the school met its monthly duties (weekly teaching, an activity or lecture)",
)
async def get_compliance(school_id: str, month: MonthQuery, caller: CurrentCaller, ctx: Ctx) -> ComplianceOut:
    return compliance_out(await schools.compliance(ctx, caller, school_id, month))


@router.post(
    "/teachers",
    status_code=201,
    response_model=TeacherOut,
    summary="Add a teacher to the pool (社区教育师资库)",
)
async def create_teacher(body: TeacherCreate, caller: CurrentCaller, ctx: Ctx) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.create(ctx, caller, body))


@router.get(
    "/teachers",
    response_model=Page[TeacherOut],
    summary="Teachers of the pool by community, source, specialty, qualification, status (or ids=a,b,c)",
)
async def list_teachers(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    home_community_id: OrgQuery = None,
    source: TeacherSource | None = None,
    specialty: Annotated[str | None, Query(max_length=30)] = None,
    qualified: bool | None = None,
    status: TeacherStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[TeacherOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _teacher(ctx, caller, d) for d in await teachers.batch(ctx, batch)])
    filters = {
        "home_community_id": home_community_id,
        "source": source.value if source else None,
        "specialties": specialty,
        "qualified": qualified,
        "status": status.value if status else None,
    }
    items, next_cursor = await teachers.page(ctx, cursor=cursor, limit=limit, filters=filters)
    return Page(items=[await _teacher(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get("/teachers/{teacher_id}", response_model=TeacherOut, summary="One teacher of the pool")
async def get_teacher(teacher_id: str, caller: CurrentCaller, ctx: Ctx) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.teacher(ctx, teacher_id))


@router.post(
    "/teachers/{teacher_id}:confirm",
    response_model=TeacherOut,
    summary="Confirm a volunteer candidate as an active teacher",
)
async def confirm_teacher(
    teacher_id: str, body: TeacherConfirm, caller: CurrentCaller, ctx: Ctx
) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.confirm(ctx, caller, teacher_id, body))


@router.post(
    "/teachers/{teacher_id}:deactivate",
    response_model=TeacherOut,
    summary="Rotate a teacher out of service (轮换); courses can no longer name them",
)
async def deactivate_teacher(teacher_id: str, caller: CurrentCaller, ctx: Ctx) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.deactivate(ctx, caller, teacher_id))


@router.post(
    "/teachers/{teacher_id}:reactivate",
    response_model=TeacherOut,
    summary="Bring a rotated-out teacher back into service",
)
async def reactivate_teacher(teacher_id: str, caller: CurrentCaller, ctx: Ctx) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.reactivate(ctx, caller, teacher_id))


@router.post(
    "/teachers/{teacher_id}/trainings",
    response_model=TeacherOut,
    summary="Record one of the five required trainings as completed",
)
async def record_training(
    teacher_id: str, body: TrainingRecord, caller: CurrentCaller, ctx: Ctx
) -> TeacherOut:
    return await _teacher(ctx, caller, await teachers.record_training(ctx, caller, teacher_id, body))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "citizen_school_kind": SchoolKind,
    "citizen_school_funding_source": FundingSource,
    "citizen_school_eligibility": Eligibility,
    "citizen_school_role": SchoolRole,
    "citizen_school_setup_status": SetupStatus,
    "citizen_school_compliance_status": ComplianceStatus,
    "citizen_school_compliance_reason": ComplianceReason,
    "teacher_source": TeacherSource,
    "teacher_engagement": Engagement,
    "teacher_status": TeacherStatus,
    "teacher_training_topic": TrainingTopic,
}
