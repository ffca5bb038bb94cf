"""Badges (雏鹰争章): definitions by staff, awards by counsellors, and badges earned automatically.

Automatic badges are earned from verified community service (volunteering's HoursVerified) and
from reading logs. Each event's minutes are added to the child's progress once (guarded by the
event id), and every award is an insert on the unique (learner, badge) key carrying its event,
so duplicate delivery or a redelivery after a crash can never award twice. A badge defined
later (or an award lost to a crash right after a reading log) is earned at the child's next
verified hours or reading log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.education import BadgeAwarded
from qingchun_contracts.volunteering import HoursVerified
from qingchun_education.app.badge_commands import AwardCreate, BadgeCreate
from qingchun_education.app.context import EducationContext
from qingchun_education.domain.badges import AutomaticBadge, AwardSource, BadgeCategory, RuleKind, due_badges
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, Forbidden, NotFound

# 少先队辅导员: mentors and school staff whose scope covers the badge's owner.
COUNSELLOR_ROLES = (Role.MENTOR, Role.SCHOOL_STAFF)
NOT_YOUR_LEARNER = "not_your_learner"


async def followed_learner(ctx: EducationContext, caller: Caller, learner_id: str) -> Document:
    learner = await ctx.learner(learner_id)
    if not await ctx.follows_learner(caller, learner):
        raise Forbidden(
            "only the learner, their guardians and their home community's staff see this",
            field="learner_id",
            code=NOT_YOUR_LEARNER,
        )
    return learner


async def _is_counsellor(ctx: EducationContext, caller: Caller, org_id: str) -> bool:
    return caller.has_any(*COUNSELLOR_ROLES) and bool(
        caller.scope & {org_id, *await ctx.orgs.ancestor_ids(org_id)}
    )


# definitions -------------------------------------------------------------------------------------
async def create(ctx: EducationContext, caller: Caller, command: BadgeCreate) -> Document:
    await ctx.active_organization(command.owner_organization_id, "owner_organization_id")
    await ctx.require_staff(caller, command.owner_organization_id, "owner_organization_id")
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("bdg"),
        "created_by": caller.subject,
        "created_at": ctx.now(),
    }
    await ctx.badges.insert_badge(document)
    return document | {"version": 1}


async def badge(ctx: EducationContext, badge_id: str) -> Document:
    document = await ctx.badges.badge(badge_id)
    if document is None:
        raise NotFound("no badge has this id", field="badge_id")
    return document


async def page(
    ctx: EducationContext,
    *,
    cursor: str | None,
    limit: int,
    owner_organization_id: str | None,
    category: BadgeCategory | None,
) -> tuple[list[Document], str | None]:
    query: dict[str, Any] = {}
    if owner_organization_id is not None:
        query["owner_organization_id"] = owner_organization_id
    if category is not None:
        query["category"] = category.value
    return split_page(await ctx.badges.find_badges(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.badges.badges(ids)}
    return [found[i] for i in ids if i in found]


# awards ------------------------------------------------------------------------------------------
def _award_document(
    ctx: EducationContext, badge_doc: Document, learner_id: str, source: AwardSource, caller: Caller | None
) -> Document:
    return {
        "_id": new_id("awd"),
        "badge_id": badge_doc["_id"],
        "badge_code": badge_doc["code"],
        "owner_organization_id": badge_doc["owner_organization_id"],
        "learner_id": learner_id,
        "source": source.value,
        "awarded_by": caller.subject if caller else None,
        "awarded_on": ctx.local_date().isoformat(),
        "awarded_at": ctx.now(),
    }


async def _insert_award(ctx: EducationContext, award: Document) -> bool:
    """The award and its BadgeAwarded event in one insert; False when the child holds the badge."""
    event = BadgeAwarded(
        award_id=award["_id"],
        badge_id=award["badge_id"],
        badge_code=award["badge_code"],
        learner_id=award["learner_id"],
        source=award["source"],
        awarded_on=award["awarded_on"],
    )
    inserted = await ctx.badges.insert_award(award, [ctx.events.envelope(event, subject=award["learner_id"])])
    if inserted:
        ctx.notify()
    return inserted


async def award(ctx: EducationContext, caller: Caller, badge_id: str, command: AwardCreate) -> Document:
    badge_doc = await badge(ctx, badge_id)
    if not await _is_counsellor(ctx, caller, badge_doc["owner_organization_id"]):
        raise Forbidden(
            "badges are awarded by a counsellor (少先队辅导员) of the badge's organisation",
            code="counsellor_required",
        )
    learner = await ctx.learner(command.learner_id)
    document = _award_document(ctx, badge_doc, learner["_id"], AwardSource.COUNSELLOR, caller) | {
        "note": command.note
    }
    if not await _insert_award(ctx, document):
        raise Conflict("the learner already holds this badge", field="learner_id", code="already_awarded")
    return document


async def award_earned(ctx: EducationContext, learner: Document, kind: RuleKind, total: int) -> None:
    """Award every automatic badge of ``kind`` that ``total`` minutes reach and the child lacks."""
    definitions = {d["_id"]: d for d in await ctx.badges.automatic_badges(kind.value)}
    if not definitions:
        return
    candidates = [AutomaticBadge(i, d["rule"]["threshold"]) for i, d in definitions.items()]
    held = await ctx.badges.held_badge_ids(learner["_id"], list(definitions))
    for due in due_badges(candidates, held, total):
        award_doc = _award_document(
            ctx, definitions[due.badge_id], learner["_id"], AwardSource.AUTOMATIC, None
        )
        await _insert_award(ctx, award_doc | {"note": None})


async def on_hours_verified(ctx: EducationContext, envelope: Envelope) -> None:
    """A child's verified community service counts toward 社区服务 badges (nothing for non-learners)."""
    data = HoursVerified.model_validate(envelope.data)
    learner = await ctx.learning.learner_of(data.subject_id)
    if learner is None:
        return
    await ctx.badges.add_service_minutes(learner["_id"], data.minutes, envelope.id, ctx.now())
    total = await ctx.badges.service_minutes(learner["_id"])
    await award_earned(ctx, learner, RuleKind.VERIFIED_SERVICE_MINUTES, total)


HANDLERS: dict[str, Callable[[EducationContext, Envelope], Awaitable[None]]] = {
    HoursVerified.event_type: on_hours_verified,
}


# reads -------------------------------------------------------------------------------------------
async def learner_awards(
    ctx: EducationContext, caller: Caller, learner_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    await followed_learner(ctx, caller, learner_id)
    rows = await ctx.badges.find_awards({"learner_id": learner_id}, cursor_after(cursor), limit + 1)
    return split_page(rows, limit)


async def badge_awards(
    ctx: EducationContext, caller: Caller, badge_id: str, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    """Staff over the badge's organisation, and its counsellors, see who holds it (ids only)."""
    owner = (await badge(ctx, badge_id))["owner_organization_id"]
    if not (await ctx.manages(caller, owner) or await _is_counsellor(ctx, caller, owner)):
        raise Forbidden(
            "only the badge organisation's staff and counsellors see its awards", code="out_of_scope"
        )
    rows = await ctx.badges.find_awards({"badge_id": badge_id}, cursor_after(cursor), limit + 1)
    return split_page(rows, limit)


async def progress(ctx: EducationContext, caller: Caller, learner_id: str) -> tuple[int, int]:
    """(verified service minutes, reading minutes): what automatic badges are measured against."""
    await followed_learner(ctx, caller, learner_id)
    _, reading = (await ctx.reading.totals([learner_id])).get(learner_id, (0, 0))
    return await ctx.badges.service_minutes(learner_id), reading
