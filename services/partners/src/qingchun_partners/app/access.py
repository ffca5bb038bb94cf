"""Who may read a partner's delivery log and redeliver its dead letters: a city admin over it (bearer
token), or the partner itself by signing the request with its webhook secret. A signed request is
refused when tampered with, older than the tolerance, or used before (replay)."""

from __future__ import annotations

from qingchun_contracts.webhooks import SIGNATURE_HEADER, SignatureError, parse, request_message, verify
from qingchun_partners.app.context import PartnersContext
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import Unauthorized


async def signed_by_partner(
    ctx: PartnersContext, partner: Document, method: str, path_and_query: str, body: bytes, header: str | None
) -> None:
    if header is None:
        raise Unauthorized(
            f"send a bearer token, or sign the request with the webhook secret ({SIGNATURE_HEADER})",
            field=SIGNATURE_HEADER,
            code="signature_missing",
        )
    secret = await ctx.partners.secret(partner["_id"])
    if not secret:
        raise Unauthorized(
            "this partner has no webhook secret to sign with; use a bearer token",
            field=SIGNATURE_HEADER,
            code="signature_not_possible",
        )
    now = ctx.now()
    try:
        verify(
            secret,
            request_message(method, path_and_query, body),
            header,
            now=int(now.timestamp()),
            tolerance=ctx.settings.signature_tolerance_seconds,
        )
    except SignatureError as refused:
        raise Unauthorized(refused.message, field=SIGNATURE_HEADER, code=refused.code) from None
    timestamp, macs = parse(header)
    if not await ctx.deliveries.first_use(f"{partner['_id']}:{timestamp}:{macs[0]}", now):
        raise Unauthorized(
            "this signed request was already used; sign each request anew",
            field=SIGNATURE_HEADER,
            code="signature_replayed",
        )
