"""A running registry (real store, real broker) per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app
from qingchun_registry.settings import RegistrySettings
from registry_harness import Registry


@pytest.fixture
async def registry(isolation: Isolation) -> AsyncIterator[Registry]:
    settings = isolation.settings(RegistrySettings, "registry", youth_center_min_area_m2=80)
    app = create_app(settings)
    async with serve(app) as http:
        yield Registry(http, app, isolation, admin={})


@pytest.fixture
async def city(registry: Registry) -> dict[str, Any]:
    """孝感团市委, with the registry's default caller made its city admin."""
    registry.admin = registry.as_("city_admin")
    root = await registry.create("孝感团市委", "league_city_committee", area={"city": "孝感市"})
    registry.admin = registry.as_("city_admin", scope=[root["id"]])
    return root
