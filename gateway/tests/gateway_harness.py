"""The four services and the gateway in one process on the real store and broker, as in
production but for the HTTP hop: the gateway's clients reach each service through an in-process
transport that records every call, so tests can count calls per service."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import uvicorn
import websockets
from fastapi import FastAPI

from qingchun_gateway.services import ServicePool
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.testing.components import free_port
from qingchun_plumbing.testing.fixtures import Isolation

SERVICES = ("registry", "volunteering", "education", "employment")


class CountingTransport(httpx.ASGITransport):
    """An in-process transport that remembers which service was called, with what path."""

    def __init__(self, app: FastAPI, service: str, calls: list[tuple[str, str]]) -> None:
        super().__init__(app=app)
        self.service = service
        self.calls = calls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((self.service, request.url.path))
        return await super().handle_async_request(request)


def counting_pool(apps: dict[str, FastAPI], calls: list[tuple[str, str]]) -> ServicePool:
    return ServicePool(
        {
            name: httpx.AsyncClient(transport=CountingTransport(app, name, calls), base_url="http://service")
            for name, app in apps.items()
        }
    )


@dataclass
class GatewayStack:
    services: dict[str, httpx.AsyncClient]
    apps: dict[str, FastAPI]
    gateway: httpx.AsyncClient
    isolation: Isolation
    calls: list[tuple[str, str]]
    city_id: str = ""
    streets: dict[str, str] = field(default_factory=dict)

    def headers(
        self, *roles: str, scope: list[str] | None = None, subject: str | None = None
    ) -> dict[str, str]:
        return self.isolation.headers(*roles, scope=scope, subject=subject)

    def admin(self) -> dict[str, str]:
        return self.headers("city_admin", scope=[self.city_id])

    async def query(
        self, document: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Run a document through the gateway as the front end would; the whole JSON answer."""
        response = await self.gateway.post(
            "/graphql",
            json={"query": document, "variables": variables or {}},
            headers=self.admin() if headers is None else headers,
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def counted(self) -> Counter[str]:
        """Calls per service since the last ``counted()``."""
        made = Counter(service for service, _ in self.calls)
        self.calls.clear()
        return made

    async def org(self, name: str, type_: str, parent_id: str | None, **fields: Any) -> str:
        body = {"name": name, "type": type_, "parent_id": parent_id} | fields
        response = await self.services["registry"].post("/v1/organizations", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        org_id: str = response.json()["id"]
        await self.known(org_id)
        return org_id

    async def known(self, org_id: str, within: float = 10) -> None:
        """Wait until every other service heard of the organisation from the registry's events."""
        deadline = asyncio.get_running_loop().time() + within
        for name in SERVICES[1:]:
            directory = OrganizationDirectory(self.apps[name].state.runtime.db)
            while await directory.organization(org_id) is None:
                assert asyncio.get_running_loop().time() < deadline, f"{name} never heard of {org_id}"
                await asyncio.sleep(0.05)

    async def community(self, name: str, street: str = "新华街道团工委") -> str:
        if street not in self.streets:
            self.streets[street] = await self.org(street, "league_working_committee", self.city_id)
        return await self.org(name, "community", self.streets[street])

    async def activity(self, host_id: str, title: str = "七彩假期·暑期课业辅导", capacity: int = 10) -> str:
        start = datetime.now(UTC) + timedelta(days=7)
        shift = {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "capacity": capacity,
            "place": "文昌阁社区青年之家",
        }
        body = {
            "title": title,
            "host_organization_id": host_id,
            "category": "colourful_holiday",
            "brand": "七彩假期",
            "shifts": [shift],
        }
        client = self.services["volunteering"]
        response = await client.post("/v1/activities", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        activity_id: str = response.json()["id"]
        published = await client.post(f"/v1/activities/{activity_id}:publish", headers=self.admin())
        assert published.status_code == 200, published.text
        return activity_id

    async def volunteer(self, subject: str, **fields: object) -> str:
        """A volunteer profile for ``subject``, registered by themselves."""
        body = {
            "display_name": f"志愿者{subject}",
            "birth_date": "1998-05-04",
            "volunteer_type": "youth",
        } | fields
        response = await self.services["volunteering"].post(
            "/v1/volunteers", json=body, headers=self.headers("volunteer", subject=subject)
        )
        assert response.status_code == 201, response.text
        volunteer_id: str = response.json()["id"]
        return volunteer_id

    async def posting(self, employer_id: str, community_id: str, title: str, category: str) -> str:
        """A posting drafted, submitted and published by the city admin."""
        body = {
            "employer_organization_id": employer_id,
            "title": title,
            "category": category,
            "kind": "full_time",
            "headcount": 1,
            "requirements": "身体健康",
            "place_organization_id": community_id,
            "origin_community_id": community_id,
        }
        client = self.services["employment"]
        created = await client.post("/v1/postings", json=body, headers=self.admin())
        assert created.status_code == 201, created.text
        posting_id: str = created.json()["id"]
        for step in ("submit", "publish"):
            moved = await client.post(f"/v1/postings/{posting_id}:{step}", headers=self.admin())
            assert moved.status_code == 200, moved.text
        return posting_id

    async def first_shift(self, activity_id: str) -> str:
        found = await self.services["volunteering"].get(f"/v1/activities/{activity_id}", headers=self.admin())
        shift_id: str = found.json()["shift_ids"][0]
        return shift_id


class LiveGateway:
    """A gateway listening on a real port, so subscriptions run over a real WebSocket."""

    def __init__(self, app: FastAPI, address: str) -> None:
        self.app = app
        self.address = address

    async def subscribers(self, count: int, within: float = 10) -> None:
        """Wait until ``count`` subscriptions are reading the hub (a subscription has no "started"
        message in graphql-transport-ws, so an event sent before this could pass it by)."""
        deadline = asyncio.get_running_loop().time() + within
        while self.app.state.hub.subscriber_count < count:
            assert asyncio.get_running_loop().time() < deadline, "the subscriptions never started"
            await asyncio.sleep(0.02)

    def subscribe(
        self, document: str, token: str | None, variables: dict[str, Any] | None = None
    ) -> contextlib.AbstractAsyncContextManager[LiveSubscription]:
        """One graphql-transport-ws connection carrying one subscription."""
        return subscription(self.address, document, token, variables)


@contextlib.asynccontextmanager
async def subscription(
    address: str, document: str, token: str | None, variables: dict[str, Any] | None = None
) -> AsyncIterator[LiveSubscription]:
    """One graphql-transport-ws connection to the gateway at ``address`` carrying one subscription
    (shared with the cross-service tests, whose gateway runs as a separate process)."""
    async with websockets.connect(
        f"ws://{address}/graphql", subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as socket:
        payload = {} if token is None else {"Authorization": f"Bearer {token}"}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        acked = json.loads(await socket.recv())
        assert acked["type"] == "connection_ack", acked
        message = {"query": document, "variables": variables or {}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": message}))
        yield LiveSubscription(socket)


class LiveSubscription:
    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket

    async def next(self, within: float = 10) -> dict[str, Any]:
        """The next result (``data`` and/or ``errors``), as the protocol's ``next`` or ``error``."""
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), within))
            if message["type"] == "next":
                result: dict[str, Any] = message["payload"]
                return result
            if message["type"] == "error":
                return {"errors": message["payload"]}
            assert message["type"] in ("ping", "pong"), message

    async def closed(self, within: float = 10) -> tuple[int | None, str | None]:
        """The code and reason the server closed with; fails if a result arrives first or nothing
        closes in time."""
        deadline = asyncio.get_running_loop().time() + within
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                left = deadline - asyncio.get_running_loop().time()
                message = json.loads(await asyncio.wait_for(self.socket.recv(), left))
                assert message["type"] in ("ping", "pong"), f"{message} arrived before the close"
        return self.socket.close_code, self.socket.close_reason


@contextlib.asynccontextmanager
async def listening(app: FastAPI) -> AsyncIterator[LiveGateway]:
    """Serve ``app`` with uvicorn on a free loopback port for the duration of the block."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    deadline = asyncio.get_running_loop().time() + 20
    while not server.started:
        assert not serving.done(), "the gateway did not start"
        assert asyncio.get_running_loop().time() < deadline, "the gateway did not start in time"
        await asyncio.sleep(0.02)
    try:
        yield LiveGateway(app, f"127.0.0.1:{port}")
    finally:
        server.should_exit = True
        await serving
