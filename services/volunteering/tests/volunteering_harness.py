"""The registry and volunteering running side by side on one isolated bus, as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_plumbing.testing.stack import ServiceStack
from qingchun_volunteering.app.context import VolunteeringContext


class Stack(ServiceStack):
    @property
    def volunteering(self) -> httpx.AsyncClient:
        return self.service

    @property
    def volunteering_app(self) -> FastAPI:
        return self.app

    @property
    def context(self) -> VolunteeringContext:
        context: VolunteeringContext = self.app.state.volunteering
        return context

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
