"""Certificate responses: the full document for those allowed, and the public verification view.

The public view is built from the signed attestation alone (masked name, no volunteer id, no
activities): it holds nothing a stranger may not read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from qingchun_plumbing.mongo import Document
from qingchun_volunteering.domain.certificates import ALGORITHM, CertificateStatus, RevokeReason


class CertificateLineOut(BaseModel):
    served_on: date
    title: str
    minutes: int


class _Stated(BaseModel):
    """What the signed attestation states, shown to everyone."""

    number: str
    valid: bool = Field(description="Signature and content check out, and the certificate is not revoked.")
    signature_valid: bool = Field(description="Signed by the key it names and unchanged (revoked or not).")
    status: str
    status_label: str
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    revoke_reason_label: str | None = None
    issuer_organization_id: str
    issuer_name: str
    period_from: date
    period_to: date
    total_minutes: int
    total_hours: str = Field(description='One decimal, e.g. "12.5"')
    entry_count: int
    star_level: int
    star_level_label: str
    issued_on: date
    verification_url: str
    attestation: dict[str, Any] = Field(description="The signed JSON; sign over its canonical form.")
    signature: str = Field(description="Ed25519 signature (base64) over the attestation's canonical bytes")
    kid: str
    algorithm: str = ALGORITHM


class CertificateVerificationOut(_Stated):
    """Public: anyone holding the number (e.g. an employer, a school) checks the certificate."""

    holder_name_masked: str
    canonical_form: str = Field(
        default="JSON, keys sorted, separators ',' and ':', no whitespace, UTF-8 (not \\u escapes)"
    )
    public_keys_url: str


class CertificateOut(_Stated):
    """The full certificate, for its holder, their guardian and the issuer's organisers."""

    holder_volunteer_id: str
    holder_name: str
    activities: list[CertificateLineOut]
    more_activities: int = Field(description="Further activity lines not printed; the totals include them.")
    issued_at: datetime
    revoke_note: str | None = None
    record: dict[str, Any] = Field(description="Unsigned; SHA-256 of its canonical form is record_digest.")


class SigningKeyOut(BaseModel):
    kid: str
    algorithm: str
    public_key_pem: str
    public_key_base64: str = Field(description="The raw 32-byte Ed25519 public key, base64")
    created_at: datetime
    current: bool = Field(description="Signs new certificates; the others verify older ones.")


def _stated(doc: Document, valid: bool, authentic: bool) -> dict[str, Any]:
    attestation = doc["attestation"]
    status = CertificateStatus(doc["status"])
    reason = RevokeReason(doc["revoke_reason"]) if doc.get("revoke_reason") else None
    stated = {
        k: attestation.get(k)
        for k in (
            "issuer_name",
            "period_from",
            "period_to",
            "total_minutes",
            "total_hours",
            "entry_count",
            "star_level",
            "star_level_label",
            "issued_on",
            "verification_url",
        )
    }
    return stated | {
        "number": doc["number"],
        "valid": valid,
        "signature_valid": authentic,
        "status": status.value,
        "status_label": status.label,
        "revoked_at": doc.get("revoked_at"),
        "revoke_reason": reason.value if reason else None,
        "revoke_reason_label": reason.label if reason else None,
        "issuer_organization_id": doc["issuer_organization_id"],
        "attestation": attestation,
        "signature": doc["signature"],
        "kid": doc["kid"],
    }


def verification_out(
    doc: Document, valid: bool, authentic: bool, public_keys_url: str
) -> CertificateVerificationOut:
    return CertificateVerificationOut(
        **_stated(doc, valid, authentic),
        holder_name_masked=doc["attestation"].get("holder_name_masked", ""),
        public_keys_url=public_keys_url,
    )


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


def signing_key_out(doc: Document, current_kid: str) -> SigningKeyOut:
    return SigningKeyOut(
        kid=doc["kid"],
        algorithm=doc["algorithm"],
        public_key_pem=doc["public_pem"],
        public_key_base64=doc["public_raw"],
        created_at=doc["created_at"],
        current=doc["kid"] == current_kid,
    )
