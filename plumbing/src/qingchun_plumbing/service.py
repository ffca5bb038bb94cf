"""One way to build a service: the runtime every service gets and the app factory.

A service's composition root describes itself as a :class:`ServiceSpec` (name, settings,
indexes, outbox collections, routers) and a ``wire`` function that builds its own
application layer from the runtime and returns its event handlers and periodic jobs. A router
reaches the runtime per request through :func:`runtime_store`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import APIRouter, FastAPI, Request

from qingchun_contracts import Envelope
from qingchun_plumbing.auth import TokenVerifier
from qingchun_plumbing.bus import Bus, Topology
from qingchun_plumbing.consumer import Consumer, Handler
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.health import router as health_router
from qingchun_plumbing.inbox import INBOX_INDEXES, Inbox
from qingchun_plumbing.logs import configure_logging
from qingchun_plumbing.metrics import refresh_service_figures
from qingchun_plumbing.mongo import Database, IndexSpec, connect, database, ensure_indexes
from qingchun_plumbing.observe import observe
from qingchun_plumbing.outbox import OutboxRelay, outbox_indexes
from qingchun_plumbing.problems import install_problem_handlers
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.tracing import telemetry

_log = logging.getLogger("qingchun.service")
C = TypeVar("C")
S = TypeVar("S")
ContextHandler = Callable[[C, Envelope], Awaitable[None]]
"""An event handler of a service's application layer: it takes the service's context first."""
SHUTDOWN_STEP_SECONDS = 10.0


@dataclass(frozen=True)
class PeriodicJob:
    """Work a service repeats (e.g. the registry's term check); must be idempotent."""

    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]


@dataclass
class Wiring:
    """What a service's ``wire`` returns: its event handlers and periodic jobs."""

    handlers: Mapping[str, Handler] = field(default_factory=dict)
    jobs: Sequence[PeriodicJob] = ()


@dataclass
class Runtime:
    """The connected infrastructure a service's application layer is built on."""

    name: str
    settings: ServiceSettings
    db: Database
    bus: Bus
    relay: OutboxRelay
    events: EventFactory
    consumer: Consumer | None = None


def runtime_store(make: Callable[[Database], S]) -> Callable[[Request], S]:
    """A FastAPI dependency: ``make`` built on the runtime's database for each request.

    For stores that hold collection handles only (a service's statistics store), so building one
    costs nothing and the router that uses it needs no wiring in the composition root.
    """

    def store(request: Request) -> S:
        runtime: Runtime = request.app.state.runtime
        return make(runtime.db)

    return store


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    version: str
    settings: ServiceSettings
    indexes: Sequence[IndexSpec]
    outbox_collections: Sequence[str]
    routers: Sequence[APIRouter]
    wire: Callable[[Runtime, FastAPI], Wiring]


def bind(handlers: Mapping[str, ContextHandler[C]], context: C) -> dict[str, Handler]:
    """The consumer's handlers: each application handler with the service's context bound to it."""

    def bound(handler: ContextHandler[C]) -> Handler:
        async def handle(envelope: Envelope) -> None:
            await handler(context, envelope)

        return handle

    return {event_type: bound(handler) for event_type, handler in handlers.items()}


async def _repeat(job: PeriodicJob) -> None:
    while True:
        try:
            await job.run()
        except Exception as exc:  # one failed round must not stop the schedule
            _log.warning("periodic job failed", extra={"job": job.name, "error_type": type(exc).__name__})
        await asyncio.sleep(job.interval_seconds)


async def _bounded(step: str, operation: Awaitable[object], seconds: float = SHUTDOWN_STEP_SECONDS) -> None:
    """A shutdown step that may not hang the process: after ``seconds`` it is abandoned and logged."""
    try:
        async with asyncio.timeout(seconds):
            await operation
    except TimeoutError:
        _log.warning("shutdown step timed out", extra={"step": step, "seconds": seconds})


def create_service_app(spec: ServiceSpec) -> FastAPI:
    """A FastAPI app whose lifespan connects the store and bus, runs the relay, consumers and jobs."""
    settings = spec.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(spec.name, settings.log_level)
        client = connect(settings.mongo_url)
        db = database(client, settings.db_prefix, spec.name)
        await ensure_indexes(db, [*spec.indexes, *outbox_indexes(spec.outbox_collections), *INBOX_INDEXES])
        bus = Bus(settings.amqp_url, Topology(settings.bus_prefix))
        await bus.connect()
        relay = OutboxRelay(
            db,
            spec.outbox_collections,
            bus.publish,
            poll_seconds=settings.outbox_poll_seconds,
            service=spec.name,
        )
        runtime = Runtime(spec.name, settings, db, bus, relay, EventFactory(spec.name))
        app.state.runtime = runtime
        wiring = spec.wire(runtime, app)
        if wiring.handlers:
            runtime.consumer = Consumer(
                bus,
                Inbox(db),
                spec.name,
                wiring.handlers,
                prefetch=settings.consumer_prefetch,
                max_attempts=settings.consumer_max_attempts,
            )
            await runtime.consumer.start()

        async def refresh_metrics() -> None:
            await refresh_service_figures(spec.name, relay, bus, consuming=runtime.consumer is not None)

        app.state.refresh_metrics = refresh_metrics
        tasks = [asyncio.create_task(relay.run(), name=f"{spec.name}-outbox")]
        tasks += [asyncio.create_task(_repeat(job), name=job.name) for job in wiring.jobs]
        _log.info("service started")
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await _bounded("background tasks", asyncio.gather(*tasks, return_exceptions=True))
            if runtime.consumer is not None:
                await _bounded("consumer", runtime.consumer.close())
            await _bounded("bus", bus.close())
            await _bounded("store", client.close())

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        telemetry=telemetry(spec.name),
    )
    app.state.token_verifier = TokenVerifier(settings)
    observe(app, spec.name)
    install_problem_handlers(app)
    app.include_router(health_router)
    for router in spec.routers:
        app.include_router(router)
    return app
