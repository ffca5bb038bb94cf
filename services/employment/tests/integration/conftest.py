"""A registry and an employment service per test, on the real store and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from employment_harness import Stack
from qingchun_employment.service import create_app as create_employment
from qingchun_employment.settings import EmploymentSettings
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[Stack]:
    employment_app = create_employment(isolation.settings(EmploymentSettings, "employment"))
    async with (
        serve(create_registry(isolation.settings(RegistrySettings, "registry"))) as registry,
        serve(employment_app) as employment,
    ):
        built = Stack(registry, employment, employment_app, isolation)
        built.city_id = await built.org("孝感团市委", "league_city_committee", None, area={"city": "孝感市"})
        yield built
