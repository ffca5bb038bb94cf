"""The registry and employment running side by side on one isolated bus, as in production.

Education is not started: tests that need its facts (certificates, care cases) publish its events
on the real bus (``Stack.publish``), exactly as the education service would, duplicates included.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.testing.fixtures import Isolation


@dataclass
class Stack:
    registry: httpx.AsyncClient
    employment: httpx.AsyncClient
    employment_app: FastAPI
    isolation: Isolation
    city_id: str = ""

    @property
    def context(self) -> EmploymentContext:
        context: EmploymentContext = self.employment_app.state.employment
        return context

    def admin(self) -> dict[str, str]:
        return self.isolation.headers("city_admin", scope=[self.city_id] if self.city_id else None)

    def staff(self, org_id: str, role: str = "community_staff", subject: str | None = None) -> dict[str, str]:
        return self.isolation.headers(role, scope=[org_id], subject=subject)

    def person(self, subject: str, *roles: str) -> dict[str, str]:
        return self.isolation.headers(*(roles or ("volunteer",)), subject=subject)

    async def org(self, name: str, type_: str, parent_id: str | None, **fields: Any) -> str:
        body = {"name": name, "type": type_, "parent_id": parent_id} | fields
        response = await self.registry.post("/v1/organizations", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        org_id: str = response.json()["id"]
        await self.known(org_id)
        return org_id

    async def known(self, org_id: str, status: str = "active", within: float = 10) -> None:
        """Wait until employment heard of the organisation from the registry's events."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            found = await self.context.orgs.organization(org_id)
            if found is not None and found.get("status") == status:
                return
            assert asyncio.get_running_loop().time() < deadline, f"employment never heard of {org_id}"
            await asyncio.sleep(0.05)

    async def community(self, name: str = "文昌阁社区") -> str:
        """A street under the city and a community under it; returns the community's id."""
        street = await self.org("新华街道团工委", "league_working_committee", self.city_id)
        return await self.org(name, "community", street)

    async def employer(self, name: str = "孝感市金龙纺织有限公司", parent_id: str | None = None) -> str:
        """An enterprise under the city (or ``parent_id``)."""
        return await self.org(name, "enterprise", parent_id or self.city_id)

    async def publish(self, data: EventData, source: str = "/qingchun/education") -> Envelope:
        """Publish another service's event on the real bus, as that service would."""
        envelope = Envelope.wrap(data, source=source)
        await self.employment_app.state.runtime.bus.publish(envelope)
        return envelope

    async def republish(self, envelope: Envelope) -> None:
        """Deliver the very same event again (same id): what an at-least-once bus may do."""
        await self.employment_app.state.runtime.bus.publish(envelope)
