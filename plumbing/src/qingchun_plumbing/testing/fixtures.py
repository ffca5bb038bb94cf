"""The pytest plugin every test suite loads: real components, isolated per test.

Each test gets its own prefix for database, exchange and queue names, so tests (and
concurrent runs on one machine) never see each other's data; everything with the prefix is
removed afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aio_pika
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_plumbing.bus import Topology
from qingchun_plumbing.devtoken import DevIssuer
from qingchun_plumbing.mongo import connect
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.components import Components, test_components
from qingchun_plumbing.testing.spans import SpanRecorder, recording_spans

S = TypeVar("S", bound=ServiceSettings)
_counter = itertools.count()


@pytest.fixture(scope="session")
def components(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Components]:
    with test_components(tmp_path_factory.mktemp("components")) as found:
        yield found


@pytest.fixture(scope="session")
def dev_issuer(tmp_path_factory: pytest.TempPathFactory) -> DevIssuer:
    return DevIssuer(tmp_path_factory.mktemp("issuer")).ensure_keys()


@dataclass
class Isolation:
    """Names and settings private to one test."""

    prefix: str
    components: Components
    issuer: DevIssuer
    services: set[str] = field(default_factory=set)

    @property
    def topology(self) -> Topology:
        return Topology(self.prefix)

    def settings(self, cls: type[S], service: str, **overrides: Any) -> S:
        self.services.add(service)
        values: dict[str, Any] = {
            "mongo_url": self.components.mongo_url,
            "amqp_url": self.components.amqp_url,
            "db_prefix": self.prefix,
            "bus_prefix": self.prefix,
            "jwt_public_key_file": self.issuer.public_path,
            "outbox_poll_seconds": 0.2,
        }
        return cls(**(values | overrides))

    def token(self, *roles: str, scope: list[str] | None = None, subject: str | None = None) -> str:
        return self.issuer.issue(roles=list(roles), scope_orgs=scope, subject=subject)

    def headers(
        self, *roles: str, scope: list[str] | None = None, subject: str | None = None
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*roles, scope=scope, subject=subject)}"}


async def _remove(isolation: Isolation) -> None:
    client = connect(isolation.components.mongo_url)
    try:
        for name in await client.list_database_names():
            if name.startswith(isolation.prefix):
                await client.drop_database(name)
    finally:
        await client.close()
    connection = await aio_pika.connect(isolation.components.amqp_url)
    async with connection:
        channel = await connection.channel()
        topology = isolation.topology
        for service in isolation.services:
            for queue in topology.queues(service):
                await channel.queue_delete(queue)
        await channel.exchange_delete(topology.exchange)
        await channel.exchange_delete(topology.dead_letter_exchange)


@pytest.fixture
async def isolation(components: Components, dev_issuer: DevIssuer) -> AsyncIterator[Isolation]:
    isolated = Isolation(f"t{uuid.uuid4().hex[:6]}{next(_counter)}_", components, dev_issuer)
    yield isolated
    await _remove(isolated)


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run an app's lifespan (store, bus, relay, consumers) and talk HTTP to it in-process."""
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


class EventTap:
    """A private queue bound to every routing key of a test's exchange: what was published."""

    def __init__(self, amqp_url: str, topology: Topology) -> None:
        self._url = amqp_url
        self._topology = topology
        self.received: list[Envelope] = []
        self._arrived = asyncio.Condition()
        self._connection: aio_pika.abc.AbstractConnection | None = None

    async def __aenter__(self) -> EventTap:
        self._connection = await aio_pika.connect(self._url)
        channel = await self._connection.channel()
        exchange = await channel.declare_exchange(
            self._topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def _on_message(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with self._arrived:
            self.received.append(Envelope.model_validate_json(message.body))
            self._arrived.notify_all()

    async def __aexit__(self, *_: object) -> None:
        if self._connection is not None:
            await self._connection.close()

    def of_type(self, event_type: str) -> list[Envelope]:
        return [e for e in self.received if e.type == event_type]

    async def wait_for(
        self, event_type: str, where: Callable[[Envelope], bool] = lambda _: True, within: float = 10
    ) -> Envelope:
        """The first published event of a type (matching ``where``), waiting up to ``within`` seconds."""

        def found() -> Envelope | None:
            return next((e for e in self.of_type(event_type) if where(e)), None)

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: found() is not None), within)
        result = found()
        assert result is not None
        return result


@pytest.fixture
async def event_tap(isolation: Isolation) -> AsyncIterator[EventTap]:
    async with EventTap(isolation.components.amqp_url, isolation.topology) as tap:
        yield tap


@pytest.fixture
def spans() -> Iterator[SpanRecorder]:
    """The spans finished during the test (an in-memory exporter on the real tracer provider)."""
    with recording_spans() as recorder:
        yield recorder
