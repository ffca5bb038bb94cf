"""The registry and the partner service on one isolated bus, the real broker's management API, and a
local HTTP receiver standing in for a partner's webhook endpoint.

Also the events the tests publish and the partner's side of its queue. Partner users and queues
carry the test's prefix; :func:`remove_partner_leftovers` deletes every one
after the test through the management API, whatever the test left behind.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aio_pika
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_contracts.volunteering import ActivityCompleted, ActivityPublished
from qingchun_contracts.webhooks import CHALLENGE_TYPE, SIGNATURE_HEADER, request_message, sign
from qingchun_partners.app.context import PartnersContext
from qingchun_plumbing.testing.components import free_port
from qingchun_plumbing.testing.stack import ServiceStack

MANAGEMENT_AUTH = ("guest", "guest")


class Stack(ServiceStack):
    management_url: str = ""

    @property
    def partners(self) -> httpx.AsyncClient:
        return self.service

    @property
    def context(self) -> PartnersContext:
        context: PartnersContext = self.app.state.partners
        return context

    async def register(self, body: dict[str, Any], expect: int = 201) -> dict[str, Any]:
        response = await self.partners.post("/v1/partners", json=body, headers=self.admin())
        assert response.status_code == expect, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def publish(self, data: EventData, source: str = "/qingchun/volunteering") -> Envelope:
        return await super().publish(data, source)

    async def delivered(self, partner_id: str, event_id: str, within: float = 10) -> dict[str, Any]:
        """The delivery of an event to a partner, once the fan-out has finished with it (its queue and
        stream each published or refused, where it has them)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            response = await self.partners.get(
                f"/v1/partners/{partner_id}/deliveries", params={"limit": 200}, headers=self.admin()
            )
            for item in response.json()["items"]:
                amqp = item["amqp"]
                settled = amqp is None or (len(amqp) == 2 and "publishing" not in amqp.values())
                if item["event_id"] == event_id and settled:
                    found: dict[str, Any] = item
                    return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no delivery of {event_id} to {partner_id}")


def signed_headers(
    secret: str, method: str, path: str, body: bytes = b"", at: int | None = None
) -> dict[str, str]:
    """Headers of a request the partner signs itself with its webhook secret."""
    timestamp = int(time.time()) if at is None else at
    return {SIGNATURE_HEADER: sign(secret, request_message(method, path, body), timestamp)}


async def remove_partner_leftovers(management_url: str, prefix: str) -> None:
    """Delete every broker user and queue the test's prefix names (partner users, queues, streams)."""
    async with httpx.AsyncClient(base_url=management_url, auth=MANAGEMENT_AUTH, timeout=10) as http:
        users = (await http.get("/api/users")).json()
        for user in users:
            if str(user["name"]).startswith(f"{prefix}partner."):
                await http.delete(f"/api/users/{quote(user['name'], safe='')}")
        queues = (await http.get("/api/queues/%2F", params={"columns": "name"})).json()
        for queue in queues:
            if str(queue["name"]).startswith(f"{prefix}qingchun.partner."):
                await http.delete(f"/api/queues/%2F/{quote(queue['name'], safe='')}")


@dataclass
class Receiver:
    """A partner's webhook endpoint on 127.0.0.1: answers the ownership challenge (unless told not
    to), records every delivery, and fails with 500 while ``failing`` is set."""

    url: str = ""
    failing: bool = False
    echo_challenge: bool = True
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    challenges: int = 0

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = {}
        if isinstance(parsed, dict) and parsed.get("type") == CHALLENGE_TYPE:
            self.challenges += 1
            if not self.echo_challenge:
                return JSONResponse({"challenge": "something else"})
            return JSONResponse({"challenge": parsed["challenge"]})
        if self.failing:
            return Response("receiver down", status_code=500)
        self.received.append((dict(request.headers), body))
        return Response(status_code=204)

    def events(self) -> list[str]:
        return [Envelope.model_validate_json(body).id for _, body in self.received]


@asynccontextmanager
async def listening(app: Any) -> AsyncIterator[str]:
    """A real HTTP server (uvicorn) for an ASGI app on a free loopback port; yields its base URL.
    The app's lifespan is not run again: it is already running (or has none)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn offers no event to wait on  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def receiving() -> AsyncIterator[Receiver]:
    """A partner's webhook endpoint on a real loopback port for the test's duration."""
    receiver = Receiver()
    async with listening(Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])) as url:
        receiver.url = f"{url}/hook"
        yield receiver


def published(activity: str, host: str) -> ActivityPublished:
    return ActivityPublished(
        activity_id=activity,
        title="七彩假期",
        host_organization_id=host,
        category="education",
        shift_count=1,
        total_capacity=20,
    )


def completed(activity: str, host: str) -> ActivityCompleted:
    return ActivityCompleted(
        activity_id=activity,
        host_organization_id=host,
        category="education",
        sessions=1,
        participants=12,
        credited_minutes=720,
    )


async def drain(url: str, queue: str, expect: int, settle: float = 0.5) -> list[Envelope]:
    """Everything in the partner's queue, read as the partner (``expect`` messages, then a pause that
    would show any extra one)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        own = await channel.declare_queue(queue, passive=True)
        got: list[Envelope] = []
        deadline = asyncio.get_running_loop().time() + 10
        while len(got) < expect and asyncio.get_running_loop().time() < deadline:
            message = await own.get(fail=False)
            if message is None:
                await asyncio.sleep(0.05)
                continue
            got.append(Envelope.model_validate_json(message.body))
            await message.ack()
        await asyncio.sleep(settle)
        while (extra := await own.get(fail=False)) is not None:
            got.append(Envelope.model_validate_json(extra.body))
            await extra.ack()
        return got


async def until(check: Any, within: float = 10) -> None:
    """Wait for a condition the service brings about in the background (a webhook received)."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the condition never came true"
        await asyncio.sleep(0.05)
