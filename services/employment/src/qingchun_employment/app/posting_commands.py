"""Validated input of posting writes (用工信息): drafts, edits, moderation notes and reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from qingchun_employment.domain.postings import (
    MAX_HEADCOUNT,
    MAX_SKILLS,
    MIN_HEADCOUNT,
    JobCategory,
    PostingKind,
    ReportReason,
)
from qingchun_plumbing.fields import Command, OrgId, Text, Title


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


SkillCode = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]{0,29}$"),
]
"""A short skill tag such as ``forklift`` or ``sewing``; upper case is folded to lower."""
Requirements = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Headcount = Annotated[int, Field(ge=MIN_HEADCOUNT, le=MAX_HEADCOUNT)]
MonthlyPay = Annotated[int, Field(ge=0, le=1_000_000, description="Yuan a month.")]


class TraineeshipDetails(Command):
    """就业见习: the monthly allowance the trainee receives and whether the host insures them."""

    allowance_yuan: int = Field(gt=0, le=100_000, description="见习补贴, yuan a month.")
    insurance: bool = Field(description="Whether the host buys accident/injury insurance (见习保险).")


class PostingCreate(Command):
    employer_organization_id: OrgId = Field(
        description="An employer organisation (enterprise, unit, school…)."
    )
    title: Title
    category: JobCategory
    kind: PostingKind
    headcount: Headcount
    skills: list[SkillCode] = Field(default_factory=list, max_length=MAX_SKILLS)
    requirements: Requirements
    place_organization_id: OrgId = Field(description="The community, street or district where the work is.")
    origin_community_id: OrgId | None = Field(
        default=None, description="The community whose league organisation collects and sends it up."
    )
    pay_min: MonthlyPay | None = None
    pay_max: MonthlyPay | None = None
    traineeship: TraineeshipDetails | None = Field(default=None, description="Required for traineeships.")
    expires_on: date | None = Field(
        default=None, description="Last day on the platform; default: a set number of days after publication."
    )


class PostingPatch(Command):
    """A draft's fields to change; those left out stay as they are (``null`` clears an optional one)."""

    title: Title | None = None
    category: JobCategory | None = None
    kind: PostingKind | None = None
    headcount: Headcount | None = None
    skills: list[SkillCode] | None = Field(default=None, max_length=MAX_SKILLS)
    requirements: Requirements | None = None
    place_organization_id: OrgId | None = None
    origin_community_id: OrgId | None = None
    pay_min: MonthlyPay | None = None
    pay_max: MonthlyPay | None = None
    traineeship: TraineeshipDetails | None = None
    expires_on: date | None = None


REQUIRED_IN_PATCH = frozenset(
    {"title", "category", "kind", "headcount", "skills", "requirements", "place_organization_id"}
)
"""Fields a patch may change but not clear."""


class ModerationNote(Command):
    note: Text = Field(
        description="Why the moderator released or rejected it (shown to the employer's staff)."
    )


class ReportCreate(Command):
    reason: ReportReason
    detail: Text | None = Field(default=None, description="What the reader saw; no personal data, please.")
