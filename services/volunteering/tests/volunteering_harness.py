"""The registry and volunteering running side by side on one isolated bus, as in production."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_plumbing.testing.fixtures import Isolation
from qingchun_volunteering.app.context import VolunteeringContext


@dataclass
class Stack:
    registry: httpx.AsyncClient
    volunteering: httpx.AsyncClient
    volunteering_app: FastAPI
    isolation: Isolation
    city_id: str = ""

    @property
    def context(self) -> VolunteeringContext:
        context: VolunteeringContext = self.volunteering_app.state.volunteering
        return context

    def admin(self) -> dict[str, str]:
        return self.isolation.headers("city_admin", scope=[self.city_id] if self.city_id else None)

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
        """Wait until volunteering heard of the organisation from the registry's events."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            found = await self.context.orgs.organization(org_id)
            if found is not None and found.get("status") == status:
                return
            assert asyncio.get_running_loop().time() < deadline, f"volunteering never heard of {org_id}"
            await asyncio.sleep(0.05)

    async def volunteer(self, subject: str, born: str = "1998-05-04", **fields: Any) -> dict[str, Any]:
        body = {"display_name": f"志愿者{subject}", "birth_date": born, "volunteer_type": "youth"} | fields
        response = await self.volunteering.post("/v1/volunteers", json=body, headers=self.person(subject))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def activity(
        self, host_id: str, capacity: int = 10, publish: bool = True, **fields: Any
    ) -> dict[str, Any]:
        start = datetime.now(UTC) + timedelta(days=7)
        shift = {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "capacity": capacity,
            "place": "育才街社区青年之家",
        }
        body = {
            "title": "七彩假期·暑期课业辅导",
            "host_organization_id": host_id,
            "category": "colourful_holiday",
            "brand": "七彩假期",
            "shifts": [shift],
        } | fields
        response = await self.volunteering.post("/v1/activities", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        activity: dict[str, Any] = response.json()
        if publish:
            published = await self.volunteering.post(
                f"/v1/activities/{activity['id']}:publish", headers=self.admin()
            )
            assert published.status_code == 200, published.text
        return activity
