"""Gateway settings from the environment (prefix ``QINGCHUN_``): where the services are, how the
caller's token is checked (the same issuer settings every service reads) and the query limits."""

from __future__ import annotations

from pydantic import Field

from qingchun_plumbing.settings import ServiceSettings

SERVICES = ("registry", "volunteering", "education", "employment", "partners")


class GatewaySettings(ServiceSettings):
    registry_url: str = "http://127.0.0.1:8101"
    volunteering_url: str = "http://127.0.0.1:8102"
    education_url: str = "http://127.0.0.1:8103"
    employment_url: str = "http://127.0.0.1:8104"
    partners_url: str = "http://127.0.0.1:8105"
    production: bool = Field(
        default=False, description="Introspection and GraphiQL off; the allow-list applies if set."
    )
    persisted_queries_only: bool = Field(
        default=False, description="Refuse any document that is not in the persisted-query allow-list."
    )
    max_depth: int = Field(default=8, ge=2)
    max_aliases: int = Field(default=15, ge=1)
    max_tokens: int = Field(default=2000, ge=50)
    max_cost: int = Field(default=5000, ge=10, description="Nodes a query may ask for: first × nesting.")
    service_timeout_seconds: float = Field(default=10.0, gt=0)
    service_connections: int = Field(default=50, ge=1, description="Pooled connections per service.")
    subscriber_buffer: int = Field(
        default=100, ge=1, description="Live events one subscription may fall behind before it is ended."
    )

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url
