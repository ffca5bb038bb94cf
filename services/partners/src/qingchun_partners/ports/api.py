"""What every partner router shares: the context, paging parameters, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from qingchun_contracts.webhooks import SIGNATURE_HEADER
from qingchun_partners.app.access import signed_by_partner
from qingchun_partners.app.context import PartnersContext
from qingchun_partners.app.partners import require_admin_of
from qingchun_plumbing.auth import current_caller
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import MAX_LIMIT


def partners_context(request: Request) -> PartnersContext:
    context: PartnersContext = request.app.state.partners
    return context


Ctx = Annotated[PartnersContext, Depends(partners_context)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(max_length=200)]


async def partner_or_admin(partner_id: str, request: Request, ctx: Ctx) -> Document:
    """The partner, when the request comes from a city admin over it or is signed by the partner."""
    partner = await ctx.partner(partner_id)
    if request.headers.get("Authorization"):
        require_admin_of(current_caller(request), partner)
        return partner
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    body = await request.body()
    await signed_by_partner(ctx, partner, request.method, path, body, request.headers.get(SIGNATURE_HEADER))
    return partner


PartnerOrAdmin = Annotated[Document, Depends(partner_or_admin)]
