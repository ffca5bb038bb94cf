"""Consuming on the real broker: idempotent by event id (one delivery of an event at a time: the
others are deferred, a crashed holder's claim taken over), retried on the failing queue only,
dead-lettered after the last attempt."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta

import aio_pika
import pytest
from prometheus_client import REGISTRY

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.bus import Bus
from qingchun_plumbing.consumer import ATTEMPT_HEADER, DEFERRAL_HEADER, Consumer
from qingchun_plumbing.inbox import INBOX, LEASE, Inbox, apply_once, utc_now
from qingchun_plumbing.mongo import Database
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


def own_db(db: Database, service: str) -> Database:
    """Each service owns its database, and so its inbox."""
    return db.client[f"{db.name}_{service}"]


async def _consumer(
    isolation: Isolation,
    bus: Bus,
    db: Database,
    service: str,
    handler: Handler,
    max_attempts: int = 5,
    *,
    lease: timedelta = LEASE,
    max_deferrals: int = 5,
) -> Consumer:
    isolation.services.add(service)
    inbox = Inbox(own_db(db, service), lease=lease)
    handlers = {EVENT_TYPE: handler}
    consumer = Consumer(bus, inbox, service, handlers, max_attempts=max_attempts, max_deferrals=max_deferrals)
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
    await _eventually(lambda: Inbox(own_db(db, "idem")).seen(event.id))
    await asyncio.sleep(0.5)
    # a crash after the handler's write but before the inbox marked it handled: the handler runs again
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
    assert not await Inbox(own_db(db, "poison")).seen(event.id)
    await consumer.close()


def test_apply_once_guards_by_event_id() -> None:
    filter_, update = apply_once({"_id": "x"}, {"$set": {"on": date(2024, 1, 1).isoformat()}}, "e1")
    assert filter_ == {"_id": "x", "_applied_events": {"$ne": "e1"}}
    assert update["$push"]["_applied_events"] == {"$each": ["e1"], "$slice": -100}


def consumed(service: str, outcome: str) -> float:
    labels = {"service": service, "event_type": EVENT_TYPE, "outcome": outcome}
    return REGISTRY.get_sample_value("qingchun_consumer_events_total", labels) or 0.0


async def test_two_deliveries_at_once_run_the_handler_once(
    isolation: Isolation, bus: Bus, db: Database
) -> None:
    calls: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(envelope: Envelope) -> None:
        calls.append(envelope.id)
        entered.set()
        await release.wait()

    replicas = [await _consumer(isolation, bus, db, "twice", slow) for _ in range(2)]
    before = {o: consumed("twice", o) for o in ("deferred", "duplicate", "handled", "failed", "retried")}
    event = deactivated()
    await bus.publish(event)
    await asyncio.wait_for(entered.wait(), 10)
    await bus.publish(event)  # the same event again while the first delivery still runs its handler

    async def second_turned_away() -> bool:
        return consumed("twice", "deferred") > before["deferred"] or len(calls) > 1

    await _eventually(second_turned_away)
    assert calls == [event.id], "the second delivery ran the handler while the first held the event"
    release.set()

    async def deferred_copy_acked() -> bool:
        return consumed("twice", "duplicate") > before["duplicate"]

    await _eventually(deferred_copy_acked)
    assert calls == [event.id]
    assert consumed("twice", "handled") - before["handled"] == 1
    # the deferral is not a failure: no attempt was spent on it
    assert consumed("twice", "failed") == before["failed"]
    assert consumed("twice", "retried") == before["retried"]
    for replica in replicas:
        await replica.close()


async def test_a_crashed_holders_claim_is_taken_over(isolation: Isolation, bus: Bus, db: Database) -> None:
    event = deactivated()
    # a replica claimed the event an hour ago and crashed: its lease ran out long since
    crashed = Inbox(own_db(db, "takeover"), clock=lambda: utc_now() - timedelta(hours=1))
    assert (await crashed.claim(event)).held
    calls: list[str] = []

    async def count(envelope: Envelope) -> None:
        calls.append(envelope.id)

    before = consumed("takeover", "deferred")
    consumer = await _consumer(isolation, bus, db, "takeover", count)
    await bus.publish(event)
    await _eventually(lambda: Inbox(own_db(db, "takeover")).seen(event.id))
    assert calls == [event.id]
    assert consumed("takeover", "deferred") == before, "an expired claim is taken over, not waited for"
    document = await own_db(db, "takeover")[INBOX].find_one({"_id": event.id})
    assert document is not None
    assert (document["state"], "owner" in document, "lease_until" in document) == ("handled", False, False)
    await consumer.close()


async def test_a_failed_handler_releases_its_claim_for_the_retry(
    isolation: Isolation, bus: Bus, db: Database
) -> None:
    attempts: list[str] = []

    async def flaky(envelope: Envelope) -> None:
        attempts.append(envelope.id)
        if len(attempts) == 1:
            raise RuntimeError("store briefly unavailable")

    before = consumed("release", "deferred")
    # a claim left behind would hold the retry (1 s later) for the whole minute of its lease
    consumer = await _consumer(isolation, bus, db, "release", flaky, lease=timedelta(minutes=1))
    event = deactivated()
    await bus.publish(event)
    await _eventually(lambda: Inbox(own_db(db, "release")).seen(event.id))
    assert attempts == [event.id, event.id]
    assert consumed("release", "deferred") == before
    await consumer.close()


async def test_an_event_held_through_every_deferral_is_dead_lettered(
    isolation: Isolation, bus: Bus, db: Database
) -> None:
    event = deactivated()
    hung = Inbox(own_db(db, "hung"), lease=timedelta(hours=1))  # a holder that never finishes
    assert (await hung.claim(event)).held
    calls: list[str] = []

    async def count(envelope: Envelope) -> None:
        calls.append(envelope.id)

    before = {o: consumed("hung", o) for o in ("deferred", "failed", "dead_lettered")}
    consumer = await _consumer(isolation, bus, db, "hung", count, max_deferrals=1)
    await bus.publish(event)
    connection = await aio_pika.connect(isolation.components.amqp_url)
    async with connection:
        dead = await (await connection.channel()).get_queue(isolation.topology.dead_queue("hung"))
        letters: list[aio_pika.abc.AbstractIncomingMessage] = []

        async def dead_lettered() -> bool:
            message = await dead.get(fail=False, no_ack=True)
            if message is not None:
                letters.append(message)
            return bool(letters)

        await _eventually(dead_lettered)
    (letter,) = letters
    assert Envelope.model_validate_json(letter.body).id == event.id
    headers = letter.headers or {}
    assert (headers.get(DEFERRAL_HEADER), headers.get(ATTEMPT_HEADER)) == (1, None), "no attempt spent"
    assert calls == []
    deltas = {o: consumed("hung", o) - before[o] for o in before}
    assert deltas == {"deferred": 1, "failed": 0, "dead_lettered": 1}
    assert not await Inbox(own_db(db, "hung")).seen(event.id)
    await consumer.close()
