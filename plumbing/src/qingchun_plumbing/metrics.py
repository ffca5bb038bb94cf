"""Prometheus figures every service exposes on ``GET /metrics``.

Every series carries a ``service`` label (one process may host several services: the tests,
the local runner's gateway harness). Labels are bounded by construction: route *templates*, event
*types* of the contracts, outcome and queue kinds — never an id, a name or a raw path, so no
personal data and no unbounded cardinality reach the metrics store.

Counters and histograms move as work happens; the outbox backlog and queue depths are read from
the store and the broker when ``/metrics`` is scraped (see :func:`refresh_service_figures`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from aiormq.exceptions import ChannelClosed
from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from pymongo.errors import PyMongoError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qingchun_plumbing.bus import RETRY_DELAYS_MS, Bus

_log = logging.getLogger("qingchun.metrics")

REQUEST_SECONDS = Histogram(
    "qingchun_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_ERRORS = Counter(
    "qingchun_http_errors",
    "HTTP requests answered with a 5xx or that raised: the house rule says this stays at zero.",
    ["service", "method", "route"],
)
CONSUMED = Counter(
    "qingchun_consumer_events",
    "Deliveries a consumer finished, by outcome: handled, duplicate (already in the inbox), "
    "deferred (another delivery was handling it), failed (the handler raised), retried, dead_lettered.",
    ["service", "event_type", "outcome"],
)
LAG_SECONDS = Histogram(
    "qingchun_consumer_lag_seconds",
    "Time from an event's occurrence to its handling by this service.",
    ["service", "event_type"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
OUTBOX_PUBLISHED = Counter("qingchun_outbox_published", "Events the relay published.", ["service"])
OUTBOX_FAILURES = Counter(
    "qingchun_outbox_publish_failures", "Relay rounds that failed (broker or store outage).", ["service"]
)
OUTBOX_BACKLOG = Gauge("qingchun_outbox_backlog", "Events written but not yet published.", ["service"])
OUTBOX_AGE = Gauge(
    "qingchun_outbox_oldest_age_seconds", "Age of the oldest unpublished event (0 when none).", ["service"]
)
QUEUE_DEPTH = Gauge(
    "qingchun_queue_depth",
    "Messages waiting in the service's queues: main, retry (all back-off tiers) and dead.",
    ["service", "queue"],
)
QUEUE_CONSUMERS = Gauge("qingchun_queue_consumers", "Consumers attached to the service's queue.", ["service"])

ERROR_STATUS = 500
_PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


def route_template(scope: Scope) -> str:
    """The matched route's full template (``/v1/organizations/{organization_id}``), never the raw path.

    ``scope["route"]`` holds the template below any router prefix; the prefix is the part of the
    request path before the matched remainder.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str):
        return "unmatched"
    params = scope.get("path_params", {})
    rendered = _PARAMETER.sub(lambda m: str(params.get(m[1], m[0])), template)
    path = str(scope.get("path", ""))
    if not path.endswith(rendered):
        return template
    return path[: len(path) - len(rendered)] + template


class Backlog(Protocol):
    async def backlog(self) -> tuple[int, datetime | None]: ...


class MetricsMiddleware:
    """Latency and errors per route template of one service's HTTP app."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": ERROR_STATUS}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method, route = str(scope.get("method", "GET")), route_template(scope)
            REQUEST_SECONDS.labels(self.service, method, route, str(status["code"])).observe(
                time.perf_counter() - started
            )
            if status["code"] >= ERROR_STATUS:
                HTTP_ERRORS.labels(self.service, method, route).inc()


async def refresh_outbox(service: str, outbox: Backlog) -> None:
    count, oldest = await outbox.backlog()
    OUTBOX_BACKLOG.labels(service).set(count)
    age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
    OUTBOX_AGE.labels(service).set(max(age, 0.0))


async def refresh_queues(service: str, bus: Bus) -> None:
    """Depths read with passive declares (they create nothing), on a channel of their own."""
    topology = bus.topology
    channel = await bus.channel(prefetch=1)
    try:
        main = await channel.declare_queue(topology.queue(service), passive=True)
        dead = await channel.declare_queue(topology.dead_queue(service), passive=True)
        retry = 0
        for delay in RETRY_DELAYS_MS:
            tier = await channel.declare_queue(topology.retry_queue(service, delay), passive=True)
            retry += tier.declaration_result.message_count or 0
    finally:
        if not channel.is_closed:
            await channel.close()
    QUEUE_DEPTH.labels(service, "main").set(main.declaration_result.message_count or 0)
    QUEUE_DEPTH.labels(service, "retry").set(retry)
    QUEUE_DEPTH.labels(service, "dead").set(dead.declaration_result.message_count or 0)
    QUEUE_CONSUMERS.labels(service).set(main.declaration_result.consumer_count or 0)


async def refresh_service_figures(service: str, outbox: Backlog, bus: Bus, consuming: bool) -> None:
    """Read the figures that live in the store and the broker; an outage leaves the last values."""
    try:
        await refresh_outbox(service, outbox)
    except PyMongoError as exc:  # the store is down: /readyz says so; keep serving the other figures
        _log.warning("outbox figures not read", extra={"error_type": type(exc).__name__})
    if consuming and bus.connected:
        try:
            await refresh_queues(service, bus)
        except (ChannelClosed, RuntimeError, TimeoutError) as exc:
            _log.warning("queue figures not read", extra={"error_type": type(exc).__name__})


Refresh = Callable[[], Awaitable[None]]
metrics_router = APIRouter()


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text format; store- and broker-side figures are read first."""
    refresh: Refresh | None = getattr(request.app.state, "refresh_metrics", None)
    if refresh is not None:
        await refresh()
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
