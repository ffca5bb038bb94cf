"""Consuming on the real broker: idempotent by event id, retried on the failing queue only,
dead-lettered after the last attempt."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date

import aio_pika
import pytest

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.bus import Bus
from qingchun_plumbing.consumer import Consumer
from qingchun_plumbing.inbox import Inbox, apply_once
from qingchun_plumbing.mongo import Database, connect, database
from qingchun_plumbing.testing.fixtures import Isolation

EVENT_TYPE = OrganizationDeactivated.event_type
Handler = Callable[[Envelope], Awaitable[None]]


def deactivated(org_id: str = "org_1") -> Envelope:
    return Envelope.wrap(
        OrganizationDeactivated(organization_id=org_id, reason_code="merged"), source="/test"
    )


@pytest.fixture
async def bus(isolation: Isolation) -> AsyncIterator[Bus]:
    connected = Bus(isolation.components.amqp_url, isolation.topology)
    await connected.connect()
    yield connected
    await connected.close()


@pytest.fixture
async def db(isolation: Isolation) -> AsyncIterator[Database]:
    client = connect(isolation.components.mongo_url)
    yield database(client, isolation.prefix, "consumer")
    await client.close()


async def _consumer(
    isolation: Isolation, bus: Bus, db: Database, service: str, handler: Handler, max_attempts: int = 5
) -> Consumer:
    isolation.services.add(service)
    own_db = db.client[f"{db.name}_{service}"]  # each service owns its database, and so its inbox
    consumer = Consumer(bus, Inbox(own_db), service, {EVENT_TYPE: handler}, max_attempts=max_attempts)
    await consumer.start()
    return consumer


async def _eventually(check: Callable[[], Awaitable[bool]], within: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.1)


async def test_a_redelivered_event_is_applied_once(isolation: Isolation, bus: Bus, db: Database) -> None:
    counters = db["counters"]
    await counters.insert_one({"_id": "org_1", "deactivations": 0})

    async def count(envelope: Envelope) -> None:
        await counters.update_one(*apply_once({"_id": "org_1"}, {"$inc": {"deactivations": 1}}, envelope.id))

    consumer = await _consumer(isolation, bus, db, "idem", count)
    event = deactivated()
    await bus.publish(event)
    await bus.publish(event)  # the broker delivers the same event again
    await _eventually(lambda: Inbox(db.client[f"{db.name}_idem"]).seen(event.id))
    await asyncio.sleep(0.5)
    # a crash after the handler's write but before the inbox record: the handler runs again
    await count(event)
    document = await counters.find_one({"_id": "org_1"})
    assert document is not None
    assert document["deactivations"] == 1
    await consumer.close()


async def test_a_failure_is_retried_on_the_failing_queue_only(
    isolation: Isolation, bus: Bus, db: Database
) -> None:
    attempts: list[str] = []
    others: list[str] = []

    async def flaky(envelope: Envelope) -> None:
        attempts.append(envelope.id)
        if len(attempts) == 1:
            raise RuntimeError("store briefly unavailable")

    async def bystander(envelope: Envelope) -> None:
        others.append(envelope.id)

    failing = await _consumer(isolation, bus, db, "flaky", flaky)
    healthy = await _consumer(isolation, bus, db, "bystander", bystander)
    event = deactivated()
    await bus.publish(event)

    async def retried() -> bool:
        return len(attempts) == 2

    await _eventually(retried)
    await asyncio.sleep(1.5)
    assert attempts == [event.id, event.id]
    assert others == [event.id], "the retry must not reach other services' queues"
    await failing.close()
    await healthy.close()


async def test_poison_and_undecodable_messages_are_dead_lettered(
    isolation: Isolation, bus: Bus, db: Database
) -> None:
    async def always_fails(_: Envelope) -> None:
        raise ValueError("cannot apply")

    consumer = await _consumer(isolation, bus, db, "poison", always_fails, max_attempts=2)
    event = deactivated()
    await bus.publish(event)
    connection = await aio_pika.connect(isolation.components.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(isolation.topology.exchange)
        await exchange.publish(
            aio_pika.Message(b"not json"), routing_key=OrganizationDeactivated.routing_key()
        )
        dead = await channel.get_queue(isolation.topology.dead_queue("poison"))
        bodies: list[bytes] = []

        async def both_dead() -> bool:
            message = await dead.get(fail=False, no_ack=True)
            if message is not None:
                bodies.append(message.body)
            return len(bodies) == 2

        await _eventually(both_dead, within=15)
    assert b"not json" in bodies
    assert any(Envelope.model_validate_json(b).id == event.id for b in bodies if b != b"not json")
    assert not await Inbox(db.client[f"{db.name}_poison"]).seen(event.id)
    await consumer.close()


def test_apply_once_guards_by_event_id() -> None:
    filter_, update = apply_once({"_id": "x"}, {"$set": {"on": date(2024, 1, 1).isoformat()}}, "e1")
    assert filter_ == {"_id": "x", "_applied_events": {"$ne": "e1"}}
    assert update["$push"]["_applied_events"] == {"$each": ["e1"], "$slice": -100}
