"""The registry under test: its HTTP client, its app and a caller that can speak as any role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from qingchun_plumbing.testing.fixtures import Isolation
from qingchun_registry.app.context import RegistryContext


@dataclass
class Registry:
    http: httpx.AsyncClient
    app: FastAPI
    isolation: Isolation
    admin: dict[str, str]

    @property
    def context(self) -> RegistryContext:
        context: RegistryContext = self.app.state.registry
        return context

    def as_(self, *roles: str, scope: list[str] | None = None) -> dict[str, str]:
        return self.isolation.headers(*roles, scope=scope)

    async def create(
        self,
        name: str,
        type_: str,
        parent_id: str | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        body = {"name": name, "type": type_, "parent_id": parent_id} | fields
        response = await self.http.post("/v1/organizations", json=body, headers=headers or self.admin)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def count(self) -> int:
        return await self.context.store._orgs.count_documents({})
