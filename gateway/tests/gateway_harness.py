"""The four services and the gateway in one process on the real store and broker, as in
production but for the HTTP hop: the gateway's clients reach each service through an in-process
transport that records every call, so tests can count calls per service."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_gateway.services import ServicePool
from qingchun_plumbing.directory import OrganizationDirectory
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
