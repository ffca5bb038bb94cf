"""The registry and education running side by side on one isolated bus, as in production.

Volunteering is not started: tests that need its facts publish its events on the real bus
(``Stack.publish``), exactly as the volunteering service would, duplicates included.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from qingchun_contracts import Envelope
from qingchun_contracts.base import EventData
from qingchun_education.app.context import EducationContext
from qingchun_plumbing.testing.stack import ServiceStack


class Stack(ServiceStack):
    @property
    def education(self) -> httpx.AsyncClient:
        return self.service

    @property
    def education_app(self) -> FastAPI:
        return self.app

    @property
    def context(self) -> EducationContext:
        context: EducationContext = self.app.state.education
        return context

    async def community(self, name: str = "育才街社区", street: str = "城北街道团工委") -> str:
        """A community under 城北街道团工委 (made once); returns the community's id."""
        return await super().community(name, street)

    async def publish(self, data: EventData, source: str = "/qingchun/volunteering") -> Envelope:
        return await super().publish(data, source)
