"""A partner's queue and stream on the broker, and publishing into them with confirms.

The queue is durable and bounded (``x-max-length``) with ``x-overflow: reject-publish``: when the
partner stops reading, the broker refuses new messages (a nack this adapter reports) instead of
dropping old ones silently. The stream (``x-queue-type: stream``) keeps ``x-max-age`` of history
for replay by offset or time. Messages reach both through the default exchange, addressed by name.
"""

from __future__ import annotations

from aio_pika.abc import AbstractChannel
from aiormq.exceptions import DeliveryError

from qingchun_contracts import Envelope
from qingchun_partners.domain.names import PartnerNames
from qingchun_plumbing.bus import Bus, to_message


class PartnerFeeds:
    def __init__(self, bus: Bus, max_length: int, max_age: str) -> None:
        self._bus = bus
        self._max_length = max_length
        self._max_age = max_age
        self._channel: AbstractChannel | None = None

    async def _publisher(self) -> AbstractChannel:
        if self._channel is None or self._channel.is_closed:
            self._channel = await self._bus.channel(prefetch=1)
        return self._channel

    async def declare(self, names: PartnerNames) -> None:
        channel = await self._bus.channel(prefetch=1)
        try:
            await channel.declare_queue(
                names.queue,
                durable=True,
                arguments={"x-max-length": self._max_length, "x-overflow": "reject-publish"},
            )
            await channel.declare_queue(
                names.stream, durable=True, arguments={"x-queue-type": "stream", "x-max-age": self._max_age}
            )
        finally:
            await channel.close()

    async def delete(self, names: PartnerNames) -> None:
        channel = await self._bus.channel(prefetch=1)
        try:
            await channel.queue_delete(names.queue)
            await channel.queue_delete(names.stream)
        finally:
            await channel.close()

    async def publish(self, queue: str, envelope: Envelope) -> bool:
        """True when the broker confirmed; False when it refused (the partner's queue is full)."""
        channel = await self._publisher()
        try:
            await channel.default_exchange.publish(
                to_message(envelope), routing_key=queue, mandatory=True, timeout=30
            )
        except DeliveryError:
            return False
        return True

    async def close(self) -> None:
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()
