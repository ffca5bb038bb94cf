"""Responses of the partner API, with Chinese labels beside codes. Secrets appear only in
:class:`Credentials`, which only registration and rotation answer with."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from qingchun_partners.domain.subscriptions import Delivery, PartnerStatus
from qingchun_partners.domain.webhooks import WebhookStatus
from qingchun_plumbing.mongo import Document


class FiltersOut(BaseModel):
    district_id: str | None
    organization_ids: list[str]


class WebhookOut(BaseModel):
    url: str
    verified_at: datetime


class AmqpOut(BaseModel):
    username: str
    queue: str = Field(description="Durable, bounded; read it with basic.consume or basic.get.")
    stream: str = Field(description="A stream keeping ≥7 days; consume with x-stream-offset.")


class PartnerOut(BaseModel):
    id: str
    name: str
    event_types: list[str]
    filters: FiltersOut
    roots: list[str] = Field(description="The organisation subtrees it follows.")
    delivery: list[str]
    delivery_labels: list[str]
    amqp: AmqpOut | None
    webhook: WebhookOut | None
    status: str
    status_label: str
    created_at: datetime
    credentials_rotated_at: datetime
    version: int


class AmqpCredentials(BaseModel):
    url: str
    host: str
    port: int
    vhost: str
    username: str
    password: str
    queue: str
    stream: str


class WebhookCredentials(BaseModel):
    secret: str = Field(description="HMAC-SHA256 key of X-Qingchun-Signature, both ways.")


class Credentials(BaseModel):
    """Shown once: the platform keeps no AMQP password, and never shows the secret again."""

    amqp: AmqpCredentials | None = None
    webhook: WebhookCredentials | None = None


class PartnerWithCredentials(BaseModel):
    partner: PartnerOut
    credentials: Credentials


class AttemptOut(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    ok: bool


class WebhookDeliveryOut(BaseModel):
    status: str
    status_label: str
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None = None
    dead_at: datetime | None = None
    log: list[AttemptOut] = Field(description="Every attempt, oldest first (the last 30).")


class DeliveryOut(BaseModel):
    id: str
    partner_id: str
    event_id: str
    event_type: str
    created_at: datetime
    amqp: dict[str, str] | None = Field(description="queue/stream → published or refused (full).")
    webhook: WebhookDeliveryOut | None


def partner_out(doc: Document) -> PartnerOut:
    delivery = [Delivery(d) for d in doc["delivery"]]
    return PartnerOut(
        id=doc["_id"],
        name=doc["name"],
        event_types=doc["event_types"],
        filters=FiltersOut(**doc["filters"]),
        roots=doc["roots"],
        delivery=[d.value for d in delivery],
        delivery_labels=[d.label for d in delivery],
        amqp=AmqpOut(**doc["amqp"]) if "amqp" in doc else None,
        webhook=WebhookOut(**doc["webhook"]) if "webhook" in doc else None,
        status=doc["status"],
        status_label=PartnerStatus(doc["status"]).label,
        created_at=doc["created_at"],
        credentials_rotated_at=doc["credentials_rotated_at"],
        version=doc["version"],
    )


def delivery_out(doc: Document) -> DeliveryOut:
    webhook = doc.get("webhook")
    return DeliveryOut(
        id=doc["_id"],
        partner_id=doc["partner_id"],
        event_id=doc["event_id"],
        event_type=doc["event_type"],
        created_at=doc["created_at"],
        amqp=None
        if "amqp" not in doc
        else {k: v if isinstance(v, str) else "publishing" for k, v in doc["amqp"].items()},
        webhook=None
        if webhook is None
        else WebhookDeliveryOut(
            status=webhook["status"],
            status_label=WebhookStatus(webhook["status"]).label,
            attempts=webhook["attempts"],
            next_attempt_at=webhook.get("next_attempt_at"),
            delivered_at=webhook.get("delivered_at"),
            dead_at=webhook.get("dead_at"),
            log=[AttemptOut(**entry) for entry in webhook.get("log", [])],
        ),
    )
