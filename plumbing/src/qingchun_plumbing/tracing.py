"""OpenTelemetry traces that follow one piece of work across HTTP and the bus.

A request's server span (FastAPI's own, see :func:`telemetry`) is the parent of every event the
request causes: the event's envelope carries its W3C ``traceparent`` through the outbox, the relay
publishes under a producer span that is its child, and each consumer handles it under a consumer
span that is the producer's child.
So one trace id joins the gateway, the producing service and every consumer.

Spans are exported over OTLP only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or the traces-only
variant) is set, as the OpenTelemetry specification has it; otherwise they are made (so ids flow
into envelopes and logs) but sent nowhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from fastapi.telemetry import TelemetryConfig
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, SynchronousMultiSpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

OTLP_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_propagator = TraceContextTextMapPropagator()
# One pipeline for the process; one provider per service on it, so that every span's resource names
# the service that made it even where one process hosts several (the tests, the gateway harness).
_pipeline = SynchronousMultiSpanProcessor()  # type: ignore[no-untyped-call]
_providers: dict[str, TracerProvider] = {}


def provider_for(service: str) -> TracerProvider:
    """The tracer provider of one service; the first one made is also the process's global provider."""
    if service in _providers:
        return _providers[service]
    first = not _providers
    provider = TracerProvider(
        resource=Resource.create({"service.name": service}),
        active_span_processor=_pipeline,
        shutdown_on_exit=first,
    )
    _providers[service] = provider
    if first:
        if any(os.environ.get(name) for name in OTLP_ENDPOINT_VARIABLES):
            # imported only when used: the exporter pulls protobuf in
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _pipeline.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if not isinstance(trace.get_tracer_provider(), TracerProvider):
            trace.set_tracer_provider(provider)
    return provider


def add_span_processor(processor: SpanProcessor) -> None:
    """Send every service's spans to one more processor as well (tests record them in memory)."""
    _pipeline.add_span_processor(processor)


def telemetry(service: str) -> TelemetryConfig:
    """FastAPI's own OpenTelemetry settings for a service's app: its server span per request (which
    continues the caller's ``traceparent``) on the service's provider. FastAPI's OpenTelemetry
    metrics and logs stay off: Prometheus serves the figures, and FastAPI's logs would carry
    exception messages, which may hold personal data."""
    return {"tracer_provider": provider_for(service), "metrics": False, "logs": False}


def tracer(service: str) -> trace.Tracer:
    return provider_for(service).get_tracer(f"qingchun.{service}")


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the active span, or ``None`` outside any span."""
    return outgoing_headers().get("traceparent")


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the active trace to the service being called."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


def parent_context(traceparent: str | None) -> otel_context.Context | None:
    """The remote parent a ``traceparent`` names (``None`` when absent or malformed: a new trace)."""
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent})


@contextmanager
def span(
    service: str,
    name: str,
    kind: SpanKind,
    parent: str | None = None,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span]:
    """A span of ``service``, child of ``parent`` (a traceparent) when given, else of the active span.

    An exception leaving the block marks the span as failed with the exception's type only: its
    message may hold personal data.
    """
    with tracer(service).start_as_current_span(
        name,
        context=parent_context(parent),
        kind=kind,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except Exception as exc:  # re-raised: only marks the span, by type (a message may carry input)
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def trace_id() -> str | None:
    """The active trace id as 32 hex digits (for logs), or ``None`` outside any span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
