"""Education settings: the shared ones plus the policies held as configuration."""

from __future__ import annotations

from pydantic import Field, SecretStr

from qingchun_plumbing.settings import ServiceSettings


class EducationSettings(ServiceSettings):
    consent_from_age: int = Field(
        default=14,
        ge=1,
        le=18,
        description="Below this age a guardian enrols the child.",
    )
    adult_from_age: int = Field(
        default=18, ge=14, le=25, description="Below this age recorded guardian consent is needed."
    )
    certificate_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs completion certificates; unset: one is "
        "generated once and kept in the service's database (development).",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8103",
        description="Where completion certificates can be verified by anyone (printed on them).",
    )
    local_timezone: str = Field(
        default="Asia/Shanghai", description="The day and month a session counts toward (compliance, logs)."
    )
    small_cell_threshold: int = Field(
        default=5,
        ge=2,
        le=50,
        description="Care statistics: a count below this is suppressed (null).",
    )
