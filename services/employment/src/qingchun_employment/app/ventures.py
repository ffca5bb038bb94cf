"""Ventures (创业项目) registered by league staff, their job counts, and the 创业明星评选.

Staff record a venture (not the founder): the 实名制 check of the founder and the public trading
name that partner agencies will see are the service window's job, so a registration is final at
once and publishes ``VentureStarted`` (without the founder) in the same write. The founder's status
follows that write and is repaired if a crash comes between (:func:`complete_founder`).
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts.employment import VentureStarted
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.app.venture_commands import JobsRecord, NominationCreate, VentureCreate
from qingchun_employment.domain.reports import local_day
from qingchun_employment.domain.ventures import (
    JobsEntry,
    NominationAction,
    NominationStatus,
    VentureKind,
    check_community,
    check_incubator,
    check_star_year,
    check_started_on,
    check_street,
    current_jobs,
    decide,
    first_history,
    with_jobs,
)
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_plumbing.service import PeriodicJob

STARTED_BUSINESS = "started_business"
REPAIR_BATCH = 100
REPAIR_INTERVAL_SECONDS = 60.0
STAR_DECIDERS = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN)
"""The 创业明星 are chosen above the street that nominates them."""


def zone(ctx: EmploymentContext) -> tzinfo:
    return ZoneInfo(ctx.settings.local_timezone)


def today(ctx: EmploymentContext) -> date:
    return local_day(ctx.now(), zone(ctx))


def history_of(document: Document) -> list[JobsEntry]:
    return [JobsEntry(date.fromisoformat(e["on"]), e["jobs"]) for e in document["jobs_history"]]


def _stored(history: list[JobsEntry]) -> list[dict[str, Any]]:
    return [{"on": e.on.isoformat(), "jobs": e.jobs} for e in history]


async def _founder(ctx: EmploymentContext, seeker_id: str) -> Document:
    seeker = await ctx.seekers.seeker(seeker_id)
    if seeker is None:
        raise InvalidInput("no job seeker has this id", field="founder_seeker_id", code="not_a_seeker")
    return seeker


async def _check_places(ctx: EmploymentContext, command: VentureCreate) -> None:
    """The street, the community in it and the incubator, as the registry read model knows them."""
    street = command.street_organization_id
    check_street((await ctx.active_organization(street, "street_organization_id")).get("type"))
    community = command.community_organization_id
    if community is not None:
        found = await ctx.active_organization(community, "community_organization_id")
        check_community(found.get("type"), await ctx.chain(community), street)
    if command.incubator_organization_id is not None:
        found = await ctx.active_organization(command.incubator_organization_id, "incubator_organization_id")
        check_incubator(found.get("type"))


async def register(ctx: EmploymentContext, caller: Caller, command: VentureCreate) -> Document:
    """Register the venture, then mark its founder as having started a business (see below)."""
    document = await record_venture(ctx, caller, command)
    await complete_founder(ctx, document["_id"])
    return document | {"founder_recorded": True}


async def record_venture(ctx: EmploymentContext, caller: Caller, command: VentureCreate) -> Document:
    """The venture and its ``VentureStarted`` in one write, with the founder's status still to follow."""
    street = command.street_organization_id
    await _check_places(ctx, command)  # first: an unknown street has no scope to check
    await ctx.require_league_staff(caller, street, "street_organization_id")
    check_started_on(command.started_on, today(ctx))
    founder = await _founder(ctx, command.founder_seeker_id)
    now, venture_id = ctx.now(), new_id("ven")
    document: Document = command.model_dump(mode="json") | {
        "_id": venture_id,
        "founder_subject_id": founder["subject_id"],
        "area_ids": await ctx.chain(street),
        "jobs_history": _stored(first_history(command.started_on, command.jobs_created)),
        "founder_recorded": False,
        "registered_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    started = VentureStarted(
        venture_id=venture_id,
        name=command.name,
        kind=command.kind.value,
        street_organization_id=street,
        incubator_organization_id=command.incubator_organization_id,
        jobs_created=command.jobs_created,
    )
    await ctx.ventures.insert_venture(document, [ctx.events.envelope(started, subject=venture_id)])
    ctx.notify()
    return document | {"version": 1}


async def complete_founder(ctx: EmploymentContext, venture_id: str) -> None:
    """Mark the founder as having started a business, once the venture is stored.

    Why this is crash-safe without a transaction: the venture is the fact and is written first (with
    its event); the founder's status is derived from it. ``founder_recorded`` stays false until the
    status is set, so a crash in between leaves a marked venture that :func:`repair_founders`
    finishes. Setting the status is idempotent, so finishing twice does no harm.
    """
    pending = await ctx.ventures.founder_pending(venture_id)
    if pending is None:  # already done
        return
    await ctx.seekers.set_outcome(pending["founder_seeker_id"], STARTED_BUSINESS)
    await ctx.ventures.mark_founder_recorded(venture_id)


async def repair_founders(ctx: EmploymentContext) -> int:
    """Finish the founders' status of ventures a crash interrupted; returns how many were looked at."""
    pending = await ctx.ventures.founders_to_record(REPAIR_BATCH)
    for venture_id in pending:
        await complete_founder(ctx, venture_id)
    return len(pending)


def jobs(ctx: EmploymentContext) -> list[PeriodicJob]:
    async def run() -> int:
        return await repair_founders(ctx)

    return [PeriodicJob("venture_founder_follow_ups", REPAIR_INTERVAL_SECONDS, run)]


async def venture(ctx: EmploymentContext, venture_id: str) -> Document:
    document = await ctx.ventures.venture(venture_id)
    if document is None:
        raise NotFound("no venture has this id", field="venture_id")
    return document


async def may_see_founder(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    """Who founded a venture is the founder's and their league staff's to know, not the public's."""
    if caller.subject == document["founder_subject_id"]:
        return True
    return await ctx.is_league_staff(caller, document["street_organization_id"])


async def record_jobs(
    ctx: EmploymentContext, caller: Caller, venture_id: str, command: JobsRecord
) -> Document:
    document = await venture(ctx, venture_id)
    await ctx.require_league_staff(caller, document["street_organization_id"])
    started_on = date.fromisoformat(document["started_on"])
    history = with_jobs(history_of(document), JobsEntry(command.on, command.jobs), started_on, today(ctx))
    changes = {"jobs_history": _stored(history), "jobs_created": current_jobs(history)}
    return await ctx.ventures.update_venture(document, changes)


async def page(
    ctx: EmploymentContext,
    *,
    organization_id: str,
    kinds: list[VentureKind],
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    """Ventures under an organisation: public facts, as ``VentureStarted`` already tells partners."""
    query: dict[str, Any] = {"area_ids": organization_id}
    if kinds:
        query["kind"] = {"$in": [k.value for k in kinds]}
    return split_page(await ctx.ventures.find_ventures(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EmploymentContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.ventures.ventures(ids)}
    return [found[i] for i in ids if i in found]


# 创业明星评选 ------------------------------------------------------------------------------------
async def nominate(
    ctx: EmploymentContext, caller: Caller, venture_id: str, command: NominationCreate
) -> Document:
    document = await venture(ctx, venture_id)
    await ctx.require_league_staff(caller, document["street_organization_id"])
    check_star_year(command.year, date.fromisoformat(document["started_on"]), today(ctx))
    nomination: Document = command.model_dump(mode="json") | {
        "_id": new_id("nom"),
        "venture_id": venture_id,
        "status": NominationStatus.NOMINATED.value,
        "street_organization_id": document["street_organization_id"],
        "area_ids": document["area_ids"],
        "nominated_by": caller.subject,
        "nominated_at": ctx.now(),
        "decided_by": None,
        "decided_at": None,
    }
    await ctx.ventures.insert_nomination(nomination)
    return nomination | {"version": 1}


async def nomination(ctx: EmploymentContext, nomination_id: str) -> Document:
    document = await ctx.ventures.nomination(nomination_id)
    if document is None:
        raise NotFound("no nomination has this id", field="nomination_id")
    return document


async def decide_nomination(
    ctx: EmploymentContext, caller: Caller, nomination_id: str, action: NominationAction
) -> Document:
    document = await nomination(ctx, nomination_id)
    caller.require_scope(await ctx.chain(document["street_organization_id"]), STAR_DECIDERS)
    status = decide(NominationStatus(document["status"]), action)
    changes = {"status": status.value, "decided_by": caller.subject, "decided_at": ctx.now()}
    return await ctx.ventures.update_nomination(document, changes)


async def nominations_page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    organization_id: str,
    year: int,
    cursor: str | None,
    limit: int,
) -> tuple[list[Document], str | None]:
    await ctx.require_league_staff(caller, organization_id, "organization_id")
    query = {"area_ids": organization_id, "year": year}
    return split_page(await ctx.ventures.find_nominations(query, cursor_after(cursor), limit + 1), limit)
