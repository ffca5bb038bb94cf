"""Job-seeker profiles (青年求职者): self-registration with consent, the community's intake and
services, and who may read a profile.

Seekers publish no event and log ids only: a seeker's name and phone stay in this collection.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_employment.adapters.seekers import already_registered
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.seeker_commands import (
    REQUIRED_ON_UPDATE,
    AssessmentIn,
    SeekerCreate,
    SeekerUpdate,
    ServiceIn,
)
from qingchun_employment.domain.seekers import (
    SeekerCategory,
    SeekerStatus,
    Visibility,
    after_service,
    assessed,
    check_birth_year,
    check_residence,
    check_service,
    deactivated,
    distinct,
    own_skills,
    reactivated,
    visibility,
    with_own_skills,
)
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Forbidden, InvalidInput, NotFound

_log = logging.getLogger("qingchun.employment.seekers")


def _this_year(ctx: EmploymentContext) -> int:
    return ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).year


async def _residence(ctx: EmploymentContext, community_id: str) -> list[str]:
    """The community (active, and a place people live) and its ancestors: the seeker's ``area_ids``."""
    organization = await ctx.active_organization(community_id, "residence_community_id")
    check_residence(organization.get("type"))
    return await ctx.chain(community_id)


# registering and editing one's own profile ------------------------------------------------------
def _recorded_consent(command: SeekerCreate, now: datetime) -> Document:
    """实名制 data is kept only with the seeker's consent to this use, recorded with the text's version."""
    given = command.consent
    if given is None or not given.accepted:
        raise InvalidInput(
            "agree to the use of your personal data to register",
            field="consent.accepted",
            code="consent_required",
        )
    return {"recorded_at": now, "version": given.version}


async def register(ctx: EmploymentContext, caller: Caller, command: SeekerCreate) -> Document:
    if await ctx.seekers.seeker_of(caller.subject) is not None:
        raise already_registered()
    consent = _recorded_consent(command, ctx.now())
    check_birth_year(command.birth_year, _this_year(ctx))
    skills = own_skills(command.skills)
    area_ids = await _residence(ctx, command.residence_community_id)
    now = consent["recorded_at"]
    document: Document = command.model_dump(mode="json", exclude={"consent"}) | {
        "_id": new_id("skr"),
        "subject_id": caller.subject,
        "consent": consent,
        "area_ids": area_ids,
        "skills": skills,
        "wanted_categories": distinct(command.wanted_categories),
        "wanted_kinds": distinct(k.value for k in command.wanted_kinds),
        "certificates": [],
        "assessment": None,
        "services": [],
        "services_count": 0,
        "status": SeekerStatus.REGISTERED.value,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.seekers.insert(document)
    _log.info("job seeker registered", extra={"seeker_id": document["_id"]})
    return document | {"version": 1}


async def mine(ctx: EmploymentContext, caller: Caller) -> Document:
    document = await ctx.seekers.seeker_of(caller.subject)
    if document is None:
        raise NotFound("you have no job-seeker profile", field="subject_id", code="not_registered")
    return document


async def _changes(ctx: EmploymentContext, current: Document, command: SeekerUpdate) -> dict[str, Any]:
    changes = command.model_dump(mode="json", exclude_unset=True)
    for field in REQUIRED_ON_UPDATE:
        if field in changes and changes[field] is None:
            raise InvalidInput("this field cannot be cleared", field=field, code="required")
    if "birth_year" in changes:
        check_birth_year(changes["birth_year"], _this_year(ctx))
    if "skills" in changes:
        changes["skills"] = with_own_skills(current["skills"], changes["skills"])
    if "wanted_categories" in changes:
        changes["wanted_categories"] = distinct(changes["wanted_categories"])
    if "wanted_kinds" in changes:
        changes["wanted_kinds"] = distinct(changes["wanted_kinds"])
    if "residence_community_id" in changes:
        changes["area_ids"] = await _residence(ctx, changes["residence_community_id"])
    return changes


async def update_mine(ctx: EmploymentContext, caller: Caller, command: SeekerUpdate) -> Document:
    """The seeker edits their own profile; status, intake and certificates are not theirs to change."""
    current = await mine(ctx, caller)
    changes = await _changes(ctx, current, command)
    if not changes:
        return current
    updated = await ctx.seekers.update(current, changes)
    _log.info("job seeker profile updated", extra={"seeker_id": current["_id"], "fields": sorted(changes)})
    return updated


# reading ---------------------------------------------------------------------------------------
async def visibility_for(ctx: EmploymentContext, caller: Caller, document: Document) -> Visibility | None:
    """Own profile; league staff whose scope covers the residence community; or an employer's admin
    while the seeker has a live application to an employer the admin's scope names."""
    own = caller.subject == document["subject_id"]
    league = not own and await ctx.is_league_staff(caller, document["residence_community_id"])
    live = (
        not (own or league)
        and caller.has_any(Role.ORG_ADMIN)
        and bool(caller.scope)
        and await ctx.applications.contact_shared(document["_id"], sorted(caller.scope))
    )
    return visibility(own=own, league_over_residence=league, live_with_employer=live)


async def profile(ctx: EmploymentContext, caller: Caller, seeker_id: str) -> tuple[Document, Visibility]:
    """A profile as the caller may see it; a caller who may see nothing is told so, not shown a 404."""
    document = await ctx.seeker(seeker_id)
    seen = await visibility_for(ctx, caller, document)
    if seen is None:
        raise Forbidden(
            "only the seeker, their league staff and an employer they applied to see a profile",
            field="seeker_id",
            code="not_your_profile",
        )
    return document, seen


async def _for_staff(ctx: EmploymentContext, caller: Caller, seeker_id: str) -> Document:
    document = await ctx.seeker(seeker_id)
    await ctx.require_league_staff(caller, document["residence_community_id"], "seeker_id")
    return document


async def page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    area_id: str | None,
    category: SeekerCategory | None,
    status: SeekerStatus | None,
    skill: str | None,
) -> tuple[list[Document], str | None]:
    """League staff list the seekers living in an area they cover, never the whole platform."""
    if area_id is None:
        raise InvalidInput("name the residence area to list (area_id)", field="area_id", code="missing")
    await ctx.require_league_staff(caller, area_id, "area_id")
    query: dict[str, Any] = {"area_ids": area_id}
    if category is not None:
        query["category"] = category.value
    if status is not None:
        query["status"] = status.value
    if skill is not None:
        query["skills"] = skill
    return split_page(await ctx.seekers.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EmploymentContext, caller: Caller, ids: list[str]) -> list[Document]:
    """The seekers of ``ids`` the caller serves as league staff, in the order asked; others are left out.

    Only league staff batch-read: a list line carries the category, which never reaches an employer
    (an employer reads an applicant one by one, ``GET /v1/seekers/{id}``)."""
    caller.require_any(Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF)
    found = {d["_id"]: d for d in await ctx.seekers.seekers(ids)}
    visible = [found[i] for i in ids if i in found]
    return [d for d in visible if await ctx.is_league_staff(caller, d["residence_community_id"])]


# the community's work with a seeker --------------------------------------------------------------
async def assess(ctx: EmploymentContext, caller: Caller, seeker_id: str, command: AssessmentIn) -> Document:
    """The intake interview (四知四清四掌握) by the seeker's community."""
    document = await _for_staff(ctx, caller, seeker_id)
    status = assessed(SeekerStatus(document["status"]))
    assessment = {"notes": command.notes, "assessed_by": caller.subject, "assessed_at": ctx.now()}
    return await _move(ctx, document, status, {"assessment": assessment})


async def deactivate(ctx: EmploymentContext, caller: Caller, seeker_id: str) -> Document:
    document = await _for_staff(ctx, caller, seeker_id)
    return await _move(ctx, document, deactivated(SeekerStatus(document["status"])))


async def reactivate(ctx: EmploymentContext, caller: Caller, seeker_id: str) -> Document:
    document = await _for_staff(ctx, caller, seeker_id)
    return await _move(ctx, document, reactivated(SeekerStatus(document["status"])))


async def _move(
    ctx: EmploymentContext, document: Document, status: SeekerStatus, changes: dict[str, Any] | None = None
) -> Document:
    updated = await ctx.seekers.update(document, {"status": status.value, **(changes or {})})
    _log.info("job seeker status changed", extra={"seeker_id": document["_id"], "status": status.value})
    return updated


async def record_service(
    ctx: EmploymentContext, caller: Caller, seeker_id: str, command: ServiceIn
) -> tuple[Document, Document]:
    """A service received (服务记录); the first one after the intake makes the seeker serviced."""
    document = await _for_staff(ctx, caller, seeker_id)
    status = after_service(SeekerStatus(document["status"]))
    now = ctx.now()
    check_service(
        command.date,
        now.astimezone(ZoneInfo(ctx.settings.local_timezone)).date(),
        document.get("services_count", 0),
    )
    service: Document = command.model_dump(mode="json") | {
        "id": new_id("svc"),
        "recorded_by": caller.subject,
        "recorded_at": now,
    }
    updated = await ctx.seekers.add_service(document, service, status.value, now)
    _log.info(
        "job seeker service recorded", extra={"seeker_id": seeker_id, "service_type": command.type.value}
    )
    return updated, service


async def services_page(
    ctx: EmploymentContext, caller: Caller, seeker_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """The services a seeker received, oldest recorded first; for the seeker and their league staff."""
    _, seen = await profile(ctx, caller, seeker_id)
    if not seen.full:
        raise Forbidden(
            "only the seeker and their league staff see the services received",
            field="seeker_id",
            code="not_your_profile",
        )
    after = cursor_after(cursor)
    rows = [{"_id": s["id"], **s} for s in await ctx.seekers.services_of(seeker_id)]
    rows = [r for r in rows if after is None or r["_id"] > after]
    return split_page(rows[: limit + 1], limit)
