"""What every service's demo loader needs: a checked call, a registry lookup by name, and a create
that waits until the service has heard of an organisation from the registry's events."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class DemoRefused(RuntimeError):
    """A demo write was refused; the message carries the response."""


async def call(client: httpx.AsyncClient, method: str, path: str, token: str, body: Any = None) -> Any:
    response = await client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
    if not response.is_success:
        raise DemoRefused(f"{method} {path} answered {response.status_code}: {response.text}")
    return response.json()


async def org_id(registry: httpx.AsyncClient, token: str, name: str) -> str:
    found = await call(registry, "GET", f"/v1/organizations?name_prefix={name}", token)
    for item in found["items"]:
        if item["name"] == name:
            return str(item["id"])
    raise DemoRefused(f"the registry demo has no {name}; run the registry demo first")


async def create_when_known(
    client: httpx.AsyncClient, path: str, token: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Services learn organisations from events: retry while this one has not heard of it yet."""
    for _ in range(100):
        response = await client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code == 201:
            created: dict[str, Any] = response.json()
            return created
        if response.json().get("code") != "unknown_organization":
            raise DemoRefused(f"POST {path} answered {response.status_code}: {response.text}")
        await asyncio.sleep(0.1)
    raise DemoRefused(
        f"{client.base_url} never heard of the demo organisations: it missed the registry's events "
        "(a service added after the demo data was loaded). Replay them into its read model: "
        "QINGCHUN_OPS_TOKEN=$(make -s token) uv run python -m qingchun_plumbing.ops <service> "
        "rebuild-read-model --registry-url http://127.0.0.1:8101 && make up; "
        "or reset the demo data: make down && rm -rf .data/secantus && make up"
    )
