"""What a city admin sends to register or edit a partner, validated before anything is provisioned."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from qingchun_partners.domain.subscriptions import MAX_EVENT_TYPES, MAX_FILTER_ORGS, Delivery
from qingchun_partners.domain.webhooks import MAX_URL_LENGTH


class Filters(BaseModel):
    """Subtrees of the organisation tree the partner follows; none means the whole city."""

    model_config = ConfigDict(extra="forbid")

    district_id: str | None = Field(
        default=None, max_length=40, description="A 团区委 or 团工委: the partner's district."
    )
    organization_ids: list[str] = Field(
        default_factory=list, max_length=MAX_FILTER_ORGS, description="The partner's own organisations."
    )


class PartnerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=80, description="Public name, e.g. 灵武市总工会.")
    event_types: list[str] = Field(min_length=1, max_length=MAX_EVENT_TYPES)
    delivery: list[Delivery] = Field(default=[Delivery.AMQP], min_length=1, max_length=2)
    filters: Filters = Field(default_factory=Filters)
    webhook_url: str | None = Field(
        default=None, max_length=MAX_URL_LENGTH, description="Needed with webhook delivery; proven at once."
    )


class PartnerUpdate(BaseModel):
    """An edit: only the fields sent change (a list or the filters are replaced whole). Delivery is
    not editable here: another delivery means other credentials (remove and register again)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=80)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=MAX_EVENT_TYPES)
    filters: Filters | None = Field(default=None, description="Replaces them; {} is the editor's scope.")
    webhook_url: str | None = Field(
        default=None,
        max_length=MAX_URL_LENGTH,
        description="A new address (webhook delivery); proven at once.",
    )
    version: int | None = Field(
        default=None, ge=1, description="The version last read; another current one is 409 concurrent_update."
    )


class Redelivery(BaseModel):
    """A partner's (or an admin's) request to send a dead letter again; the body is what it signs."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=200)
