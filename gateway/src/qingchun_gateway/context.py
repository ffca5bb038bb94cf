"""What every resolver of one request sees: the caller (verified here first, then again by each
service), the services with the caller's token, and the request's loaders.

Over HTTP the token is the ``Authorization`` header; over a subscription's WebSocket it is the
``Authorization`` entry of the ``connection_init`` payload (browsers cannot set headers there)."""

from __future__ import annotations

import time
from collections.abc import Callable
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
        self,
        pool: ServicePool,
        verifier: TokenVerifier,
        authorization: str | None,
        hub: EventHub | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self._pool = pool
        self._verifier = verifier
        self._header = authorization
        self.hub = hub
        self.clock = clock
        """Wall-clock seconds the token's expiry is read against (tests move it forward)."""
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

    @property
    def _token(self) -> str:
        scheme, _, token = (self.authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send an Authorization: Bearer <token> header", code="token_missing")
        return token.strip()

    @cached_property
    def caller(self) -> Caller:
        """The verified caller; raises :class:`Unauthorized` for a missing or bad token."""
        return self._verifier.verify(self._token)

    def token_seconds_left(self) -> float:
        """Seconds until the verified token expires by this context's clock (negative once past): a
        WebSocket outlives its ``connection_init``, so it is closed then. The verifier requires
        ``exp``; a caller without one (never from a verified token) does not expire."""
        expires_at = self.caller.expires_at
        return float("inf") if expires_at is None else expires_at - self.clock()

    def __getitem__(self, service: str) -> ServiceClient:
        return self.services[service]
