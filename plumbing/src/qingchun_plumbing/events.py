"""Making envelopes for a service's events, carrying the current correlation and cause."""

from __future__ import annotations

from contextvars import ContextVar

from qingchun_contracts import Envelope, EventData
from qingchun_plumbing.logs import correlation_id
from qingchun_plumbing.tracing import current_traceparent

# The id of the event being handled, so that events it causes name it as their cause.
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
# The handled event's traceparent: the fallback where no span is active.
traceparent: ContextVar[str | None] = ContextVar("traceparent", default=None)


class EventFactory:
    """Wraps payloads of one service into envelopes."""

    def __init__(self, service: str) -> None:
        self.source = f"/qingchun/{service}"

    def envelope(self, data: EventData, subject: str | None = None) -> Envelope:
        """The event of the work in hand: the active span's traceparent rides through the outbox."""
        return Envelope.wrap(
            data,
            source=self.source,
            subject=subject,
            correlation_id=correlation_id.get(),
            causation_id=causation_id.get(),
            traceparent=current_traceparent() or traceparent.get(),
        )
