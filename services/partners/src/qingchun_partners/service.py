"""The partner service's composition root.

Run with ``uvicorn --factory qingchun_partners.service:create_app``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI

from qingchun_partners import __version__
from qingchun_partners.adapters import deliveries, partners
from qingchun_partners.adapters.feeds import PartnerFeeds
from qingchun_partners.adapters.management import ManagementApi
from qingchun_partners.adapters.webhooks import WebhookClient
from qingchun_partners.app import deliveries as delivery_cases
from qingchun_partners.app.context import PartnersContext
from qingchun_partners.app.fanout import HANDLERS
from qingchun_partners.ports import deliveries_api, partners_api
from qingchun_partners.settings import PartnersSettings
from qingchun_plumbing.directory import INDEXES as DIRECTORY_INDEXES
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.reference import labels_router
from qingchun_plumbing.service import Runtime, ServiceSpec, Wiring, bind, create_service_app

DESCRIPTION = """
合作机构事件订阅 (partner event streams) of Qingchun. Partner agencies — the league's regional
committee, civil affairs, the labour bureau, libraries, 共建单位 — follow what happens (activities
held, postings published, organisations and youth centres registered) without access to the
platform's databases or anyone's personal data: only partner-audience events
(`GET /asyncapi.json` on the gateway documents them).

A city admin registers a partner with the event types it may receive and optional filters (its
district, its own organisations) inside the admin's own scope. Delivery: a read-only RabbitMQ user on
its own bounded queue and 7-day stream (replay by offset or time), and/or signed HTTPS webhooks
(`X-Qingchun-Signature`) with retries, dead letters and a delivery log. Credentials are answered once.

Admin calls need `Authorization: Bearer <JWT>`; the partner's own delivery-log and redelivery calls
are signed with its webhook secret instead. Errors are `application/problem+json` with `code` and
`field`. Lists are cursor-paginated.
"""

ADAPTERS = (partners, deliveries)
PORTS = (partners_api, deliveries_api)
INDEXES = [*DIRECTORY_INDEXES, *(spec for adapter in ADAPTERS for spec in adapter.INDEXES)]
LABELLED_ENUMS = {name: enum for port in PORTS for name, enum in port.LABELLED_ENUMS.items()}


def wire(runtime: Runtime, app: FastAPI) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, PartnersSettings)
    context = PartnersContext(
        orgs=OrganizationDirectory(runtime.db),
        partners=partners.PartnerStore(runtime.db),
        deliveries=deliveries.DeliveryStore(runtime.db),
        feeds=PartnerFeeds(runtime.bus, settings.queue_max_length, settings.stream_max_age),
        admin=ManagementApi(
            settings.rabbitmq_management_url,
            settings.rabbitmq_management_user,
            settings.rabbitmq_management_password.get_secret_value(),
            settings.rabbitmq_vhost,
        ),
        webhooks=WebhookClient(settings.webhook_timeout_seconds),
        settings=settings,
        now=lambda: datetime.now(UTC),
    )
    app.state.partners = context
    return Wiring(handlers=bind(HANDLERS, context), jobs=delivery_cases.jobs(context))


def create_app(settings: PartnersSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="partners",
            title="Qingchun partners (合作机构事件订阅)",
            description=DESCRIPTION,
            version=__version__,
            settings=settings or PartnersSettings(),
            indexes=INDEXES,
            outbox_collections=[],
            routers=[*(port.router for port in PORTS), labels_router(LABELLED_ENUMS)],
            wire=wire,
        )
    )
