"""Validated input of check-in, crediting rules, verification and 补录."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_plumbing.fields import Command, EntityId, OrgId, Text, Title
from qingchun_volunteering.domain.crediting import MAX_BANDS, MAX_MINUTES, MAX_UNIT, Rounding

EvidenceRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^(https?://[^\s]{1,490}|[A-Za-z0-9_.\-]{1,64})$"),
]
"""A photo or file id from the file store, or an http(s) URL."""


class CheckinIn(Command):
    code: str = Field(min_length=1, max_length=200, description="The QR text scanned, or the 6 digits typed.")


class BandIn(Command):
    from_minutes: int = Field(ge=0, le=MAX_MINUTES)
    unit_minutes: int = Field(ge=1, le=MAX_UNIT)
    rounding: Rounding = Rounding.DOWN


class CreditingRulesIn(Command):
    """An organisation's crediting rules; they apply to it and to organisations below it without own rules."""

    min_minutes: int = Field(ge=0, le=MAX_MINUTES, description="Below this, a session credits nothing.")
    bands: list[BandIn] = Field(min_length=1, max_length=MAX_BANDS, description="Ordered rounding bands.")
    daily_cap_minutes: int = Field(ge=1, le=MAX_MINUTES, description="Per volunteer and local day.")
    session_max_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)


class EvidenceIn(Command):
    description: Text = Field(description="What was done, where, and who saw it.")
    refs: list[EvidenceRef] = Field(min_length=1, max_length=10, description="Photo/file ids or URLs.")


class RetroactiveIn(Command):
    """A 补录: hours served without a check-in, with evidence, for a second approver."""

    volunteer_id: EntityId | None = Field(default=None, description="Omit to request for yourself.")
    host_organization_id: OrgId
    served_on: date
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    activity_title: Title
    activity_id: EntityId | None = None
    evidence: EvidenceIn


class RejectIn(Command):
    reason: Text
