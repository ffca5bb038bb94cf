"""A registry and a volunteering service per test, on the real store and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings
from qingchun_volunteering.service import create_app as create_volunteering
from qingchun_volunteering.settings import VolunteeringSettings
from volunteering_harness import Stack


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[Stack]:
    volunteering_app = create_volunteering(isolation.settings(VolunteeringSettings, "volunteering"))
    async with (
        serve(create_registry(isolation.settings(RegistrySettings, "registry"))) as registry,
        serve(volunteering_app) as volunteering,
    ):
        built = Stack(registry, volunteering, volunteering_app, isolation)
        built.city_id = await built.org("灵武团市委", "league_city_committee", None, area={"city": "灵武市"})
        yield built
