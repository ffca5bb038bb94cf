"""Certificate responses: the full certificate for those allowed, and the public verification view.

The public view is built from the signed attestation alone (masked name, no learner id, no score,
no birth date): it holds nothing a stranger may not read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from qingchun_education.domain.certificates import RevokeReason
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.signing_views import (
    PublicCertificateOut,
    SignedCertificateOut,
    public_fields,
    signed_fields,
)

STATED = ("course_id", "course_title", "completed_on", "exam_result", "exam_result_label")
"""What a completion certificate states besides issuer and dates, read from its attestation."""


class _Stated(SignedCertificateOut):
    """What the signed attestation states, shown to everyone."""

    course_id: str
    course_title: str
    completed_on: date
    exam_result: str = Field(description="passed, not_passed, or no_exam when the course has none")
    exam_result_label: str


class CertificateVerificationOut(PublicCertificateOut, _Stated):
    """Public: anyone holding the number (e.g. an employer, a school) checks the certificate."""


class CertificateOut(_Stated):
    """The full certificate, for the learner, their guardians and the issuer's staff."""

    learner_id: str
    holder_name: str
    enrolment_id: str
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
        learner_id=doc["learner_id"],
        holder_name=record.get("learner_name", ""),
        enrolment_id=doc["enrolment_id"],
        issued_at=doc["issued_at"],
        revoke_note=doc.get("revoke_note"),
        record=record,
    )
