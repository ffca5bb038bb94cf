"""REST API of badges (雏鹰争章): definitions, counsellors' awards, and what a child holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_education.app import badges
from qingchun_education.app.badge_commands import AwardCreate, BadgeCreate
from qingchun_education.domain.badges import AwardSource, BadgeCategory, RuleKind
from qingchun_education.ports.api import Ctx, Cursor, Limit
from qingchun_education.ports.badges_schemas import (
    AwardOut,
    BadgeOut,
    BadgeProgressOut,
    award_out,
    badge_out,
    progress_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids

router = APIRouter(prefix="/v1", tags=["badges"])


@router.post(
    "/badges", status_code=201, response_model=BadgeOut, summary="Define a badge (staff of its owner)"
)
async def create_badge(body: BadgeCreate, caller: CurrentCaller, ctx: Ctx) -> BadgeOut:
    return badge_out(await badges.create(ctx, caller, body))


@router.get(
    "/badges", response_model=Page[BadgeOut], summary="Badges by owner organisation or category (or ids=…)"
)
async def list_badges(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query(description="Batch read: comma-separated ids")] = None,
    owner_organization_id: Annotated[str | None, Query(max_length=40)] = None,
    category: BadgeCategory | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[BadgeOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[badge_out(d) for d in await badges.batch(ctx, batch)])
    items, next_cursor = await badges.page(
        ctx, cursor=cursor, limit=limit, owner_organization_id=owner_organization_id, category=category
    )
    return Page(items=[badge_out(d) for d in items], next_cursor=next_cursor)


@router.get("/badges/{badge_id}", response_model=BadgeOut, summary="One badge definition")
async def get_badge(badge_id: str, caller: CurrentCaller, ctx: Ctx) -> BadgeOut:
    return badge_out(await badges.badge(ctx, badge_id))


@router.post(
    "/badges/{badge_id}/awards",
    status_code=201,
    response_model=AwardOut,
    summary="Award the badge to a child (a counsellor, 少先队辅导员, of its organisation)",
)
async def award_badge(badge_id: str, body: AwardCreate, caller: CurrentCaller, ctx: Ctx) -> AwardOut:
    return award_out(await badges.award(ctx, caller, badge_id, body))


@router.get(
    "/badges/{badge_id}/awards",
    response_model=Page[AwardOut],
    summary="Who holds the badge (learner ids), for its organisation's staff and counsellors",
)
async def list_badge_awards(
    badge_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[AwardOut]:
    items, next_cursor = await badges.badge_awards(ctx, caller, badge_id, cursor=cursor, limit=limit)
    return Page(items=[award_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/learners/{learner_id}/badges",
    response_model=Page[AwardOut],
    summary="A child's badges (the child, their guardians, their community's staff)",
)
async def list_learner_badges(
    learner_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[AwardOut]:
    items, next_cursor = await badges.learner_awards(ctx, caller, learner_id, cursor=cursor, limit=limit)
    return Page(items=[award_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/learners/{learner_id}/badge-progress",
    response_model=BadgeProgressOut,
    summary="The minutes automatic badges are measured against (service verified, reading logged)",
)
async def get_badge_progress(learner_id: str, caller: CurrentCaller, ctx: Ctx) -> BadgeProgressOut:
    return progress_out(learner_id, *await badges.progress(ctx, caller, learner_id))


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "badge_category": BadgeCategory,
    "badge_rule_kind": RuleKind,
    "badge_award_source": AwardSource,
}
