"""Spans recorded in memory, so a test can follow one trace across the services it runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from qingchun_plumbing.tracing import add_span_processor


class SpanRecorder:
    """Every span finished while it records, with the service that made it."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    @property
    def spans(self) -> tuple[ReadableSpan, ...]:
        return self._exporter.get_finished_spans()

    def of(self, service: str) -> list[ReadableSpan]:
        return [s for s in self.spans if s.resource.attributes.get("service.name") == service]

    @staticmethod
    def trace_id(span: ReadableSpan) -> str:
        assert span.context is not None
        return format(span.context.trace_id, "032x")

    def in_trace(self, trace_id: str) -> list[ReadableSpan]:
        return [s for s in self.spans if self.trace_id(s) == trace_id]


@contextmanager
def recording_spans() -> Iterator[SpanRecorder]:
    """Attach an in-memory exporter to the process's span pipeline for the block's duration.

    The pipeline is process-wide and keeps its processors, so the exporter is shut down afterwards
    and records nothing more; its processor stays attached, idle.
    """
    exporter = InMemorySpanExporter()
    add_span_processor(SimpleSpanProcessor(exporter))
    try:
        yield SpanRecorder(exporter)
    finally:
        exporter.shutdown()
