"""REST API of service-record certificates (志愿服务证明, ``/v1/certificates``).

The verification and signing-key routes take no caller on purpose: anyone holding a printed
certificate (an employer, a school) must be able to check it without an account.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page, batch_ids
from qingchun_plumbing.problems import InvalidInput
from qingchun_plumbing.signing import MAX_NUMBER_LENGTH, CertificateStatus
from qingchun_plumbing.signing_views import add_signing_keys_route
from qingchun_volunteering.app import certificates
from qingchun_volunteering.app.certificate_commands import CertificateIssue, CertificateRevoke
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.domain.certificates import RevokeReason
from qingchun_volunteering.ports.api import Ctx, Cursor, Limit, volunteering_context
from qingchun_volunteering.ports.certificates_schemas import (
    CertificateOut,
    CertificateVerificationOut,
    certificate_out,
    verification_out,
)

router = APIRouter(prefix="/v1", tags=["certificates"])
add_signing_keys_route(router, volunteering_context)  # first: before /certificates/{number}
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "CertificateStatus": CertificateStatus,
    "CertificateRevokeReason": RevokeReason,
}
Number = Annotated[str, Path(max_length=MAX_NUMBER_LENGTH, description="e.g. QC-2026-7K3M-Q9XA-R")]


async def _full(ctx: VolunteeringContext, doc: Document) -> CertificateOut:
    return certificate_out(doc, *await certificates.checked(ctx, doc))


@router.post(
    "/certificates",
    status_code=201,
    response_model=CertificateOut,
    summary="Organisers: issue a service-record certificate (志愿服务证明) from verified hours",
)
async def issue_certificate(body: CertificateIssue, caller: CurrentCaller, ctx: Ctx) -> CertificateOut:
    return await _full(ctx, await certificates.issue(ctx, caller, body))


@router.get(
    "/certificates",
    response_model=Page[CertificateOut],
    summary="A volunteer's certificates (holder, guardian, organisers in scope), or ids=numbers",
)
async def list_certificates(
    caller: CurrentCaller,
    ctx: Ctx,
    ids: Annotated[str | None, Query(description="Certificate numbers, comma-separated")] = None,
    volunteer_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CertificateOut]:
    batch = batch_ids(ids)
    if batch is not None:
        return Page(items=[await _full(ctx, d) for d in await certificates.batch(ctx, caller, batch)])
    if volunteer_id is None:
        raise InvalidInput("name the volunteer whose certificates to list (or ids=…)", field="volunteer_id")
    items, next_cursor = await certificates.page(
        ctx, caller, volunteer_id=volunteer_id, cursor=cursor, limit=limit
    )
    return Page(items=[await _full(ctx, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/certificates/{number}/verification",
    response_model=CertificateVerificationOut,
    summary="Public: verify a certificate by its number (no sign-in; the holder's name masked)",
)
async def verify_certificate(number: Number, ctx: Ctx) -> CertificateVerificationOut:
    doc = await certificates.existing(ctx, number)
    return verification_out(doc, *await certificates.checked(ctx, doc), ctx.settings.public_base_url)


@router.get(
    "/certificates/{number}",
    response_model=CertificateOut,
    summary="The full certificate (holder, guardian, the issuer's organisers)",
)
async def get_certificate(number: Number, caller: CurrentCaller, ctx: Ctx) -> CertificateOut:
    return await _full(ctx, await certificates.read(ctx, caller, number))


@router.post(
    "/certificates/{number}:revoke",
    response_model=CertificateOut,
    summary="Organisers of the issuer: revoke a certificate, with a reason",
)
async def revoke_certificate(
    number: Number, body: CertificateRevoke, caller: CurrentCaller, ctx: Ctx
) -> CertificateOut:
    return await _full(ctx, await certificates.revoke(ctx, caller, number, body))
