"""Settings every service reads from the environment (prefix ``QINGCHUN_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Connection and identity settings shared by all services; a service subclasses it."""

    model_config = SettingsConfigDict(env_prefix="QINGCHUN_", extra="ignore")

    mongo_url: str = Field(
        default="mongodb://127.0.0.1:27017/?directConnection=true",
        description="MongoDB (or MongoDB-wire) URL; production uses a replica set.",
    )
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    db_prefix: str = Field(default="", description="Prefix of database names (tests isolate with it).")
    bus_prefix: str = Field(default="", description="Prefix of exchange and queue names.")
    jwt_issuer: str = "qingchun-dev"
    jwt_audience: str = "qingchun"
    jwt_public_key_file: Path | None = Field(
        default=None, description="PEM public key of the token issuer (development issuer)."
    )
    jwt_jwks_url: str | None = Field(default=None, description="JWKS URL of the production issuer.")
    log_level: str = "INFO"
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    consumer_prefetch: int = Field(default=20, ge=1)
    consumer_max_attempts: int = Field(default=5, ge=1)
