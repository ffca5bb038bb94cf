"""Citizen schools (市民学校) under registry organisations, and their monthly compliance."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from qingchun_education.app.context import EducationContext
from qingchun_education.app.school_commands import (
    RoleHolder,
    SchoolCreate,
    SchoolEstablish,
    SchoolRolesReplace,
)
from qingchun_education.domain.compliance import Compliance, Month, judge, parse_month, session_window
from qingchun_education.domain.courses import CourseStatus
from qingchun_education.domain.schools import check_plaque_date, check_roles, name_key
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import NotFound

RAN = frozenset({CourseStatus.SCHEDULED.value, CourseStatus.COMPLETED.value})


def _roles(holders: list[RoleHolder]) -> list[Document]:
    check_roles([(h.role, h.subject_id) for h in holders])
    return [h.model_dump(mode="json") for h in holders]


async def create(ctx: EducationContext, caller: Caller, command: SchoolCreate) -> Document:
    await ctx.active_organization(command.organization_id, "organization_id")
    await ctx.require_staff(caller, command.organization_id, "organization_id")
    roles = _roles(command.roles)
    if command.plaque_date is not None:
        check_plaque_date(command.plaque_date, ctx.local_date())
    now = ctx.now()
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("sch"),
        "roles": roles,
        "name_key": name_key(command.organization_id, command.name),
        "org_chain": [command.organization_id, *await ctx.orgs.ancestor_ids(command.organization_id)],
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.schools.insert_school(document)
    return document | {"version": 1}


async def school(ctx: EducationContext, school_id: str) -> Document:
    document = await ctx.schools.school(school_id)
    if document is None:
        raise NotFound("no citizen school has this id", field="school_id")
    return document


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.schools.schools(ids)}
    return [found[i] for i in ids if i in found]


async def page(
    ctx: EducationContext, organization_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """Schools of an organisation and of everything beneath it (public facts)."""
    return split_page(
        await ctx.schools.schools_under(organization_id, cursor_after(cursor), limit + 1), limit
    )


async def replace_roles(
    ctx: EducationContext, caller: Caller, school_id: str, command: SchoolRolesReplace
) -> Document:
    document = await school(ctx, school_id)
    await ctx.require_staff(caller, document["organization_id"])
    return await ctx.schools.update_school(document, {"roles": _roles(command.roles)})


async def establish(
    ctx: EducationContext, caller: Caller, school_id: str, command: SchoolEstablish
) -> Document:
    """Record (or correct) the plaque ceremony (挂牌成立) that ends the school's setup."""
    document = await school(ctx, school_id)
    await ctx.require_staff(caller, document["organization_id"])
    check_plaque_date(command.plaque_date, ctx.local_date())
    return await ctx.schools.update_school(document, {"plaque_date": command.plaque_date.isoformat()})


async def may_see_holders(ctx: EducationContext, caller: Caller, document: Document) -> bool:
    """Who leads a school is named to the staff who manage it only."""
    return await ctx.manages(caller, document["organization_id"])


async def _held_sessions(
    ctx: EducationContext, school_id: str, month: Month, zone: ZoneInfo
) -> list[Document]:
    """The school's sessions around the month, of courses that ran: not drafts, not cancelled ones."""
    start, end = session_window(month, zone)
    sessions = await ctx.learning.sessions_of_school(school_id, start, end)
    courses = await ctx.learning.courses(sorted({s["course_id"] for s in sessions}))
    ran = {c["_id"] for c in courses if c["status"] in RAN}
    return [s for s in sessions if s["course_id"] in ran]


async def _judged(ctx: EducationContext, document: Document, month: Month) -> Compliance:
    zone = ZoneInfo(ctx.settings.local_timezone)
    sessions = await _held_sessions(ctx, document["_id"], month, zone)
    return judge(month, [(s["starts_at"], s["kind"]) for s in sessions], ctx.now(), zone)


async def compliance(ctx: EducationContext, caller: Caller, school_id: str, month: str) -> Compliance:
    document = await school(ctx, school_id)
    await ctx.require_staff(caller, document["organization_id"])
    return await _judged(ctx, document, parse_month(month))


async def compliance_page(
    ctx: EducationContext, caller: Caller, organization_id: str, month: str, *, cursor: str | None, limit: int
) -> tuple[list[tuple[Document, Compliance]], str | None]:
    """Every school beneath an organisation with its month's compliance, for the staff over it."""
    judged_month = parse_month(month)
    await ctx.require_staff(caller, organization_id, "organization_id")
    documents, next_cursor = await page(ctx, organization_id, cursor=cursor, limit=limit)
    return [(d, await _judged(ctx, d, judged_month)) for d in documents], next_cursor
