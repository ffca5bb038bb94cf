"""The gateway's own check of the caller before any service is called (each service checks the
forwarded token again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from strawberry.permission import BasePermission

from qingchun_gateway.schema.common import GatewayInfo
from qingchun_plumbing.problems import Unauthorized


class Authenticated(BasePermission):
    message = "send an Authorization: Bearer <token> header"

    def has_permission(self, source: Any, info: GatewayInfo, **kwargs: Any) -> bool:
        try:
            info.context.caller  # noqa: B018 — verifies the token once per request
        except Unauthorized as problem:
            self.message = problem.detail
            self.error_extensions = {"code": problem.code}
            return False
        return True


AUTHENTICATED: list[type[BasePermission]] = [Authenticated]

F = TypeVar("F", bound=Callable[..., Any])


def entry(description: str) -> Callable[[F], F]:
    """A root query field that needs a verified caller."""
    return cast(Callable[[F], F], strawberry.field(description=description, permission_classes=AUTHENTICATED))


def action(description: str) -> Callable[[F], F]:
    """A mutation that needs a verified caller."""
    return cast(
        Callable[[F], F], strawberry.mutation(description=description, permission_classes=AUTHENTICATED)
    )
