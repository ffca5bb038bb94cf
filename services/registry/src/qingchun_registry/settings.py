"""Registry settings: the shared ones plus the registry's own rules held as configuration."""

from __future__ import annotations

from pydantic import Field

from qingchun_plumbing.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    youth_center_min_area_m2: float = Field(
        default=100.0,
        gt=0,
        description="Minimum indoor area of a youth centre (the seed's number was lost; set it per city).",
    )
    term_due_soon_days: int = Field(default=60, ge=1, description="Warn this many days before a term ends.")
    term_check_interval_seconds: float = Field(default=3600.0, gt=0)
