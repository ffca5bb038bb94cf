"""Validated input of applications (求职申请) and staff referrals (职业介绍)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from qingchun_employment.domain.applications import MAX_COVER_NOTE, MAX_REFERRAL_NOTE
from qingchun_plumbing.fields import Command, EntityId

CoverNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COVER_NOTE)]
ReferralNote = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REFERRAL_NOTE)
]


class ApplicationCreate(Command):
    cover_note: CoverNote | None = Field(
        default=None, description="A few words to the employer, e.g. 有两年纺织车间经验, 可随时到岗"
    )


class ReferralCreate(Command):
    seeker_id: EntityId
    posting_id: EntityId
    note: ReferralNote | None = Field(
        default=None, description="Why staff propose this seeker, for the seeker to read first."
    )
