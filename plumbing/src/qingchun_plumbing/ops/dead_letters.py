"""A service's dead letters: listed without being consumed, and replayed onto the service's own
queue only (never the topic exchange, so no other service sees the event again).

A replayed event goes through the service's ordinary consumer, whose inbox makes it take effect
once however often it is replayed; its attempt count starts again at one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from pydantic import ValidationError

from qingchun_contracts import Envelope
from qingchun_plumbing.bus import Topology
from qingchun_plumbing.consumer import ATTEMPT_HEADER, DEFERRAL_HEADER

# broker bookkeeping of the failed deliveries: not carried into the replay
_DROPPED_HEADERS = {ATTEMPT_HEADER, DEFERRAL_HEADER, "x-death", "x-first-death-exchange",
                    "x-first-death-queue",
                    "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
                    "x-last-death-reason", "x-delivery-count"}  # fmt: skip
DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class DeadLetter:
    """What an operator needs to decide on a dead letter; never the event's data (it may be personal)."""

    event_id: str | None
    type: str | None
    source: str | None
    time: datetime | None
    correlation_id: str | None
    attempts: int
    decodable: bool

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["time"] = self.time.isoformat() if self.time else None
        return values


def describe(message: AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers or {}
    attempts = int(str(headers.get(ATTEMPT_HEADER, 1)))
    try:
        envelope = Envelope.model_validate_json(message.body)
    except ValidationError:
        return DeadLetter(message.message_id, None, None, None, message.correlation_id, attempts, False)
    return DeadLetter(
        envelope.id, envelope.type, envelope.source, envelope.time, envelope.correlationid, attempts, True
    )


async def _held(channel: AbstractChannel, queue_name: str, limit: int) -> list[AbstractIncomingMessage]:
    """Up to ``limit`` messages taken without ack: closing the channel puts back whatever is not acked."""
    queue = await channel.get_queue(queue_name, ensure=True)
    held: list[AbstractIncomingMessage] = []
    while len(held) < limit and (message := await queue.get(no_ack=False, fail=False)) is not None:
        held.append(message)
    return held


async def list_dead_letters(
    amqp_url: str, topology: Topology, service: str, limit: int = DEFAULT_LIMIT
) -> list[DeadLetter]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        return [describe(m) for m in await _held(channel, topology.dead_queue(service), limit)]


def replay_message(message: AbstractIncomingMessage) -> aio_pika.Message:
    """The dead letter as a fresh delivery: same body and ids, the trace kept, attempt count reset."""
    headers = {k: v for k, v in (message.headers or {}).items() if k not in _DROPPED_HEADERS}
    return aio_pika.Message(
        body=message.body,
        content_type=message.content_type,
        message_id=message.message_id,
        type=message.type,
        correlation_id=message.correlation_id,
        timestamp=message.timestamp,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        headers=headers,
    )


async def replay_dead_letters(
    amqp_url: str,
    topology: Topology,
    service: str,
    event_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[DeadLetter]:
    """Move dead letters (all, or the one with ``event_id``) back onto the service's queue.

    Each is published with a broker confirm before its dead copy is acked, so a crash in between
    leaves it in both queues, never in neither; the inbox makes the duplicate harmless.
    """
    connection = await aio_pika.connect(amqp_url)
    replayed: list[DeadLetter] = []
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for message in await _held(channel, topology.dead_queue(service), limit):
            letter = describe(message)
            if event_id is not None and event_id not in (letter.event_id, message.message_id):
                continue
            await channel.default_exchange.publish(
                replay_message(message), routing_key=topology.queue(service), timeout=30
            )
            await message.ack()
            replayed.append(letter)
    return replayed
