"""What every service's certificate responses share: whether a certificate holds, its signed JSON,
and the public keys that verify it offline.

A service's own models add what its certificates state (hours, a course…) to these bases; the
route that serves the public keys is the same in every issuing service and is added here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.pagination import Page
from qingchun_plumbing.signing import ALGORITHM, SIGNING_KEYS_PATH, CertificateStatus
from qingchun_plumbing.signing_keys import IssuingContext, published_keys


class SignedCertificateOut(BaseModel):
    """Whether the certificate holds, and the signed attestation it is judged by (shown to everyone)."""

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
    issued_on: date
    verification_url: str
    attestation: dict[str, Any] = Field(description="The signed JSON; sign over its canonical form.")
    signature: str = Field(description="Ed25519 signature (base64) over the attestation's canonical bytes")
    kid: str
    algorithm: str = ALGORITHM


class PublicCertificateOut(SignedCertificateOut):
    """Public: anyone holding the number (e.g. an employer, a school) checks the certificate."""

    holder_name_masked: str
    canonical_form: str = Field(
        default="JSON, keys sorted, separators ',' and ':', no whitespace, UTF-8 (not \\u escapes)"
    )
    public_keys_url: str


def signed_fields(
    doc: Document, valid: bool, authentic: bool, reasons: type[LabelledEnum], stated: tuple[str, ...]
) -> dict[str, Any]:
    """The fields of :class:`SignedCertificateOut`, plus the ``stated`` ones read from the attestation."""
    attestation = doc["attestation"]
    status = CertificateStatus(doc["status"])
    reason = reasons(doc["revoke_reason"]) if doc.get("revoke_reason") else None
    return {k: attestation.get(k) for k in ("issuer_name", "issued_on", "verification_url", *stated)} | {
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


def public_fields(doc: Document, public_base_url: str) -> dict[str, Any]:
    """The fields :class:`PublicCertificateOut` adds: the masked name and where the keys are."""
    return {
        "holder_name_masked": doc["attestation"].get("holder_name_masked", ""),
        "public_keys_url": public_base_url.rstrip("/") + SIGNING_KEYS_PATH,
    }


class SigningKeyOut(BaseModel):
    kid: str
    algorithm: str
    public_key_pem: str
    public_key_base64: str = Field(description="The raw 32-byte Ed25519 public key, base64")
    created_at: datetime
    current: bool = Field(description="Signs new certificates; the others verify older ones.")


def signing_key_out(doc: Document, current_kid: str) -> SigningKeyOut:
    return SigningKeyOut(
        kid=doc["kid"],
        algorithm=doc["algorithm"],
        public_key_pem=doc["public_pem"],
        public_key_base64=doc["public_raw"],
        created_at=doc["created_at"],
        current=doc["kid"] == current_kid,
    )


def add_signing_keys_route(router: APIRouter, context: Callable[[Request], IssuingContext]) -> None:
    """Serve ``GET /v1/certificates/signing-keys`` (no sign-in) on a service's certificate router.

    The route is served at :data:`SIGNING_KEYS_PATH`, where :func:`public_fields` tells verifiers
    to look, whatever the router's prefix; add it before any ``/certificates/{number}`` route, which
    would take ``signing-keys`` for a number. ``context`` is the service's context dependency.
    """
    if not SIGNING_KEYS_PATH.startswith(router.prefix):
        raise ValueError(f"a router under {router.prefix!r} cannot serve {SIGNING_KEYS_PATH}")

    @router.get(
        SIGNING_KEYS_PATH.removeprefix(router.prefix),
        response_model=Page[SigningKeyOut],
        summary="Public: the keys that verify certificates offline (no sign-in)",
    )
    async def signing_keys(request: Request) -> Page[SigningKeyOut]:
        found, current = await published_keys(context(request))
        return Page(items=[signing_key_out(d, current) for d in found])
