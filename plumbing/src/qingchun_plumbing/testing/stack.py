"""A registry and one service on one isolated bus, as in production: the base of each service's
test harness.

The service learns organisations only from the registry's events, so ``org`` creates one through
the registry's API and waits until the service has heard of it. Other services' facts are
published on the real bus (``publish``), duplicates included (``republish``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.testing.fixtures import Isolation


@dataclass
class ServiceStack:
    registry: httpx.AsyncClient
    service: httpx.AsyncClient
    app: FastAPI
    isolation: Isolation
    city_id: str = ""
    street_ids: dict[str, str] = field(default_factory=dict)

    @property
    def directory(self) -> OrganizationDirectory:
        return OrganizationDirectory(self.app.state.runtime.db)

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

    async def community(self, name: str, street: str) -> str:
        """A community under a street of the city; the street is made once per stack, so a test
        can ask for several communities of one street. Returns the community's id."""
        if street not in self.street_ids:
            self.street_ids[street] = await self.org(street, "league_working_committee", self.city_id)
        return await self.org(name, "community", self.street_ids[street])

    async def known(self, org_id: str, status: str = "active", within: float = 10) -> None:
        """Wait until the service heard of the organisation (in this state) from the registry."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            found = await self.directory.organization(org_id)
            if found is not None and found.get("status") == status:
                return
            assert asyncio.get_running_loop().time() < deadline, f"the service never heard of {org_id}"
            await asyncio.sleep(0.05)

    async def publish(self, data: EventData, source: str) -> Envelope:
        """Publish another service's event on the real bus, as that service would."""
        envelope = Envelope.wrap(data, source=source)
        await self.app.state.runtime.bus.publish(envelope)
        return envelope

    async def republish(self, envelope: Envelope) -> None:
        """Deliver the very same event again (same id): what an at-least-once bus may do."""
        await self.app.state.runtime.bus.publish(envelope)
