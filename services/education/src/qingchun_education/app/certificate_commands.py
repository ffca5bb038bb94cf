"""Validated input of the certificate writes (issuing needs none beyond the enrolment in the path)."""

from __future__ import annotations

from pydantic import Field

from qingchun_education.domain.certificates import RevokeReason
from qingchun_plumbing.fields import Command, Text


class CertificateRevoke(Command):
    reason: RevokeReason
    note: Text | None = Field(default=None, description="Kept for the issuer and holder; never public.")
