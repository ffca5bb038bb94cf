"""REST API of completion certificates (结业证书).

The verification and signing-key routes take no caller on purpose: anyone holding a printed
certificate (an employer, a school) must be able to check it without an account.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from qingchun_education.app import certificates
from qingchun_education.app.certificate_commands import CertificateRevoke
from qingchun_education.app.context import EducationContext
from qingchun_education.domain.certificates import ExamResult, RevokeReason
from qingchun_education.ports.api import Ctx, Cursor, Limit, education_context
from qingchun_education.ports.certificates_schemas import (
    CertificateOut,
    CertificateVerificationOut,
    certificate_out,
    verification_out,
)
from qingchun_plumbing.auth import CurrentCaller
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import DEFAULT_LIMIT, Page
from qingchun_plumbing.signing import MAX_NUMBER_LENGTH, CertificateStatus
from qingchun_plumbing.signing_views import add_signing_keys_route

router = APIRouter(prefix="/v1", tags=["certificates"])
add_signing_keys_route(router, education_context)  # first: before /certificates/{number}
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {
    "CertificateStatus": CertificateStatus,
    "CertificateRevokeReason": RevokeReason,
    "CertificateExamResult": ExamResult,
}
Number = Annotated[str, Path(max_length=MAX_NUMBER_LENGTH, description="e.g. QE-2026-7K3M-Q9XA-R")]
Id = Annotated[str, Path(max_length=40)]


async def _full(ctx: EducationContext, doc: Document) -> CertificateOut:
    return certificate_out(doc, *await certificates.checked(ctx, doc))


@router.post(
    "/enrolments/{enrolment_id}/certificate",
    status_code=201,
    response_model=CertificateOut,
    summary="Course owner staff: issue the completion certificate (结业证书) of a completed enrolment",
)
async def issue_certificate(enrolment_id: Id, caller: CurrentCaller, ctx: Ctx) -> CertificateOut:
    return await _full(ctx, await certificates.issue(ctx, caller, enrolment_id))


@router.get(
    "/learners/{learner_id}/certificates",
    response_model=Page[CertificateOut],
    summary="A learner's completion certificates (the learner, guardians, staff in scope)",
)
async def learner_certificates(
    learner_id: Id, caller: CurrentCaller, ctx: Ctx, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Page[CertificateOut]:
    items, next_cursor = await certificates.page(
        ctx, caller, learner_id=learner_id, cursor=cursor, limit=limit
    )
    return Page(items=[await _full(ctx, d) for d in items], next_cursor=next_cursor)


@router.get(
    "/certificates/{number}/verification",
    response_model=CertificateVerificationOut,
    summary="Public: verify a certificate by its number (no sign-in; the learner's name masked)",
)
async def verify_certificate(number: Number, ctx: Ctx) -> CertificateVerificationOut:
    doc = await certificates.existing(ctx, number)
    return verification_out(doc, *await certificates.checked(ctx, doc), ctx.settings.public_base_url)


@router.get(
    "/certificates/{number}",
    response_model=CertificateOut,
    summary="The full certificate (the learner, their guardians, the issuer's staff)",
)
async def get_certificate(number: Number, caller: CurrentCaller, ctx: Ctx) -> CertificateOut:
    return await _full(ctx, await certificates.read(ctx, caller, number))


@router.post(
    "/certificates/{number}:revoke",
    response_model=CertificateOut,
    summary="Staff of the issuer: revoke a certificate, with a reason",
)
async def revoke_certificate(
    number: Number, body: CertificateRevoke, caller: CurrentCaller, ctx: Ctx
) -> CertificateOut:
    return await _full(ctx, await certificates.revoke(ctx, caller, number, body))
