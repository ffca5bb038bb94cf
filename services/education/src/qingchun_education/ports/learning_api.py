"""REST API of learners, programmes, courses and sessions (``/v1``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_education.app import courses, learners, programmes
from qingchun_education.app.context import EducationContext
from qingchun_education.app.learning_commands import (
    CourseCreate,
    LearnerAccountLink,
    LearnerCreate,
    ProgrammeCreate,
    SessionsAdd,
)
from qingchun_education.domain.courses import (
    CourseAction,
    CourseCategory,
    CourseMode,
    CourseStatus,
    SessionKind,
)
from qingchun_education.domain.programmes import MAX_YEAR, MIN_YEAR, ProgrammeKind, Season, TargetGroup
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.learning_schemas import (
    CourseOut,
    LearnerOut,
    ProgrammeOut,
    SessionOut,
    course_out,
    learner_out,
    programme_out,
    session_out,
)
from qingchun_plumbing.ages import AgeBand
from qingchun_plumbing.auth import Caller, CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.waitlist import WaitlistPolicy

router = APIRouter(prefix="/v1")
OrgFilter = Annotated[str | None, Query(max_length=40)]
IdFilter = Annotated[str | None, Query(max_length=64)]


async def _learner(ctx: EducationContext, caller: Caller, doc: Document) -> LearnerOut:
    return learner_out(doc, learners.band_of(ctx, doc), await ctx.follows_learner(caller, doc))


# learners ---------------------------------------------------------------------------------------
@router.post(
    "/learners",
    status_code=201,
    response_model=LearnerOut,
    tags=["learners"],
    summary="Register yourself as a learner, or (for_child) a child on your family account",
)
async def register_learner(body: LearnerCreate, caller: CurrentCaller, ctx: Ctx) -> LearnerOut:
    return await _learner(ctx, caller, await learners.register(ctx, caller, body))


@router.get(
    "/learners/me",
    response_model=Page[LearnerOut],
    tags=["learners"],
    summary="Your own learner and the children on your family account",
)
async def my_learners(
    caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[LearnerOut]:
    items, next_cursor = await learners.mine(ctx, caller, cursor=cursor, limit=limit)
    return Page(items=[await _learner(ctx, caller, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/learners",
    response_model=Page[LearnerOut],
    tags=["learners"],
    summary="Learners by ids=a,b,c (personal fields only where you may see them)",
)
async def batch_learners(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str, Query(description="Comma-separated learner ids")],
) -> Page[LearnerOut]:
    found = await learners.batch(ctx, batch_ids(ids) or [])
    return Page(items=[await _learner(ctx, caller, d) for d in found])


@router.get(
    "/learners/{learner_id}",
    response_model=LearnerOut,
    tags=["learners"],
    summary="One learner (personal fields for the learner, guardians and home-community staff)",
)
async def get_learner(learner_id: str, caller: CurrentCaller, ctx: Ctx) -> LearnerOut:
    return await _learner(ctx, caller, await ctx.learner(learner_id))


@router.post(
    "/learners/{learner_id}/consent",
    response_model=LearnerOut,
    tags=["learners"],
    summary="A guardian records consent (监护人同意) for the learner",
)
async def record_consent(learner_id: str, caller: CurrentCaller, ctx: Ctx) -> LearnerOut:
    return await _learner(ctx, caller, await learners.record_consent(ctx, caller, learner_id))


@router.post(
    "/learners/{learner_id}/account",
    response_model=LearnerOut,
    tags=["learners"],
    summary="A guardian links the child's own account to the child's learner",
)
async def link_account(
    learner_id: str, body: LearnerAccountLink, caller: CurrentCaller, ctx: Ctx
) -> LearnerOut:
    return await _learner(ctx, caller, await learners.link_account(ctx, caller, learner_id, body))


# programmes -------------------------------------------------------------------------------------
@router.post(
    "/programmes",
    status_code=201,
    response_model=ProgrammeOut,
    tags=["programmes"],
    summary="Staff: start a programme (读书计划, 七彩假期, 法制教育…) under their organisation",
)
async def create_programme(body: ProgrammeCreate, caller: CurrentCaller, ctx: Ctx) -> ProgrammeOut:
    return programme_out(await programmes.create(ctx, caller, body))


@router.get(
    "/programmes",
    response_model=Page[ProgrammeOut],
    tags=["programmes"],
    summary="Programmes by owner, kind, season and year (or ids=a,b,c)",
)
async def list_programmes(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    owner_organization_id: OrgFilter = None,
    kind: ProgrammeKind | None = None,
    season: Season | None = None,
    year: Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ProgrammeOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[programme_out(d) for d in await programmes.batch(ctx, batch)])
    filters = programmes.ProgrammeFilter(owner_organization_id, kind, season, year)
    items, next_cursor = await programmes.page(ctx, filters, cursor=cursor, limit=limit)
    return Page(items=[programme_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/programmes/{programme_id}", response_model=ProgrammeOut, tags=["programmes"], summary="One programme"
)
async def get_programme(programme_id: str, caller: CurrentCaller, ctx: Ctx) -> ProgrammeOut:
    return programme_out(await programmes.programme(ctx, programme_id))


# courses and sessions ---------------------------------------------------------------------------
@router.post(
    "/courses",
    status_code=201,
    response_model=CourseOut,
    tags=["courses"],
    summary="Staff: plan a course (draft) under a programme, with its sessions",
)
async def create_course(body: CourseCreate, caller: CurrentCaller, ctx: Ctx) -> CourseOut:
    return course_out(await courses.create(ctx, caller, body))


@router.get(
    "/courses",
    response_model=Page[CourseOut],
    tags=["courses"],
    summary="Courses by programme, owner, category, status or citizen school (or ids=a,b,c)",
)
async def list_courses(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    programme_id: IdFilter = None,
    owner_organization_id: OrgFilter = None,
    category: CourseCategory | None = None,
    status: CourseStatus | None = None,
    citizen_school_id: IdFilter = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CourseOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[course_out(d) for d in await courses.batch(ctx, batch)])
    filters = courses.CourseFilter(programme_id, owner_organization_id, category, status, citizen_school_id)
    items, next_cursor = await courses.page(ctx, filters, cursor=cursor, limit=limit)
    return Page(items=[course_out(d) for d in items], next_cursor=next_cursor)


@router.get("/courses/{course_id}", response_model=CourseOut, tags=["courses"], summary="One course")
async def get_course(course_id: str, caller: CurrentCaller, ctx: Ctx) -> CourseOut:
    return course_out(await courses.course(ctx, course_id))


@router.post(
    "/courses/{course_id}/sessions",
    status_code=201,
    response_model=Page[SessionOut],
    tags=["courses"],
    summary="Staff: add sessions to a draft or scheduled course",
)
async def add_sessions(
    course_id: str, body: SessionsAdd, caller: CurrentCaller, ctx: Ctx
) -> Page[SessionOut]:
    added = await courses.add_sessions(ctx, caller, course_id, body)
    return Page(items=[session_out(d) for d in added])


@router.post(
    "/courses/{course_id}:{action}",
    response_model=CourseOut,
    tags=["courses"],
    summary="Staff: schedule (opens enrolment, announces it), complete or cancel a course",
)
async def act_on_course(course_id: str, action: CourseAction, caller: CurrentCaller, ctx: Ctx) -> CourseOut:
    return course_out(await courses.act(ctx, caller, course_id, action))


@router.get(
    "/courses/{course_id}/sessions",
    response_model=Page[SessionOut],
    tags=["courses"],
    summary="The course's sessions (课次)",
)
async def list_sessions(
    course_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[SessionOut]:
    items, next_cursor = await courses.sessions_page(ctx, course_id, cursor=cursor, limit=limit)
    return Page(items=[session_out(d) for d in items], next_cursor=next_cursor)


@router.get("/sessions/{session_id}", response_model=SessionOut, tags=["courses"], summary="One session")
async def get_session(session_id: str, caller: CurrentCaller, ctx: Ctx) -> SessionOut:
    return session_out(await courses.session(ctx, session_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "age_band": AgeBand,
    "programme_kind": ProgrammeKind,
    "target_group": TargetGroup,
    "season": Season,
    "course_category": CourseCategory,
    "course_mode": CourseMode,
    "course_status": CourseStatus,
    "course_action": CourseAction,
    "session_kind": SessionKind,
    "waitlist_policy": WaitlistPolicy,
}
