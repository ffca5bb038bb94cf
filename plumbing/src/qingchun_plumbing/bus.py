"""The event bus on RabbitMQ: one durable topic exchange, persistent messages, publisher confirms.

Topology (names carry the settings' ``bus_prefix`` so test runs never meet):

- ``qingchun.events``: the topic exchange every event is published to, routing key = event
  type without ``qingchun.``.
- ``qingchun.<service>``: a consuming service's durable quorum queue, bound to the keys it
  handles, dead-lettering to ``qingchun.dlx``.
- ``qingchun.<service>.retry.<ms>``: back-off tiers whose messages expire back into the
  service's own queue only (never re-published to the topic, so other consumers see nothing).
- ``qingchun.<service>.dead``: what failed every attempt, kept for inspection and replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

from qingchun_contracts import Envelope
from qingchun_plumbing.tracing import current_traceparent

CLOUDEVENTS_JSON = "application/cloudevents+json"
RETRY_DELAYS_MS = (1_000, 5_000, 30_000, 120_000)


@dataclass(frozen=True)
class Topology:
    """Every exchange and queue name, derived from one prefix."""

    prefix: str = ""

    @property
    def exchange(self) -> str:
        return f"{self.prefix}qingchun.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.prefix}qingchun.dlx"

    def queue(self, service: str) -> str:
        return f"{self.prefix}qingchun.{service}"

    def retry_queue(self, service: str, delay_ms: int) -> str:
        return f"{self.queue(service)}.retry.{delay_ms}"

    def dead_queue(self, service: str) -> str:
        return f"{self.queue(service)}.dead"

    def queues(self, service: str) -> list[str]:
        """All queues one consuming service owns."""
        retries = [self.retry_queue(service, d) for d in RETRY_DELAYS_MS]
        return [self.queue(service), *retries, self.dead_queue(service)]


def to_message(envelope: Envelope, headers: dict[str, object] | None = None) -> aio_pika.Message:
    """A persistent AMQP message in CloudEvents structured mode."""
    return aio_pika.Message(
        body=envelope.model_dump_json().encode(),
        content_type=CLOUDEVENTS_JSON,
        message_id=envelope.id,
        type=envelope.type,
        correlation_id=envelope.correlationid,
        timestamp=envelope.time,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        headers={"traceparent": envelope.traceparent or "", **(headers or {})},  # type: ignore[dict-item]
    )


class Bus:
    """A robust connection with a confirming channel for publishing."""

    def __init__(self, url: str, topology: Topology) -> None:
        self.url = url
        self.topology = topology
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None

    async def connect(self) -> None:
        self._connection = await aio_pika.connect_robust(self.url)
        self._channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await self._channel.declare_exchange(
            self.topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await self._channel.declare_exchange(
            self.topology.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
        )

    @property
    def connected(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def channel(self, prefetch: int) -> AbstractChannel:
        """A new confirming channel with its own prefetch, for one consumer."""
        if self._connection is None:
            raise RuntimeError("bus is not connected")
        channel = await self._connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=prefetch)
        return channel

    async def exchange(self, channel: AbstractChannel) -> AbstractExchange:
        return await channel.get_exchange(self.topology.exchange)

    async def publish(self, envelope: Envelope) -> None:
        """Publish and wait for the broker's confirm; raises if the broker refuses it.

        The message's ``traceparent`` header names the active (producer) span where there is one,
        so consumers hang under the publish; the envelope keeps the trace of the work that caused it.
        """
        if self._exchange is None:
            raise RuntimeError("bus is not connected")
        active = current_traceparent()
        message = to_message(envelope, {"traceparent": active} if active else None)
        await self._exchange.publish(message, routing_key=envelope.routing_key, timeout=30)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        self._connection = self._channel = self._exchange = None
