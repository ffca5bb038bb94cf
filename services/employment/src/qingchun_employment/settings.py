"""Employment settings: the shared ones plus the policies held as configuration."""

from __future__ import annotations

from pydantic import Field

from qingchun_plumbing.settings import ServiceSettings


class EmploymentSettings(ServiceSettings):
    posting_default_days: int = Field(
        default=30,
        ge=1,
        le=180,
        description="How long a posting stays up unless it says.",
    )
    posting_max_days: int = Field(default=90, ge=1, le=365, description="The longest a posting may stay up.")
    local_timezone: str = Field(
        default="Asia/Shanghai",
        description="The day and month figures count toward (创业报表).",
    )
