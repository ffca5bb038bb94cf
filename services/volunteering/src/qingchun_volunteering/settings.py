"""Volunteering settings: the shared ones plus the policies held as configuration."""

from __future__ import annotations

from pydantic import Field, SecretStr

from qingchun_plumbing.settings import ServiceSettings


class VolunteeringSettings(ServiceSettings):
    consent_from_age: int = Field(
        default=14, ge=1, le=18, description="Below this age a child serves only with a guardian present."
    )
    adult_from_age: int = Field(
        default=18, ge=14, le=25, description="Below this age guardian consent is needed."
    )
    checkin_code_secret: SecretStr = Field(
        default=SecretStr("qingchun-dev-checkin-secret"),
        description="HMAC key of the rotating check-in codes; set a long random value in production.",
    )
    checkin_code_period_seconds: int = Field(
        default=60, ge=10, le=3600, description="How long one check-in code (QR) stays valid."
    )
    certificate_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs certificates; unset: one is generated once "
        "and kept in the service's database (development).",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8102",
        description="Where certificates can be verified by anyone (printed on the certificate).",
    )
    local_timezone: str = Field(
        default="Asia/Shanghai",
        description="The day a service minute counts toward (daily caps, 报到 deadlines).",
    )
