"""Education's certificates reach the seeker's profile: the certificate, and the skill it proves.

Only a seeker who already has a profile gains anything (a certificate never creates one), and each
certificate counts once however often its event arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from qingchun_contracts import Envelope
from qingchun_contracts.education import CertificateIssued
from qingchun_employment.app.context import EmploymentContext
from qingchun_employment.domain.seekers import certified_skill

_log = logging.getLogger("qingchun.employment.credentials")


async def on_certificate_issued(ctx: EmploymentContext, envelope: Envelope) -> None:
    data = CertificateIssued.model_validate(envelope.data)
    if data.subject_id is None:
        return
    seeker = await ctx.seekers.seeker_of(data.subject_id)
    if seeker is None:
        return
    certificate = {"number": data.certificate_number, "category": data.category, "issued_at": envelope.time}
    added = await ctx.seekers.add_certificate(
        seeker, certificate, certified_skill(data.category), envelope.id
    )
    if added:
        _log.info("certificate added to a job seeker", extra={"seeker_id": seeker["_id"]})


HANDLERS: dict[str, Callable[[EmploymentContext, Envelope], Awaitable[None]]] = {
    CertificateIssued.event_type: on_certificate_issued
}
