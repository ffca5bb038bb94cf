"""Partner feed settings: the shared ones plus the broker administration, the address partners
connect to, queue bounds and webhook delivery policy."""

from __future__ import annotations

from pydantic import Field, SecretStr

from qingchun_plumbing.settings import ServiceSettings


class PartnersSettings(ServiceSettings):
    rabbitmq_management_url: str = Field(
        default="http://127.0.0.1:15672",
        description="RabbitMQ management HTTP API, used to create, rotate and remove partner users.",
    )
    rabbitmq_management_user: str = "guest"
    rabbitmq_management_password: SecretStr = SecretStr("guest")
    rabbitmq_vhost: str = "/"
    partner_amqp_host: str | None = Field(
        default=None, description="The broker address partners connect to; default the host of amqp_url."
    )
    partner_amqp_port: int | None = Field(default=None, description="Default the port of amqp_url.")
    queue_max_length: int = Field(
        default=100_000, ge=1, description="Messages a partner queue holds; then it refuses new ones."
    )
    stream_max_age: str = Field(
        default="7D", pattern=r"^[1-9][0-9]*[YMDhms]$", description="How long a partner stream keeps."
    )
    allow_private_webhook_hosts: bool = Field(
        default=False,
        description="Development only: accept http:// and loopback/private webhook hosts.",
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_max_attempts: int = Field(default=8, ge=1, le=30)
    webhook_backoff_seconds: float = Field(default=30.0, gt=0, description="Wait after the first failure.")
    webhook_backoff_cap_seconds: float = Field(default=6 * 3600.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0, description="How often due deliveries are sent.")
    signature_tolerance_seconds: int = Field(
        default=300, ge=10, le=3600, description="Oldest signed partner request accepted."
    )
