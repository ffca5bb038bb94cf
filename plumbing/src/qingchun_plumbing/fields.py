"""Constrained input types every service's commands share: lengths, patterns and ranges, so
oversize or malformed input is refused with the field and the reason before any rule runs."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
AreaName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+\-() ]{5,20}$")]
OrgId = Annotated[str, StringConstraints(pattern=r"^org_[0-9a-f]{24}$")]
EntityId = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}_[0-9a-f]{24}$")]
"""Any id a service minted with ``new_id`` (``vol_…``, ``act_…``); whether it exists is checked later."""
SubjectId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


class Command(BaseModel):
    """Base of every write's input: unknown fields are refused, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
