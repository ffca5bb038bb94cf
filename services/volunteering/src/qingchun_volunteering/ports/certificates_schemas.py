"""Certificate responses: the full document for those allowed, and the public verification view.

The public view is built from the signed attestation alone (masked name, no volunteer id, no
activities): it holds nothing a stranger may not read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_plumbing.signing_views import (
    PublicCertificateOut,
    SignedCertificateOut,
    public_fields,
    signed_fields,
)
from qingchun_volunteering.domain.certificates import RevokeReason

STATED = (
    "period_from",
    "period_to",
    "total_minutes",
    "total_hours",
    "entry_count",
    "star_level",
    "star_level_label",
)
"""What a service-record certificate states besides issuer and dates, read from its attestation."""


class CertificateLineOut(BaseModel):
    served_on: date
    title: str
    minutes: int


class _Stated(SignedCertificateOut):
    """What the signed attestation states, shown to everyone."""

    period_from: date
    period_to: date
    total_minutes: int
    total_hours: str = Field(description='One decimal, e.g. "12.5"')
    entry_count: int
    star_level: int
    star_level_label: str


class CertificateVerificationOut(PublicCertificateOut, _Stated):
    """Public: anyone holding the number (e.g. an employer, a school) checks the certificate."""


class CertificateOut(_Stated):
    """The full certificate, for its holder, their guardian and the issuer's organisers."""

    holder_volunteer_id: str
    holder_name: str
    activities: list[CertificateLineOut]
    more_activities: int = Field(description="Further activity lines not printed; the totals include them.")
    issued_at: datetime
    revoke_note: str | None = None
    record: dict[str, Any] = Field(description="Unsigned; SHA-256 of its canonical form is record_digest.")


def _stated(doc: Document, valid: bool, authentic: bool) -> dict[str, Any]:
    return signed_fields(doc, valid, authentic, RevokeReason, STATED)


def verification_out(
    doc: Document, valid: bool, authentic: bool, public_base_url: str
) -> CertificateVerificationOut:
    return CertificateVerificationOut(**_stated(doc, valid, authentic), **public_fields(doc, public_base_url))


def certificate_out(doc: Document, valid: bool, authentic: bool) -> CertificateOut:
    record = doc["record"]
    return CertificateOut(
        **_stated(doc, valid, authentic),
        holder_volunteer_id=doc["holder_volunteer_id"],
        holder_name=record.get("holder_name", ""),
        activities=[CertificateLineOut(**line) for line in record.get("activities", [])],
        more_activities=record.get("more_activities", 0),
        issued_at=doc["issued_at"],
        revoke_note=doc.get("revoke_note"),
        record=record,
    )
