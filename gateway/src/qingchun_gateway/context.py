"""What every resolver of one request sees: the caller (verified here first, then again by each
service), the services with the caller's token, and the request's loaders."""

from __future__ import annotations

from functools import cached_property

from strawberry.fastapi import BaseContext

from qingchun_gateway.loaders import Loaders
from qingchun_gateway.services import ServiceClient, ServicePool
from qingchun_plumbing.auth import Caller, TokenVerifier
from qingchun_plumbing.problems import Unauthorized


class GatewayContext(BaseContext):
    def __init__(self, pool: ServicePool, verifier: TokenVerifier, authorization: str | None) -> None:
        super().__init__()
        self._verifier = verifier
        self._authorization = authorization
        self.services: dict[str, ServiceClient] = pool.for_caller(authorization)
        self.loaders = Loaders(self.services)

    @cached_property
    def caller(self) -> Caller:
        """The verified caller; raises :class:`Unauthorized` for a missing or bad token."""
        scheme, _, token = (self._authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send an Authorization: Bearer <token> header", code="token_missing")
        return self._verifier.verify(token.strip())

    def __getitem__(self, service: str) -> ServiceClient:
        return self.services[service]
