"""A registry and an education service per test, on the real store and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from education_harness import Stack
from qingchun_education.service import create_app as create_education
from qingchun_education.settings import EducationSettings
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[Stack]:
    education_app = create_education(isolation.settings(EducationSettings, "education"))
    async with (
        serve(create_registry(isolation.settings(RegistrySettings, "registry"))) as registry,
        serve(education_app) as education,
    ):
        built = Stack(registry, education, education_app, isolation)
        built.city_id = await built.org("灵武团市委", "league_city_committee", None, area={"city": "灵武市"})
        yield built
