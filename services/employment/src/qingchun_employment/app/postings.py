"""Posting use cases: employers' staff draft, the community league organisation sends up, league
staff moderate and publish, readers report, and postings close when filled, expired, withdrawn or
when the registry deactivates their employer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from qingchun_contracts import Envelope
from qingchun_contracts.employment import PostingClosed, PostingPublished
from qingchun_employment.app.context import EMPLOYER_STAFF, LEAGUE_STAFF, EmploymentContext
from qingchun_employment.app.posting_commands import (
    REQUIRED_IN_PATCH,
    ModerationNote,
    PostingCreate,
    PostingPatch,
    ReportCreate,
)
from qingchun_employment.domain.match_keys import posting_keys
from qingchun_employment.domain.moderation import HoldReason, fee_demands
from qingchun_employment.domain.postings import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ClosingReason,
    JobCategory,
    PostingAction,
    PostingKind,
    PostingStatus,
    apply_action,
    check_editable,
    check_employer,
    check_expires_on,
    check_kind_details,
    check_origin,
    check_pay,
    check_place,
    expiry,
    reported_enough,
    skill_codes,
)
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, InvalidInput, NotFound, StaleWrite
from qingchun_plumbing.service import PeriodicJob

EXPIRY_INTERVAL_SECONDS = 300
HOLD_ATTEMPTS = 3


# writing a draft -----------------------------------------------------------------------------
async def _checked_terms(ctx: EmploymentContext, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate a draft's terms as a whole; returns the derived fields (areas, normalised skills, the
    match keys matching finds the posting by once published)."""
    check_pay(fields.get("pay_min"), fields.get("pay_max"))
    check_kind_details(PostingKind(fields["kind"]), fields.get("traineeship") is not None)
    expires_on = fields.get("expires_on")
    today = ctx.now().astimezone(ZoneInfo(ctx.settings.local_timezone)).date()
    check_expires_on(
        date.fromisoformat(expires_on) if expires_on else None, today, ctx.settings.posting_max_days
    )
    place = await ctx.active_organization(fields["place_organization_id"], "place_organization_id")
    check_place(place["type"])
    origin_id = fields.get("origin_community_id")
    if origin_id is not None:
        check_origin((await ctx.active_organization(origin_id, "origin_community_id"))["type"])
    skills, area_ids = skill_codes(fields["skills"]), await ctx.chain(place["_id"])
    return {
        "skills": skills,
        "area_ids": area_ids,
        "origin_area_ids": await ctx.chain(origin_id) if origin_id is not None else [],
        "match_keys": posting_keys(
            fields["category"],
            fields["kind"],
            skills,
            area_ids,
            public=fields["place_organization_id"] != fields["employer_organization_id"],
        ),
    }


async def _employer(ctx: EmploymentContext, caller: Caller, employer_id: str) -> Document:
    employer = await ctx.active_organization(employer_id, "employer_organization_id")
    await ctx.require_employer_staff(caller, employer_id, "employer_organization_id")
    check_employer(employer["type"])
    return employer


async def create(ctx: EmploymentContext, caller: Caller, command: PostingCreate) -> Document:
    await _employer(ctx, caller, command.employer_organization_id)
    fields = command.model_dump(mode="json")
    now = ctx.now()
    document: Document = (
        fields
        | await _checked_terms(ctx, fields)
        | {
            "_id": new_id("pst"),
            "employer_area_ids": await ctx.chain(command.employer_organization_id),
            "hired": 0,
            "status": PostingStatus.DRAFT.value,
            "hold_reasons": [],
            "moderation_log": [],
            "published_at": None,
            "expires_at": None,
            "closed_reason": None,
            "created_by": caller.subject,
            "created_at": now,
            "updated_at": now,
        }
    )
    await ctx.postings.insert(document, [])
    return document | {"version": 1}


async def edit(ctx: EmploymentContext, caller: Caller, posting_id: str, patch: PostingPatch) -> Document:
    document = await ctx.posting(posting_id)
    await ctx.require_employer_staff(caller, document["employer_organization_id"], "employer_organization_id")
    check_editable(PostingStatus(document["status"]))
    changes = patch.model_dump(mode="json", exclude_unset=True)
    for field in sorted(REQUIRED_IN_PATCH & changes.keys()):
        if changes[field] is None:
            raise InvalidInput("this field cannot be cleared", field=field, code="required")
    merged = document | changes
    return await ctx.postings.update(document, changes | await _checked_terms(ctx, merged))


# moving through the lifecycle ------------------------------------------------------------------
SYSTEM = "system"
"""Who acted when the platform itself did (a hold after readers' reports)."""


def _logged(
    document: Document, action: PostingAction, by: str, at: datetime, **details: Any
) -> dict[str, Any]:
    """The moderation history with one more entry: what was done, by whom, when, and why."""
    entry = {"action": action.value, "by": by, "at": at} | details
    return {"moderation_log": [*document.get("moderation_log", []), entry]}


async def _require_moderator(ctx: EmploymentContext, caller: Caller, document: Document) -> None:
    """League staff over the place of work moderate; an employer's own admins never do."""
    await ctx.require_league_staff(caller, document["place_organization_id"], "place_organization_id")


async def submit(ctx: EmploymentContext, caller: Caller, posting_id: str) -> Document:
    """The community league organisation sends it up; fee demands hold it for moderation at once."""
    document = await ctx.posting(posting_id)
    sender = document["origin_community_id"] or document["place_organization_id"]
    await ctx.require_league_staff(caller, sender, "origin_community_id")
    status = apply_action(PostingStatus(document["status"]), PostingAction.SUBMIT)
    await ctx.active_organization(document["employer_organization_id"], "employer_organization_id")
    reasons = fee_demands(document["title"], document["requirements"])
    if reasons:
        status = apply_action(status, PostingAction.HOLD)
    now = ctx.now()
    log = _logged(document, PostingAction.SUBMIT, caller.subject, now, reasons=[r.value for r in reasons])
    changes = {"status": status.value, "submitted_at": now, "hold_reasons": [r.value for r in reasons]}
    return await ctx.postings.update(document, changes | log)


async def publish(ctx: EmploymentContext, caller: Caller, posting_id: str) -> Document:
    document = await ctx.posting(posting_id)
    await _require_moderator(ctx, caller, document)
    status = apply_action(PostingStatus(document["status"]), PostingAction.PUBLISH)
    await ctx.active_organization(document["employer_organization_id"], "employer_organization_id")
    now = ctx.now()
    expires_on = document.get("expires_on")
    expires_at = expiry(
        now,
        date.fromisoformat(expires_on) if expires_on else None,
        ZoneInfo(ctx.settings.local_timezone),
        ctx.settings.posting_default_days,
        ctx.settings.posting_max_days,
    )
    published = PostingPublished(
        posting_id=document["_id"],
        title=document["title"],
        employer_organization_id=document["employer_organization_id"],
        origin_community_id=document["origin_community_id"],
        category=document["category"],
        kind=document["kind"],
        headcount=document["headcount"],
        pay_min=document["pay_min"],
        pay_max=document["pay_max"],
        expires_at=expires_at,
    )
    changes = {"status": status.value, "published_at": now, "expires_at": expires_at, "hold_reasons": []}
    log = _logged(document, PostingAction.PUBLISH, caller.subject, now)
    updated = await ctx.postings.update(
        document, changes | log, [ctx.events.envelope(published, subject=document["_id"])]
    )
    ctx.notify()
    return updated


async def release(
    ctx: EmploymentContext, caller: Caller, posting_id: str, command: ModerationNote
) -> Document:
    """A moderator judged the hold unfounded: back to 已报送, ready to publish."""
    document = await ctx.posting(posting_id)
    await _require_moderator(ctx, caller, document)
    status = apply_action(PostingStatus(document["status"]), PostingAction.RELEASE)
    log = _logged(document, PostingAction.RELEASE, caller.subject, ctx.now(), note=command.note)
    return await ctx.postings.update(document, {"status": status.value, "hold_reasons": []} | log)


def _closed(ctx: EmploymentContext, document: Document, reason: ClosingReason) -> list[Envelope]:
    """``PostingClosed`` for a posting readers were told about; one never published closes quietly."""
    if document.get("published_at") is None:
        return []
    closed = PostingClosed(
        posting_id=document["_id"],
        employer_organization_id=document["employer_organization_id"],
        reason_code=reason.value,
        hired=document["hired"],
    )
    return [ctx.events.envelope(closed, subject=document["_id"])]


def _closing(ctx: EmploymentContext, status: PostingStatus, reason: ClosingReason | None) -> dict[str, Any]:
    now = ctx.now()
    return {
        "status": status.value,
        "closed_reason": reason.value if reason else None,
        "closed_at": now,
        "updated_at": now,
    }


async def reject(
    ctx: EmploymentContext, caller: Caller, posting_id: str, command: ModerationNote
) -> Document:
    """A moderator refuses it for good; if it had been on the platform, it comes down (as withdrawn)."""
    document = await ctx.posting(posting_id)
    await _require_moderator(ctx, caller, document)
    status = apply_action(PostingStatus(document["status"]), PostingAction.REJECT)
    log = _logged(document, PostingAction.REJECT, caller.subject, ctx.now(), note=command.note)
    events = _closed(ctx, document, ClosingReason.WITHDRAWN)
    updated = await ctx.postings.update(document, _closing(ctx, status, None) | log, events)
    ctx.notify()
    return updated


async def withdraw(ctx: EmploymentContext, caller: Caller, posting_id: str) -> Document:
    document = await ctx.posting(posting_id)
    if not (
        await ctx.is_employer_staff(caller, document["employer_organization_id"])
        or await ctx.is_league_staff(caller, document["place_organization_id"])
    ):
        raise Forbidden(
            "only the employer's staff or league staff over the place may withdraw it", code="out_of_scope"
        )
    status = apply_action(PostingStatus(document["status"]), PostingAction.WITHDRAW)
    log = _logged(document, PostingAction.WITHDRAW, caller.subject, ctx.now())
    events = _closed(ctx, document, ClosingReason.WITHDRAWN)
    updated = await ctx.postings.update(
        document, _closing(ctx, status, ClosingReason.WITHDRAWN) | log, events
    )
    ctx.notify()
    return updated


# readers' reports ------------------------------------------------------------------------------
async def report(ctx: EmploymentContext, caller: Caller, posting_id: str, command: ReportCreate) -> Document:
    """Any signed-in reader reports a published posting once; enough distinct reports hold it."""
    document = await ctx.posting(posting_id)
    if document["status"] != PostingStatus.PUBLISHED.value:
        raise Conflict("only a published posting can be reported", field="posting_id", code="not_published")
    filed: Document = command.model_dump(mode="json") | {
        "_id": new_id("rpt"),
        "posting_id": posting_id,
        "subject_id": caller.subject,
        "created_at": ctx.now(),
    }
    await ctx.postings.add_report(filed)
    if reported_enough(await ctx.postings.count_reports(posting_id, document["published_at"])):
        await _hold_for_reports(ctx, posting_id)
    return filed


async def _hold_for_reports(ctx: EmploymentContext, posting_id: str) -> None:
    """Back to moderation; a concurrent change is re-read, and a posting no longer published is left."""
    for _ in range(HOLD_ATTEMPTS):
        document = await ctx.posting(posting_id)
        if document["status"] != PostingStatus.PUBLISHED.value:
            return
        status = apply_action(PostingStatus.PUBLISHED, PostingAction.HOLD)
        reasons = [HoldReason.REPORTED.value]
        log = _logged(document, PostingAction.HOLD, SYSTEM, ctx.now(), reasons=reasons)
        try:
            await ctx.postings.update(document, {"status": status.value, "hold_reasons": reasons} | log)
            return
        except StaleWrite:
            continue


async def reports_page(
    ctx: EmploymentContext, caller: Caller, posting_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    document = await ctx.posting(posting_id)
    await _require_moderator(ctx, caller, document)
    return split_page(await ctx.postings.reports(posting_id, cursor_after(cursor), limit + 1), limit)


# reads -----------------------------------------------------------------------------------------
async def is_insider(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    """The employer's staff and league staff over its place or origin: they see moderation too."""
    origin = document.get("origin_community_id")
    return (
        await ctx.is_employer_staff(caller, document["employer_organization_id"])
        or await ctx.is_league_staff(caller, document["place_organization_id"])
        or (origin is not None and await ctx.is_league_staff(caller, origin))
    )


async def may_see(ctx: EmploymentContext, caller: Caller, document: Document) -> bool:
    """Published postings (and how they ended) are public; the rest only to insiders."""
    return PostingStatus(document["status"]) in PUBLIC_STATUSES or await is_insider(ctx, caller, document)


async def visible(ctx: EmploymentContext, caller: Caller, posting_id: str) -> Document:
    document = await ctx.posting(posting_id)
    if not await may_see(ctx, caller, document):
        raise NotFound("no posting visible to you has this id", field="posting_id")
    return document


def _in_scope(caller: Caller) -> list[dict[str, Any]]:
    """Who a caller works for, as stored chains: the employer's, the place's, the origin's."""
    scope = sorted(caller.scope)
    clauses: list[dict[str, Any]] = []
    if caller.has_any(*EMPLOYER_STAFF):
        clauses.append({"employer_area_ids": {"$in": scope}})
    if caller.has_any(*LEAGUE_STAFF):
        clauses += [{"area_ids": {"$in": scope}}, {"origin_area_ids": {"$in": scope}}]
    return clauses


def _visibility(caller: Caller, statuses: Sequence[PostingStatus]) -> list[dict[str, Any]]:
    wanted = statuses or [PostingStatus.PUBLISHED]
    public = [s.value for s in wanted if s in PUBLIC_STATUSES]
    private = [s.value for s in wanted if s not in PUBLIC_STATUSES]
    clauses: list[dict[str, Any]] = [{"status": {"$in": public}}] if public else []
    scoped = _in_scope(caller)
    if private and scoped:
        clauses.append({"status": {"$in": private}, "$or": scoped})
    return clauses


async def page(
    ctx: EmploymentContext,
    caller: Caller,
    *,
    cursor: str | None,
    limit: int,
    employer_organization_id: str | None = None,
    place: str | None = None,
    category: JobCategory | None = None,
    kind: PostingKind | None = None,
    statuses: Sequence[PostingStatus] = (),
) -> tuple[list[Document], str | None]:
    """Published postings for everyone; drafts and postings under moderation for staff in scope."""
    visibility = _visibility(caller, statuses)
    if not visibility:
        return [], None
    filters: dict[str, Any] = {}
    if employer_organization_id is not None:
        filters["employer_organization_id"] = employer_organization_id
    if place is not None:
        filters["area_ids"] = place
    if category is not None:
        filters["category"] = category.value
    if kind is not None:
        filters["kind"] = kind.value
    query = {"$and": [{"$or": visibility}, filters]} if filters else {"$or": visibility}
    return split_page(await ctx.postings.find(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EmploymentContext, caller: Caller, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.postings.postings(ids)}
    return [found[i] for i in ids if i in found and await may_see(ctx, caller, found[i])]


# what other areas and the platform do to postings ------------------------------------------------
async def record_hire(ctx: EmploymentContext, posting_id: str) -> None:
    """One more placement on the posting (applications calls it); the last place fills it.

    The count and the closing are one write, so the posting is filled, and announced, exactly once.
    """
    document = await ctx.posting(posting_id)
    closed = PostingClosed(
        posting_id=posting_id,
        employer_organization_id=document["employer_organization_id"],
        reason_code=ClosingReason.FILLED.value,
        hired=document["headcount"],  # the hire that fills an open posting is its headcount-th
    )
    filled = _closing(ctx, PostingStatus.FILLED, ClosingReason.FILLED)
    counted = await ctx.postings.count_hire(
        posting_id, PostingStatus.PUBLISHED.value, filled, ctx.events.envelope(closed, subject=posting_id)
    )
    if counted is None:
        raise NotFound("no posting has this id", field="posting_id")
    if counted["status"] == PostingStatus.FILLED.value:
        ctx.notify()


async def expire_due(ctx: EmploymentContext) -> int:
    """Take down every published posting past its end; returns how many (a second run finds none)."""
    expired = 0
    for document in await ctx.postings.due(ctx.now(), [PostingStatus.PUBLISHED.value]):
        status = apply_action(PostingStatus.PUBLISHED, PostingAction.EXPIRE)
        events = _closed(ctx, document, ClosingReason.EXPIRED)
        try:
            await ctx.postings.update(document, _closing(ctx, status, ClosingReason.EXPIRED), events)
        except StaleWrite:  # changed meanwhile (a hire, a hold): the next round decides again
            continue
        expired += 1
    if expired:
        ctx.notify()
    return expired


def jobs(ctx: EmploymentContext) -> list[PeriodicJob]:
    return [PeriodicJob("posting-expiry", EXPIRY_INTERVAL_SECONDS, partial(expire_due, ctx))]


async def close_postings_of(ctx: EmploymentContext, org_id: str, envelope: Envelope) -> None:
    """The registry deactivated an employer: its open postings close (once per event)."""
    open_statuses = [s.value for s in OPEN_STATUSES]
    changes = _closing(ctx, PostingStatus.WITHDRAWN, ClosingReason.EMPLOYER_DEACTIVATED)
    for document in await ctx.postings.of_employer(org_id, open_statuses):
        events = _closed(ctx, document, ClosingReason.EMPLOYER_DEACTIVATED)
        await ctx.postings.close_once(document["_id"], open_statuses, changes, envelope.id, events)
    ctx.notify()
