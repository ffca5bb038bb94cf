"""Partner users through the RabbitMQ management HTTP API (what production runs with: the plugin is
part of every RabbitMQ image and cluster operator). Only users and their permissions go this way;
queues are declared over AMQP by :mod:`qingchun_partners.adapters.feeds`."""

from __future__ import annotations

import logging
from urllib.parse import quote

import httpx

from qingchun_partners.domain.names import NOTHING, PartnerNames

_log = logging.getLogger("qingchun.partners.management")


class BrokerAdminError(RuntimeError):
    """The management API refused or failed; the message names the step, never a password."""


class ManagementApi:
    """Creates a partner's user with read-only permission on its own queue and stream."""

    def __init__(self, url: str, user: str, password: str, vhost: str, timeout: float = 10.0) -> None:
        self._http = httpx.AsyncClient(base_url=url.rstrip("/"), auth=(user, password), timeout=timeout)
        self._vhost = quote(vhost, safe="")

    async def _call(self, step: str, method: str, path: str, body: object | None = None) -> httpx.Response:
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise BrokerAdminError(
                f"{step}: the management API does not answer ({type(exc).__name__})"
            ) from None
        if response.status_code >= 400 and response.status_code != 404:
            raise BrokerAdminError(f"{step}: the management API answered {response.status_code}")
        return response

    async def put_user(self, names: PartnerNames, password: str) -> None:
        """Create the user (or give it a new password) and set its permissions."""
        user = quote(names.username, safe="")
        await self._call("user", "PUT", f"/api/users/{user}", {"password": password, "tags": ""})
        permissions = {"configure": NOTHING, "write": NOTHING, "read": names.read_pattern}
        await self._call("permissions", "PUT", f"/api/permissions/{self._vhost}/{user}", permissions)
        _log.info("partner user set", extra={"username": names.username})

    async def delete_user(self, names: PartnerNames) -> None:
        """Remove the user (its permissions go with it); an absent user is already removed."""
        await self._call("delete user", "DELETE", f"/api/users/{quote(names.username, safe='')}")

    async def users(self, prefix: str) -> list[str]:
        """Names of the users that start with ``prefix`` (for clean-up and checks)."""
        response = await self._call("list users", "GET", "/api/users")
        return [u["name"] for u in response.json() if str(u["name"]).startswith(prefix)]

    async def close_connections(self, names: PartnerNames) -> int:
        """Close the user's open connections, so a rotated or removed credential stops working now."""
        response = await self._call("connections", "GET", "/api/connections")
        closed = 0
        for connection in response.json() if response.status_code == 200 else []:
            if connection.get("user") == names.username:
                await self._call("close", "DELETE", f"/api/connections/{quote(connection['name'], safe='')}")
                closed += 1
        return closed

    async def close(self) -> None:
        await self._http.aclose()
