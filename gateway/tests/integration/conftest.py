"""Every service and the gateway per test, on the real store and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from fastapi import FastAPI

from gateway_harness import GatewayStack, LiveGateway, counting_pool, listening
from qingchun_education.service import create_app as create_education
from qingchun_education.settings import EducationSettings
from qingchun_employment.service import create_app as create_employment
from qingchun_employment.settings import EmploymentSettings
from qingchun_gateway.service import create_app as create_gateway
from qingchun_gateway.settings import GatewaySettings
from qingchun_partners.service import create_app as create_partners
from qingchun_partners.settings import PartnersSettings
from qingchun_plumbing.testing.components import ensure_local_rabbitmq_management
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings
from qingchun_volunteering.service import create_app as create_volunteering
from qingchun_volunteering.settings import VolunteeringSettings


@pytest.fixture
def gateway_settings(isolation: Isolation) -> GatewaySettings:
    return GatewaySettings(
        jwt_public_key_file=isolation.issuer.public_path,
        amqp_url=isolation.components.amqp_url,
        bus_prefix=isolation.prefix,
    )


@pytest.fixture
async def stack(isolation: Isolation, gateway_settings: GatewaySettings) -> AsyncIterator[GatewayStack]:
    apps: dict[str, FastAPI] = {
        "registry": create_registry(isolation.settings(RegistrySettings, "registry")),
        "volunteering": create_volunteering(isolation.settings(VolunteeringSettings, "volunteering")),
        "education": create_education(isolation.settings(EducationSettings, "education")),
        "employment": create_employment(isolation.settings(EmploymentSettings, "employment")),
        "partners": create_partners(
            isolation.settings(
                PartnersSettings, "partners", rabbitmq_management_url=ensure_local_rabbitmq_management()
            )
        ),
    }
    calls: list[tuple[str, str]] = []
    async with AsyncExitStack() as running:
        clients = {name: await running.enter_async_context(serve(app)) for name, app in apps.items()}
        gateway = await running.enter_async_context(
            serve(create_gateway(gateway_settings, counting_pool(apps, calls)))
        )
        built = GatewayStack(clients, apps, gateway, isolation, calls)
        built.city_id = await built.org("孝感团市委", "league_city_committee", None, area={"city": "孝感市"})
        yield built


@pytest.fixture
async def live(stack: GatewayStack, gateway_settings: GatewaySettings) -> AsyncIterator[LiveGateway]:
    """A second gateway process-alike on a real port over the same services, for WebSockets."""
    async with listening(create_gateway(gateway_settings, counting_pool(stack.apps, []))) as gateway:
        yield gateway
