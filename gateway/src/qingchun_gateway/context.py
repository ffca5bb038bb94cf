"""What every resolver of one request sees: the caller (verified here first, then again by each
service), the services with the caller's token, and the request's loaders.

Over HTTP the token is the ``Authorization`` header; over a subscription's WebSocket it is the
``Authorization`` entry of the ``connection_init`` payload (browsers cannot set headers there)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from strawberry.fastapi import BaseContext

from qingchun_gateway.live.hub import EventHub
from qingchun_gateway.loaders import Loaders
from qingchun_gateway.services import ServiceClient, ServicePool
from qingchun_plumbing.auth import Caller, TokenVerifier
from qingchun_plumbing.problems import Unauthorized


class GatewayContext(BaseContext):
    def __init__(
        self, pool: ServicePool, verifier: TokenVerifier, authorization: str | None, hub: EventHub | None
    ) -> None:
        super().__init__()
        self._pool = pool
        self._verifier = verifier
        self._header = authorization
        self.hub = hub
        self.connection_params: dict[str, Any] | None = None

    @property
    def authorization(self) -> str | None:
        if self._header:
            return self._header
        given = (self.connection_params or {}).get("Authorization")
        return given if isinstance(given, str) else None

    @cached_property
    def services(self) -> dict[str, ServiceClient]:
        return self._pool.for_caller(self.authorization)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.services)

    def fresh_loaders(self) -> Loaders:
        """New loaders for one subscription event: a WebSocket context lives as long as the
        connection, and what a loader cached an hour ago is not what the event points at now."""
        self.loaders = Loaders(self.services)
        return self.loaders

    @cached_property
    def caller(self) -> Caller:
        """The verified caller; raises :class:`Unauthorized` for a missing or bad token."""
        scheme, _, token = (self.authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send an Authorization: Bearer <token> header", code="token_missing")
        return self._verifier.verify(token.strip())

    def __getitem__(self, service: str) -> ServiceClient:
        return self.services[service]
