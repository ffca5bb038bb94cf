"""REST API of partner registration (city admins): register, list, read, edit, rotate, remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_partners.app import partners
from qingchun_partners.app.commands import PartnerCreate, PartnerUpdate
from qingchun_partners.domain.subscriptions import Delivery, PartnerStatus, partner_event_types
from qingchun_partners.ports.api import Ctx, Cursor, Limit
from qingchun_partners.ports.schemas import (
    Credentials,
    PartnerOut,
    PartnerWithCredentials,
    partner_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, cursor_after, split_page

router = APIRouter(prefix="/v1", tags=["partners"])
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {"delivery": Delivery, "partner_status": PartnerStatus}


@router.post(
    "/partners",
    status_code=201,
    response_model=PartnerWithCredentials,
    summary="A city admin registers a partner agency; its credentials are in this answer only",
)
async def register_partner(body: PartnerCreate, caller: CurrentCaller, ctx: Ctx) -> PartnerWithCredentials:
    document, credentials = await partners.register(ctx, caller, body)
    return PartnerWithCredentials(
        partner=partner_out(document), credentials=Credentials.model_validate(credentials)
    )


@router.get(
    "/partners",
    response_model=Page[PartnerOut],
    summary="Partners inside the caller's scope, optionally of one status",
)
async def list_partners(
    caller: CurrentCaller,
    ctx: Ctx,
    status: Annotated[PartnerStatus | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PartnerOut]:
    items, next_cursor = await partners.page(ctx, caller, status, cursor, limit)
    return Page(items=[partner_out(d) for d in items], next_cursor=next_cursor)


@router.get(
    "/partner-event-types",
    response_model=Page[str],
    summary="Every event type a partner may subscribe to (the partner-audience contracts)",
)
async def list_partner_event_types(
    caller: CurrentCaller, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[str]:
    after = cursor_after(cursor)
    names = [name for name in partner_event_types() if after is None or name > after]
    items, next_cursor = split_page([{"_id": name} for name in names[: limit + 1]], limit)
    return Page(items=[item["_id"] for item in items], next_cursor=next_cursor)


@router.get("/partners/{partner_id}", response_model=PartnerOut, summary="One partner (no secrets)")
async def get_partner(partner_id: str, caller: CurrentCaller, ctx: Ctx) -> PartnerOut:
    return partner_out(await partners.partner(ctx, caller, partner_id))


@router.patch(
    "/partners/{partner_id}",
    response_model=PartnerOut,
    summary="Change name, event types, filters or webhook address; the next event follows, credentials stay",
)
async def update_partner(partner_id: str, body: PartnerUpdate, caller: CurrentCaller, ctx: Ctx) -> PartnerOut:
    return partner_out(await partners.update(ctx, caller, partner_id, body))


@router.post(
    "/partners/{partner_id}:update",
    response_model=PartnerOut,
    summary="The same as PATCH, as an explicit action (what the gateway's updatePartner calls)",
)
async def update_partner_action(
    partner_id: str, body: PartnerUpdate, caller: CurrentCaller, ctx: Ctx
) -> PartnerOut:
    return partner_out(await partners.update(ctx, caller, partner_id, body))


@router.post(
    "/partners/{partner_id}:rotate-credentials",
    response_model=PartnerWithCredentials,
    summary="New AMQP password and webhook secret; the old ones stop working at once",
)
async def rotate_credentials(partner_id: str, caller: CurrentCaller, ctx: Ctx) -> PartnerWithCredentials:
    document, credentials = await partners.rotate(ctx, caller, partner_id)
    return PartnerWithCredentials(
        partner=partner_out(document), credentials=Credentials.model_validate(credentials)
    )


@router.delete(
    "/partners/{partner_id}",
    response_model=PartnerOut,
    summary="Deregister: the broker user, queue and stream are removed; the delivery log stays",
)
async def delete_partner(partner_id: str, caller: CurrentCaller, ctx: Ctx) -> PartnerOut:
    return partner_out(await partners.deregister(ctx, caller, partner_id))


@router.post(
    "/partners/{partner_id}:deregister",
    response_model=PartnerOut,
    summary="The same as DELETE, as an explicit action (what the gateway's removePartner calls)",
)
async def deregister_partner(partner_id: str, caller: CurrentCaller, ctx: Ctx) -> PartnerOut:
    return partner_out(await partners.deregister(ctx, caller, partner_id))
