"""One RabbitMQ consumer per gateway process, fanning live events out to the subscriptions it
serves: however many front ends subscribe, the broker sees one queue and one consumer per process.

The queue is exclusive and auto-deleted (a live feed, not a ledger: what happened while no gateway
listened is read through queries), bounded, and drops its oldest message when a process falls
behind. Each subscriber has its own bounded buffer; one that cannot keep up is ended with an error
rather than slowing the others or growing without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from pydantic import ValidationError

from qingchun_contracts import Envelope
from qingchun_plumbing.bus import Topology

_log = logging.getLogger("qingchun.gateway.live")


class SubscriberTooSlow(RuntimeError):
    """The subscriber's buffer filled up: it missed events and must resubscribe."""


@dataclass(eq=False)
class Subscriber:
    """One subscription's view of the feed: the event types it wants, in arrival order."""

    event_types: frozenset[str]
    buffer: int
    _queue: asyncio.Queue[Envelope | None] = field(init=False)
    overrun: bool = False

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(maxsize=self.buffer)

    def offer(self, envelope: Envelope) -> None:
        if self.overrun:
            return
        try:
            self._queue.put_nowait(envelope)
        except asyncio.QueueFull:
            self.overrun = True
            self._queue.get_nowait()  # make room for the end-of-feed marker
            self._queue.put_nowait(None)

    def __aiter__(self) -> AsyncIterator[Envelope]:
        return self._events()

    async def _events(self) -> AsyncIterator[Envelope]:
        while True:
            envelope = await self._queue.get()
            if envelope is None:
                raise SubscriberTooSlow(f"the subscription fell more than {self.buffer} events behind")
            yield envelope


class EventHub:
    """Binds the event types the graph's subscriptions use and fans each event out."""

    def __init__(
        self,
        amqp_url: str,
        topology: Topology,
        event_types: Iterable[str],
        *,
        subscriber_buffer: int = 100,
        queue_length: int = 10_000,
    ) -> None:
        self._url = amqp_url
        self._topology = topology
        self._event_types = frozenset(event_types)
        self._subscriber_buffer = subscriber_buffer
        self._queue_length = queue_length
        self._connection: AbstractRobustConnection | None = None
        self._subscribers: set[Subscriber] = set()

    @property
    def connected(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self._url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=200)
        exchange = await channel.declare_exchange(
            self._topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(
            "",
            exclusive=True,
            auto_delete=True,
            arguments={"x-max-length": self._queue_length, "x-overflow": "drop-head"},
        )
        for event_type in sorted(self._event_types):
            await queue.bind(exchange, routing_key=event_type.removeprefix("qingchun."))
        await queue.consume(self._on_message, no_ack=True)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        self._connection = None

    @contextlib.asynccontextmanager
    async def subscribe(self, event_types: Iterable[str]) -> AsyncIterator[Subscriber]:
        """A subscriber for the duration of one subscription."""
        wanted = frozenset(event_types)
        unknown = wanted - self._event_types
        if unknown:
            raise ValueError(f"the hub does not listen to {sorted(unknown)}")
        subscriber = Subscriber(wanted, self._subscriber_buffer)
        self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError:
            _log.warning("unreadable event skipped", extra={"message_id": message.message_id})
            return
        self.fan_out(envelope)

    def fan_out(self, envelope: Envelope) -> None:
        for subscriber in list(self._subscribers):
            if envelope.type in subscriber.event_types:
                subscriber.offer(envelope)
