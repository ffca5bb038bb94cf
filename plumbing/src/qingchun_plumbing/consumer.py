"""Consuming events: one quorum queue per service, idempotent by event id, retried with
back-off on the failing queue only, dead-lettered after the last attempt.

Each delivery first claims its event id in the inbox (:mod:`qingchun_plumbing.inbox`), so two
deliveries of one event never run its handler at the same time:

- handled already: acked as a ``duplicate``;
- claimed (or taken over from a holder whose lease ran out): the handler runs while the claim's
  lease is renewed; success marks it handled and acks (``handled``), a failure releases the claim
  and goes to the retry tiers as before, spending one attempt (``failed``, then ``retried`` or
  ``dead_lettered``);
- held by another live delivery: not run and not lost but ``deferred``: a copy goes to the retry
  tiers (1 s, 5 s, 30 s, 120 s, then 120 s) counted in its own header, ``x-qingchun-deferrals``,
  without spending an attempt. By its next visit the holder has usually finished (the copy is
  then a ``duplicate``) or failed and released it (the copy claims it); if the holder crashed, its
  lease (30 s) has run out within three deferrals and the copy takes the claim over. A copy still
  turned away after ``max_deferrals`` is ``dead_lettered`` (a holder that renewed its lease for
  minutes: a hung handler), kept for inspection and replay like any dead letter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue
from aiormq.abc import FieldTable
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from pydantic import ValidationError

from qingchun_contracts import Envelope
from qingchun_plumbing.bus import RETRY_DELAYS_MS, Bus
from qingchun_plumbing.events import causation_id, traceparent
from qingchun_plumbing.inbox import Inbox, Verdict
from qingchun_plumbing.logs import correlation_id
from qingchun_plumbing.metrics import CONSUMED, LAG_SECONDS
from qingchun_plumbing.tracing import span

Handler = Callable[[Envelope], Awaitable[None]]
ATTEMPT_HEADER = "x-qingchun-attempt"
DEFERRAL_HEADER = "x-qingchun-deferrals"
_log = logging.getLogger("qingchun.consumer")


def header_text(message: AbstractIncomingMessage, name: str) -> str | None:
    """A string header as text (the broker may hand it back as bytes); ``None`` when absent or empty."""
    value = (message.headers or {}).get(name)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value if isinstance(value, str) and value else None


def header_count(message: AbstractIncomingMessage, name: str, default: int) -> int:
    """A counting header (attempts, deferrals) as a number."""
    return int(str((message.headers or {}).get(name, default)))


def retry_delay_ms(visit: int) -> int:
    """The back-off tier of the n-th retry (or deferral): the last tier once they run out."""
    return RETRY_DELAYS_MS[min(visit, len(RETRY_DELAYS_MS)) - 1]


class Consumer:
    """Declares a service's queues, binds the event types it handles and runs their handlers."""

    def __init__(
        self,
        bus: Bus,
        inbox: Inbox,
        service: str,
        handlers: Mapping[str, Handler],
        *,
        prefetch: int = 20,
        max_attempts: int = 5,
        max_deferrals: int = 5,
    ) -> None:
        self._bus = bus
        self._inbox = inbox
        self._service = service
        self._handlers = dict(handlers)
        self._prefetch = prefetch
        self._max_attempts = max_attempts
        self._max_deferrals = max_deferrals
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None

    @property
    def event_types(self) -> frozenset[str]:
        """The event types this consumer binds and handles."""
        return frozenset(self._handlers)

    @property
    def queue_name(self) -> str:
        return self._bus.topology.queue(self._service)

    async def declare(self) -> AbstractQueue:
        """Create (idempotently) the service queue, its retry tiers and its dead-letter queue."""
        topology = self._bus.topology
        self._channel = channel = await self._bus.channel(self._prefetch)
        quorum: FieldTable = {"x-queue-type": "quorum"}
        dead = await channel.declare_queue(topology.dead_queue(self._service), durable=True, arguments=quorum)
        await dead.bind(topology.dead_letter_exchange, routing_key=self.queue_name)
        for delay in RETRY_DELAYS_MS:
            await channel.declare_queue(
                topology.retry_queue(self._service, delay),
                durable=True,
                arguments=quorum
                | {
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": self.queue_name,
                },
            )
        queue = await channel.declare_queue(
            self.queue_name,
            durable=True,
            arguments=quorum
            | {
                "x-dead-letter-exchange": topology.dead_letter_exchange,
                "x-dead-letter-routing-key": self.queue_name,
            },
        )
        exchange = await self._bus.exchange(channel)
        for event_type in self._handlers:
            await queue.bind(exchange, routing_key=event_type.removeprefix("qingchun."))
        self._queue = queue
        return queue

    async def start(self) -> None:
        queue = await self.declare()
        await queue.consume(self.handle)

    async def handle(self, message: AbstractIncomingMessage) -> None:
        """Apply one delivery at most once; ack, retry later, or dead-letter."""
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError:
            _log.error("undecodable message dead-lettered", extra={"message_id": message.message_id})
            CONSUMED.labels(self._service, "undecodable", "dead_lettered").inc()
            await message.reject(requeue=False)
            return
        handler = self._handlers.get(envelope.type)
        if handler is None:
            _log.error("no handler for event type; dead-lettered", extra={"event_type": envelope.type})
            CONSUMED.labels(self._service, "unhandled", "dead_lettered").inc()
            await message.reject(requeue=False)
            return
        attributes: dict[str, str | int] = {
            "messaging.system": "rabbitmq",
            "messaging.destination.name": self.queue_name,
            "messaging.message.id": envelope.id,
            "qingchun.attempt": header_count(message, ATTEMPT_HEADER, 1),
        }
        # the publish span's traceparent (header) first, else the trace the envelope was made in
        parent = header_text(message, "traceparent") or envelope.traceparent
        with span(self._service, f"process {envelope.type}", SpanKind.CONSUMER, parent, attributes):
            await self._handle(message, envelope, handler)

    async def _handle(self, message: AbstractIncomingMessage, envelope: Envelope, handler: Handler) -> None:
        tokens = (
            correlation_id.set(envelope.correlationid or envelope.id),
            causation_id.set(envelope.id),
            traceparent.set(envelope.traceparent),
        )
        try:
            claim = await self._inbox.claim(envelope)
            if claim.verdict is Verdict.HANDLED:
                await message.ack()
                CONSUMED.labels(self._service, envelope.type, "duplicate").inc()
                return
            if not claim.held:
                await self._defer(message, envelope)
                return
            async with self._inbox.holding(claim):
                await handler(envelope)
            await message.ack()
            CONSUMED.labels(self._service, envelope.type, "handled").inc()
            lag = (datetime.now(UTC) - envelope.time).total_seconds()
            LAG_SECONDS.labels(self._service, envelope.type).observe(max(lag, 0.0))
        except Exception as exc:  # any handler failure is retried, then dead-lettered
            trace.get_current_span().set_status(Status(StatusCode.ERROR, type(exc).__name__))
            CONSUMED.labels(self._service, envelope.type, "failed").inc()
            await self._retry_or_dead_letter(message, envelope, exc)
        finally:
            correlation_id.reset(tokens[0])
            causation_id.reset(tokens[1])
            traceparent.reset(tokens[2])

    async def _retry_or_dead_letter(
        self, message: AbstractIncomingMessage, envelope: Envelope, exc: Exception
    ) -> None:
        attempt = header_count(message, ATTEMPT_HEADER, 1)
        context = {
            "event_id": envelope.id,
            "event_type": envelope.type,
            "attempt": attempt,
            "error_type": type(exc).__name__,
        }
        channel = self._channel
        if attempt >= self._max_attempts or channel is None:
            _log.error("event dead-lettered after last attempt", extra=context)
            await message.reject(requeue=False)
            CONSUMED.labels(self._service, envelope.type, "dead_lettered").inc()
            return
        delay = retry_delay_ms(attempt)
        await self._later(channel, message, delay, {ATTEMPT_HEADER: attempt + 1})
        CONSUMED.labels(self._service, envelope.type, "retried").inc()
        _log.warning("event handling failed; retry scheduled", extra=context | {"delay_ms": delay})

    async def _defer(self, message: AbstractIncomingMessage, envelope: Envelope) -> None:
        """Another delivery holds the event: look again later, without spending an attempt."""
        deferrals = header_count(message, DEFERRAL_HEADER, 0)
        context = {"event_id": envelope.id, "event_type": envelope.type, "deferrals": deferrals}
        channel = self._channel
        if deferrals >= self._max_deferrals or channel is None:
            _log.error("event dead-lettered: another delivery held it through every deferral", extra=context)
            await message.reject(requeue=False)
            CONSUMED.labels(self._service, envelope.type, "dead_lettered").inc()
            return
        delay = retry_delay_ms(deferrals + 1)
        await self._later(channel, message, delay, {DEFERRAL_HEADER: deferrals + 1})
        CONSUMED.labels(self._service, envelope.type, "deferred").inc()
        _log.info("event held by another delivery; deferred", extra=context | {"delay_ms": delay})

    async def _later(
        self, channel: AbstractChannel, message: AbstractIncomingMessage, delay: int, counts: dict[str, int]
    ) -> None:
        """Put a copy (with updated counting headers) on the back-off tier of ``delay``, then ack."""
        headers = dict(message.headers or {}) | counts
        retry = aio_pika.Message(
            body=message.body,
            content_type=message.content_type,
            message_id=message.message_id,
            type=message.type,
            correlation_id=message.correlation_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            headers=headers,
        )
        await channel.default_exchange.publish(
            retry, routing_key=self._bus.topology.retry_queue(self._service, delay)
        )
        await message.ack()

    async def close(self) -> None:
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()
        self._channel = None
