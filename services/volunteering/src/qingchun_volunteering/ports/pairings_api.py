"""REST API of pairings (结对, ``/v1/pairings``).

Every pairing endpoint answers 404 to callers who are neither its helpers nor organisers over
its host, exactly as for a pairing that does not exist (care data, DESIGN.md §4).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_volunteering.app import pairings
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.app.pairing_commands import (
    AgreementIn,
    CloseIn,
    HelpersIn,
    PairingCreate,
    ReviewIn,
    VisitIn,
)
from qingchun_volunteering.domain.pairings import (
    BeneficiaryKind,
    EndReason,
    PairingStatus,
    PairingType,
    ReviewOutcome,
    VisitKind,
)
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit
from qingchun_volunteering.ports.pairings_schemas import (
    PairingOut,
    ReviewOut,
    VisitOut,
    pairing_out,
    review_out,
    visit_out,
)

router = APIRouter(prefix="/v1", tags=["pairings"])


def _out(ctx: VolunteeringContext, doc: Document) -> PairingOut:
    return pairing_out(doc, pairings.local_today(ctx))


@router.post(
    "/pairings",
    status_code=201,
    response_model=PairingOut,
    summary="Record a pairing need (需求) or a matched pairing under a host organisation",
)
async def create_pairing(body: PairingCreate, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.create(ctx, caller, body))


@router.get(
    "/pairings",
    response_model=Page[PairingOut],
    summary="A host's pairings (organisers), your own as a helper (mine=true), or those due for review",
)
async def list_pairings(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query()] = None,
    host_organization_id: Annotated[str | None, Query(max_length=40)] = None,
    mine: Annotated[bool, Query(description="Pairings in which you are a helper")] = False,
    due_for_review: Annotated[bool, Query(description="Serving pairings whose 定期总结 is due")] = False,
    type: Annotated[list[PairingType], Query()] = [],  # noqa: B006
    status: Annotated[list[PairingStatus], Query()] = [],  # noqa: B006
    beneficiary_kind: Annotated[list[BeneficiaryKind], Query()] = [],  # noqa: B006
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[PairingOut]:
    batch = batch_ids(ids)
    today = pairings.local_today(ctx)
    if batch is not None:
        return Page(items=[pairing_out(d, today) for d in await pairings.batch(ctx, caller, batch)])
    items, next_cursor = await pairings.page(
        ctx,
        caller,
        cursor=cursor,
        limit=limit,
        host_organization_id=host_organization_id,
        mine=mine,
        due_for_review=due_for_review,
        types=type,
        statuses=status,
        beneficiary_kinds=beneficiary_kind,
    )
    return Page(items=[pairing_out(d, today) for d in items], next_cursor=next_cursor)


@router.get(
    "/volunteers/me/pairings",
    response_model=Page[PairingOut],
    summary="The pairings in which you are a helper (same as /v1/pairings?mine=true)",
)
async def my_pairings(
    caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[PairingOut]:
    return await list_pairings(caller, ctx, mine=True, cursor=cursor, limit=limit)


@router.get(
    "/pairings/{pairing_id}", response_model=PairingOut, summary="One pairing (helpers and organisers)"
)
async def get_pairing(pairing_id: str, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.opened(ctx, caller, pairing_id, "read"))


@router.post(
    "/pairings/{pairing_id}:match",
    response_model=PairingOut,
    summary="Assign the helpers (逐人落实) to a pairing whose need was identified",
)
async def match_pairing(pairing_id: str, body: HelpersIn, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.match(ctx, caller, pairing_id, body))


@router.post(
    "/pairings/{pairing_id}:sign",
    response_model=PairingOut,
    summary="Record the signed 结对工作协议; the pairing becomes active",
)
async def sign_pairing(pairing_id: str, body: AgreementIn, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.sign(ctx, caller, pairing_id, body))


@router.post(
    "/pairings/{pairing_id}:close",
    response_model=PairingOut,
    summary="Close the pairing with its end reason (完成学业, 改好, 就业, 迁出, 终止)",
)
async def close_pairing(pairing_id: str, body: CloseIn, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.close(ctx, caller, pairing_id, body))


@router.post(
    "/pairings/{pairing_id}/visits",
    status_code=201,
    response_model=PairingOut,
    summary="A helper (or organiser) logs a visit (走访)",
)
async def log_visit(pairing_id: str, body: VisitIn, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.log_visit(ctx, caller, pairing_id, body))


@router.get(
    "/pairings/{pairing_id}/visits", response_model=Page[VisitOut], summary="The visit log, oldest first"
)
async def list_visits(
    pairing_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[VisitOut]:
    rows, next_cursor = await pairings.log_page(ctx, caller, pairing_id, "visits", cursor=cursor, limit=limit)
    return Page(items=[visit_out(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/pairings/{pairing_id}/reviews",
    status_code=201,
    response_model=PairingOut,
    summary="The organiser records the periodic review (定期总结)",
)
async def review_pairing(pairing_id: str, body: ReviewIn, caller: CurrentCaller, ctx: Ctx) -> PairingOut:
    return _out(ctx, await pairings.review(ctx, caller, pairing_id, body))


@router.get(
    "/pairings/{pairing_id}/reviews", response_model=Page[ReviewOut], summary="Past reviews, oldest first"
)
async def list_reviews(
    pairing_id: str, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[ReviewOut]:
    rows, next_cursor = await pairings.log_page(
        ctx, caller, pairing_id, "reviews", cursor=cursor, limit=limit
    )
    return Page(items=[review_out(r) for r in rows], next_cursor=next_cursor)


LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "pairing_type": PairingType,
    "pairing_status": PairingStatus,
    "beneficiary_kind": BeneficiaryKind,
    "visit_kind": VisitKind,
    "review_outcome": ReviewOutcome,
    "pairing_end_reason": EndReason,
}
