"""Volunteering settings: the shared ones plus the age bands held as configuration."""

from __future__ import annotations

from pydantic import Field

from qingchun_plumbing.settings import ServiceSettings


class VolunteeringSettings(ServiceSettings):
    consent_from_age: int = Field(
        default=14, ge=1, le=18, description="Below this age a child serves only with a guardian present."
    )
    adult_from_age: int = Field(
        default=18, ge=14, le=25, description="Below this age guardian consent is needed."
    )
