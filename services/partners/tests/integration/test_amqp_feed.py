"""Against the real RabbitMQ: a registered partner receives exactly the permitted events on its own
queue, is refused everything else (ACCESS_REFUSED), replays its stream from an offset, and loses its
access when its credentials are rotated or it is deregistered."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest
from aio_pika.abc import AbstractIncomingMessage
from aiormq.exceptions import ChannelAccessRefused, ChannelNotFoundEntity, ProbableAuthenticationError

from partners_harness import MANAGEMENT_AUTH, Stack, completed, drain, published
from qingchun_contracts import Envelope
from qingchun_contracts.volunteering import ActivityCompleted, ActivityPublished

EXAMPLE = Path(__file__).resolve().parents[4] / "contracts" / "examples" / "partner_consumer.py"
PUBLISHED = ActivityPublished.event_type
COMPLETED = ActivityCompleted.event_type


async def two_communities(stack: Stack) -> tuple[str, str]:
    return await stack.community("育才街社区", "城区街道团工委"), await stack.community(
        "西湖社区", "城区街道团工委"
    )


async def amqp_partner(stack: Stack, org_id: str, name: str = "灵武市总工会") -> dict[str, Any]:
    return await stack.register(
        {"name": name, "event_types": [PUBLISHED], "filters": {"organization_ids": [org_id]}}
    )


async def test_a_partner_receives_exactly_the_permitted_events(stack: Stack) -> None:
    ours, other = await two_communities(stack)
    registered = await amqp_partner(stack, ours)
    amqp = registered["credentials"]["amqp"]
    wanted = await stack.publish(published("act_1", ours))
    await stack.publish(published("act_2", other))  # outside its filter
    await stack.publish(completed("act_1", ours))  # a type it did not ask for
    wanted_again = await stack.publish(published("act_3", ours))
    await stack.republish(wanted)  # the bus delivers the same event twice
    await stack.delivered(registered["partner"]["id"], wanted_again.id)
    got = {e.id: e for e in await drain(amqp["url"], amqp["queue"], expect=2)}
    assert sorted(got) == sorted([wanted.id, wanted_again.id])  # once each; order is not promised
    assert got[wanted.id].payload() == published("act_1", ours)


async def test_a_partner_may_read_its_own_queue_and_nothing_else(stack: Stack) -> None:
    ours, other = await two_communities(stack)
    mine = (await amqp_partner(stack, ours))["credentials"]["amqp"]
    theirs = (await amqp_partner(stack, other, "灵武市图书馆"))["credentials"]["amqp"]
    connection = await aio_pika.connect(mine["url"])
    async with connection:
        own = await (await connection.channel()).declare_queue(mine["queue"], passive=True)
        assert own.name == mine["queue"]

        async def refused(attempt: Any) -> str:
            channel = await connection.channel()
            with pytest.raises(ChannelAccessRefused) as error:
                await attempt(channel)
            return str(error.value)

        async def declare(channel: aio_pika.abc.AbstractChannel) -> None:
            await channel.declare_queue(f"{mine['queue']}.mine", durable=True)

        async def publish(channel: aio_pika.abc.AbstractChannel) -> None:
            await channel.default_exchange.publish(aio_pika.Message(b"{}"), routing_key=mine["queue"])
            await channel.declare_queue(mine["queue"], passive=True)  # the refusal closes the channel

        async def ignore(message: AbstractIncomingMessage) -> None:
            return None

        async def consume_theirs(channel: aio_pika.abc.AbstractChannel) -> None:
            queue = await channel.get_queue(theirs["queue"], ensure=False)
            await queue.consume(ignore)

        async def declare_exchange(channel: aio_pika.abc.AbstractChannel) -> None:
            await channel.declare_exchange(f"{mine['queue']}.x", aio_pika.ExchangeType.FANOUT)

        for attempt in (declare, publish, consume_theirs, declare_exchange):
            assert "ACCESS_REFUSED" in await refused(attempt)


async def replay(url: str, stream_name: str, offset: int | str, expect: int) -> list[str]:
    """Event ids read from the partner's stream from ``offset``, as the partner's own user."""
    connection = await aio_pika.connect(url)
    replayed: list[str] = []
    arrived = asyncio.Event()
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=10)  # a stream consumer needs a prefetch
        stream = await channel.get_queue(stream_name, ensure=False)

        async def on_message(message: AbstractIncomingMessage) -> None:
            replayed.append(Envelope.model_validate_json(message.body).id)
            await message.ack()
            if len(replayed) == expect:
                arrived.set()

        await stream.consume(on_message, arguments={"x-stream-offset": offset})
        await asyncio.wait_for(arrived.wait(), 10)
        await asyncio.sleep(0.3)  # anything beyond ``expect`` would arrive now
    return replayed


async def test_a_partner_replays_its_stream_from_an_offset(stack: Stack) -> None:
    ours, _ = await two_communities(stack)
    registered = await amqp_partner(stack, ours)
    amqp = registered["credentials"]["amqp"]
    sent = [await stack.publish(published(f"act_{n}", ours)) for n in range(4)]
    for event in sent:
        await stack.delivered(registered["partner"]["id"], event.id)
    history = await replay(amqp["url"], amqp["stream"], "first", expect=4)
    assert sorted(history) == sorted(e.id for e in sent)
    assert await replay(amqp["url"], amqp["stream"], 1, expect=3) == history[1:]
    assert await replay(amqp["url"], amqp["stream"], 3, expect=1) == history[3:]
    assert (
        await example_consumer(
            "replay", "--url", amqp["url"], "--stream", amqp["stream"], "--offset", "1", "--max", "3"
        )
        == history[1:]
    )


async def example_consumer(*argv: str) -> list[str]:
    """Event ids the example consumer a partner runs (contracts/examples) prints."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLE), *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    return [json.loads(line)["id"] for line in out.decode().splitlines()]


async def test_a_full_queue_refuses_and_the_log_says_so_while_the_stream_keeps_it(stack: Stack) -> None:
    ours, _ = await two_communities(stack)
    registered = await amqp_partner(stack, ours)
    partner_id = registered["partner"]["id"]
    sent = [await stack.publish(published(f"act_{n}", ours)) for n in range(5)]  # the queue holds 5
    for event in sent:
        first = await stack.delivered(partner_id, event.id)
        assert first["amqp"] == {"queue": "published", "stream": "published"}
    sent.append(await stack.publish(published("act_5", ours)))
    last = await stack.delivered(partner_id, sent[-1].id)
    assert last["amqp"] == {"queue": "refused", "stream": "published"}
    amqp = registered["credentials"]["amqp"]
    in_queue = [e.id for e in await drain(amqp["url"], amqp["queue"], 5)]
    assert len(in_queue) == 5
    assert sent[-1].id not in in_queue
    in_stream = await replay(amqp["url"], amqp["stream"], "first", expect=6)
    assert sorted(in_stream) == sorted(e.id for e in sent)


async def test_rotation_stops_the_old_password_and_deregistration_removes_user_and_queues(
    stack: Stack,
) -> None:
    ours, _ = await two_communities(stack)
    registered = await amqp_partner(stack, ours)
    partner_id, old = registered["partner"]["id"], registered["credentials"]["amqp"]
    rotated = await stack.partners.post(
        f"/v1/partners/{partner_id}:rotate-credentials", headers=stack.admin()
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["credentials"]["amqp"]
    assert new["password"] != old["password"]
    with pytest.raises(ProbableAuthenticationError):
        await aio_pika.connect(old["url"])
    connection = await aio_pika.connect(new["url"])
    await connection.close()

    removed = await stack.partners.delete(f"/v1/partners/{partner_id}", headers=stack.admin())
    assert removed.status_code == 200, removed.text
    assert removed.json()["status"] == "deregistered"
    with pytest.raises(ProbableAuthenticationError):
        await aio_pika.connect(new["url"])
    async with httpx.AsyncClient(base_url=stack.management_url, auth=MANAGEMENT_AUTH) as http:
        assert (await http.get(f"/api/users/{new['username']}")).status_code == 404
    guest = await aio_pika.connect(stack.isolation.components.amqp_url)
    async with guest:
        for queue in (new["queue"], new["stream"]):
            with pytest.raises(ChannelNotFoundEntity):
                await (await guest.channel()).declare_queue(queue, passive=True)
    again = await stack.partners.delete(f"/v1/partners/{partner_id}", headers=stack.admin())
    assert (again.status_code, again.json()["version"]) == (200, removed.json()["version"])
