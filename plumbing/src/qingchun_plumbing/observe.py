"""What every HTTP app of the system (each service and the gateway) exposes to operations: the
correlation id, latency and error figures and ``GET /metrics`` (:func:`observe`), and a server span
per request (FastAPI's own, given the service's :func:`~qingchun_plumbing.tracing.telemetry`)."""

from __future__ import annotations

from fastapi import FastAPI

from qingchun_plumbing.logs import CORRELATION_HEADER, correlation_id, correlation_middleware
from qingchun_plumbing.metrics import MetricsMiddleware, metrics_router
from qingchun_plumbing.tracing import outgoing_headers as trace_headers


def observe(app: FastAPI, service: str) -> None:
    """Install the middlewares (metrics outside correlation, so its timing includes it) and the route."""
    app.middleware("http")(correlation_middleware)
    app.add_middleware(MetricsMiddleware, service=service)
    app.include_router(metrics_router)


def outgoing_headers() -> dict[str, str]:
    """What a call to another part of the system carries: the active trace and the correlation id."""
    headers = trace_headers()
    value = correlation_id.get()
    if value:
        headers[CORRELATION_HEADER] = value
    return headers
