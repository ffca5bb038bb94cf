"""Partner agencies (合作机构) as mutations: a city admin registers a partner for the event feed,
edits what it follows, and removes it. The partners service decides every rule (partner-audience
types only, filters inside the admin's scope, the webhook's ownership) and answers the credentials
once, here, never again."""

from __future__ import annotations

from typing import Any

import strawberry

from qingchun_gateway.schema.auth import action
from qingchun_gateway.schema.common import GatewayInfo, build
from qingchun_gateway.schema.inputs import payload


@strawberry.input(description="订阅范围 — the partner's district and/or its own organisations (subtrees).")
class PartnerFiltersInput:
    district_id: str | None = None
    organization_ids: list[str] | None = None


@strawberry.input(
    description="新建合作机构 — a partner, its event types (partner-audience only) and delivery."
)
class PartnerInput:
    name: str
    event_types: list[str]
    delivery: list[str] | None = strawberry.field(default=None, description="amqp and/or webhook")
    filters: PartnerFiltersInput | None = None
    webhook_url: str | None = strawberry.field(default=None, description="HTTPS; it must echo a challenge")


@strawberry.input(
    description="修改合作机构 — only what is given changes; event types and filters are replaced whole."
)
class PartnerUpdateInput:
    name: str | None = None
    event_types: list[str] | None = strawberry.field(default=None, description="partner-audience only")
    filters: PartnerFiltersInput | None = None
    webhook_url: str | None = strawberry.field(
        default=None, description="A new address; it must echo a challenge"
    )
    version: int | None = strawberry.field(
        default=None, description="版本 — the version last read; refused (concurrent_update) if it moved on"
    )


@strawberry.type(description="合作机构 — a partner agency subscribed to the event feed (no secrets).")
class Partner:
    id: strawberry.ID
    name: str
    event_types: list[str]
    roots: list[str] = strawberry.field(description="订阅的组织范围 — the subtrees it follows.")
    delivery: list[str]
    status: str
    version: int = strawberry.field(description="版本 — send it back with updatePartner.")
    queue: str | None = strawberry.field(default=None, description="Its AMQP queue.")
    stream: str | None = strawberry.field(default=None, description="Its 7-day replay stream.")
    webhook_url: str | None = None


@strawberry.type(description="接入凭据 — shown once: keep it now (rotate to get new ones).")
class PartnerCredentials:
    amqp_url: str | None = None
    amqp_username: str | None = None
    amqp_password: str | None = None
    webhook_secret: str | None = None


@strawberry.type(description="已登记的合作机构及其凭据")
class RegisteredPartner:
    partner: Partner
    credentials: PartnerCredentials


def to_partner(data: dict[str, Any]) -> Partner:
    amqp, webhook = data.get("amqp") or {}, data.get("webhook") or {}
    return build(
        Partner, data, queue=amqp.get("queue"), stream=amqp.get("stream"), webhook_url=webhook.get("url")
    )


def to_credentials(data: dict[str, Any]) -> PartnerCredentials:
    amqp, webhook = data.get("amqp") or {}, data.get("webhook") or {}
    return PartnerCredentials(
        amqp_url=amqp.get("url"),
        amqp_username=amqp.get("username"),
        amqp_password=amqp.get("password"),
        webhook_secret=webhook.get("secret"),
    )


@strawberry.type
class PartnerMutation:
    @action("登记合作机构 — register a partner for the event feed (city admin); credentials answered once.")
    async def register_partner(self, info: GatewayInfo, input: PartnerInput) -> RegisteredPartner:
        created = await info.context["partners"].post("/v1/partners", payload(input))
        return RegisteredPartner(
            partner=to_partner(created["partner"]), credentials=to_credentials(created["credentials"])
        )

    @action(
        "修改合作机构 — change a partner's event types, filters, name or webhook address (city admin); "
        "the next event follows, the credentials stay."
    )
    async def update_partner(
        self, info: GatewayInfo, id: strawberry.ID, input: PartnerUpdateInput
    ) -> Partner:
        return to_partner(await info.context["partners"].post(f"/v1/partners/{id}:update", payload(input)))

    @action("注销合作机构 — deregister a partner: its broker user, queue and stream are removed.")
    async def remove_partner(self, info: GatewayInfo, id: strawberry.ID) -> Partner:
        return to_partner(await info.context["partners"].post(f"/v1/partners/{id}:deregister"))
