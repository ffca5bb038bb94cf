"""A registry and a partner service per test, on the real store, broker and management API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from partners_harness import Receiver, Stack, receiving, remove_partner_leftovers
from qingchun_partners.service import create_app as create_partners
from qingchun_partners.settings import PartnersSettings
from qingchun_plumbing.testing.components import ensure_local_rabbitmq_management
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings


@pytest.fixture(scope="session")
def management_url() -> str:
    return ensure_local_rabbitmq_management()


@pytest.fixture
def partner_settings(isolation: Isolation, management_url: str) -> PartnersSettings:
    return isolation.settings(
        PartnersSettings,
        "partners",
        rabbitmq_management_url=management_url,
        allow_private_webhook_hosts=True,
        webhook_poll_seconds=0.05,
        webhook_backoff_seconds=0.05,
        webhook_max_attempts=3,
        queue_max_length=5,
    )


@pytest.fixture
async def stack(isolation: Isolation, partner_settings: PartnersSettings) -> AsyncIterator[Stack]:
    partners_app = create_partners(partner_settings)
    try:
        async with (
            serve(create_registry(isolation.settings(RegistrySettings, "registry"))) as registry,
            serve(partners_app) as partners,
        ):
            built = Stack(registry, partners, partners_app, isolation)
            built.management_url = partner_settings.rabbitmq_management_url
            built.city_id = await built.org(
                "灵武团市委", "league_city_committee", None, area={"city": "灵武市"}
            )
            yield built
    finally:
        await remove_partner_leftovers(partner_settings.rabbitmq_management_url, isolation.prefix)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with receiving() as running:
        yield running
