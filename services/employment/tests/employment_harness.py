"""The registry and employment running side by side on one isolated bus, as in production.

Education is not started: tests that need its facts (certificates, care cases) publish its events
on the real bus (``Stack.publish``), exactly as the education service would, duplicates included.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.testing.stack import ServiceStack


class Stack(ServiceStack):
    @property
    def employment(self) -> httpx.AsyncClient:
        return self.service

    @property
    def employment_app(self) -> FastAPI:
        return self.app

    @property
    def context(self) -> EmploymentContext:
        context: EmploymentContext = self.app.state.employment
        return context

    async def community(self, name: str = "文昌阁社区", street: str = "新华街道团工委") -> str:
        """A community under 新华街道团工委 (made once); returns the community's id."""
        return await super().community(name, street)

    async def employer(self, name: str = "孝感市金龙纺织有限公司", parent_id: str | None = None) -> str:
        """An enterprise under the city (or ``parent_id``)."""
        return await self.org(name, "enterprise", parent_id or self.city_id)

    async def publish(self, data: EventData, source: str = "/qingchun/education") -> Envelope:
        return await super().publish(data, source)
