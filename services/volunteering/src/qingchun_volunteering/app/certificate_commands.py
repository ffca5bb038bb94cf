"""Validated input of the certificate writes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_plumbing.fields import Command, OrgId, Text
from qingchun_volunteering.domain.certificates import RevokeReason

VolunteerId = Annotated[str, StringConstraints(pattern=r"^vol_[0-9a-f]{24}$")]


class CertificateIssue(Command):
    """An organiser of the issuer certifies a volunteer's verified service in a period (dates inclusive)."""

    volunteer_id: VolunteerId
    issuer_organization_id: OrgId = Field(description="The organisation that signs; its hours count.")
    period_from: date
    period_to: date


class CertificateRevoke(Command):
    reason: RevokeReason
    note: Text | None = Field(default=None, description="Kept for the issuer and holder; never public.")
