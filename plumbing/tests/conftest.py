"""The probe service (:mod:`qingchun_plumbing.testing.probe`) per test, on the real store and broker,
and a database of the test's own for the tests that use the store without a service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qingchun_plumbing.mongo import Database, connect, database
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_plumbing.testing.probe import PROBE, Probe, probe_app


@pytest.fixture
async def probe(isolation: Isolation) -> AsyncIterator[Probe]:
    failing: set[str] = set()
    settings = isolation.settings(ServiceSettings, PROBE, consumer_max_attempts=2)
    app = probe_app(settings, failing)
    async with serve(app) as client:
        yield Probe(client, app, isolation, failing)


@pytest.fixture
async def db(isolation: Isolation) -> AsyncIterator[Database]:
    client = connect(isolation.components.mongo_url)
    yield database(client, isolation.prefix, "consumer")
    await client.close()
