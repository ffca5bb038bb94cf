"""Validated input of the certificate writes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from qingchun_plumbing.fields import Command, EntityId, OrgId, Text
from qingchun_volunteering.domain.certificates import RevokeReason


class CertificateIssue(Command):
    """An organiser of the issuer certifies a volunteer's verified service in a period (dates inclusive)."""

    volunteer_id: EntityId
    issuer_organization_id: OrgId = Field(description="The organisation that signs; its hours count.")
    period_from: date
    period_to: date


class CertificateRevoke(Command):
    reason: RevokeReason
    note: Text | None = Field(default=None, description="Kept for the issuer and holder; never public.")
