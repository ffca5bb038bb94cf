"""The services' REST APIs as the gateway calls them: one pooled client per service, the caller's
own token forwarded (every service checks it again), and each problem+json answer turned into a
GraphQL error that keeps the service's stable ``code`` and offending ``field``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
import orjson
from graphql import GraphQLError

from qingchun_gateway.settings import SERVICES, GatewaySettings
from qingchun_plumbing.observe import outgoing_headers

Params = Mapping[str, str | int | bool | list[str] | None]


def graphql_name(field: str) -> str:
    """A service's field path (``shifts.0.pay_max``) as the graph spells it (``shifts.0.payMax``)."""
    head, *rest = field.split("_")
    camel = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return ".".join(graphql_name(p) for p in field.split(".")) if "." in field else camel


class ServiceError(GraphQLError):
    """A service refused or failed a call; ``extensions`` say which service, the code and field."""

    def __init__(self, service: str, status: int, body: Mapping[str, Any]) -> None:
        code = str(body.get("code") or ("service_unavailable" if status >= 500 else "bad_request"))
        detail = str(body.get("detail") or body.get("title") or "the service refused the request")
        extensions: dict[str, Any] = {"code": code, "status": status, "service": service}
        if body.get("field"):
            extensions["field"] = graphql_name(str(body["field"]))
        if status >= 500:  # never pass a server's own words on
            detail = f"the {service} service failed; try again later"
        super().__init__(detail, extensions=extensions)


class ServiceClient:
    """One service, called with one caller's token."""

    def __init__(self, name: str, http: httpx.AsyncClient, authorization: str | None) -> None:
        self.name = name
        self._http = http
        self._headers = {"Authorization": authorization} if authorization else {}

    async def get(self, path: str, params: Params | None = None) -> Any:
        query = {k: v for k, v in (params or {}).items() if v is not None}
        return await self._send("GET", path, params=query)

    async def post(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        return await self._send("POST", path, json=dict(body) if body is not None else None)

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            headers = self._headers | outgoing_headers()  # the request's trace and correlation id
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError:
            raise ServiceError(self.name, 503, {"code": "service_unavailable"}) from None
        if response.status_code >= 400:
            try:
                body = orjson.loads(response.content)
            except orjson.JSONDecodeError:
                body = {}
            raise ServiceError(self.name, response.status_code, body if isinstance(body, dict) else {})
        return orjson.loads(response.content)


class ServicePool:
    """The long-lived HTTP clients, one per service, shared by every request of this process."""

    def __init__(self, clients: Mapping[str, httpx.AsyncClient]) -> None:
        missing = set(SERVICES) - set(clients)
        if missing:
            raise ValueError(f"no client for {sorted(missing)}")
        self.clients = dict(clients)

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> ServicePool:
        limits = httpx.Limits(max_connections=settings.service_connections)
        timeout = httpx.Timeout(settings.service_timeout_seconds)
        return cls(
            {
                name: httpx.AsyncClient(base_url=settings.service_url(name), limits=limits, timeout=timeout)
                for name in SERVICES
            }
        )

    def for_caller(self, authorization: str | None) -> dict[str, ServiceClient]:
        return {name: ServiceClient(name, http, authorization) for name, http in self.clients.items()}

    async def health(self) -> dict[str, bool]:
        """Whether each service answers ``/healthz``."""

        async def answers(http: httpx.AsyncClient) -> bool:
            try:
                return (await http.get("/healthz")).status_code == 200
            except httpx.HTTPError:
                return False

        found = await asyncio.gather(*(answers(http) for http in self.clients.values()))
        return dict(zip(self.clients, found, strict=True))

    async def close(self) -> None:
        for http in self.clients.values():
            await http.aclose()
