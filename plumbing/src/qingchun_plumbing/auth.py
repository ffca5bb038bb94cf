"""Bearer-token verification: who the caller is, which roles they hold, over which data.

Tokens are JWTs (RS256) from the configured issuer: a JWKS URL in production, a PEM public
key for the development issuer. The gateway forwards the caller's own token, and every
service verifies it again: nothing is trusted because it came over the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from qingchun_plumbing.problems import Forbidden, Unauthorized
from qingchun_plumbing.settings import ServiceSettings


class Role(StrEnum):
    """The roles of DESIGN.md §4, with their Chinese labels for staff-facing screens."""

    CITY_ADMIN = "city_admin"
    DISTRICT_ADMIN = "district_admin"
    COMMUNITY_STAFF = "community_staff"
    ORG_ADMIN = "org_admin"
    SCHOOL_STAFF = "school_staff"
    MENTOR = "mentor"
    VOLUNTEER = "volunteer"
    GUARDIAN = "guardian"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.CITY_ADMIN: "团市委管理员",
    Role.DISTRICT_ADMIN: "团区委/团工委管理员",
    Role.COMMUNITY_STAFF: "社区工作人员",
    Role.ORG_ADMIN: "组织管理员",
    Role.SCHOOL_STAFF: "学校工作人员",
    Role.MENTOR: "帮教导师",
    Role.VOLUNTEER: "志愿者/青年",
    Role.GUARDIAN: "监护人",
    Role.PARTNER: "合作机构",
}


@dataclass(frozen=True)
class Caller:
    """The verified caller: subject id, roles, and the organisations their scope covers.

    ``scope`` holds organisation ids; a role applies to those organisations and everything
    below them in the registry tree.
    """

    subject: str
    roles: frozenset[Role]
    scope: frozenset[str] = field(default_factory=frozenset)
    expires_at: float | None = None
    """The token's ``exp`` (epoch seconds): what outlives one request (a subscription) ends then."""

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def require_any(self, *roles: Role) -> None:
        if not self.has_any(*roles):
            wanted = "、".join(r.label for r in roles)
            raise Forbidden(f"this action needs one of the roles: {wanted}", code="role_required")

    def require_scope(self, chain: Iterable[str], roles: Iterable[Role], field: str | None = None) -> None:
        """One of ``roles``, and a scope covering one of ``chain`` (the target and those above it)."""
        self.require_any(*roles)
        if not self.scope.intersection(chain):
            raise Forbidden("this organisation is outside your data scope", field=field, code="out_of_scope")


class TokenVerifier:
    """Checks signature, issuer, audience and expiry; maps claims onto a :class:`Caller`."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings

    @cached_property
    def _jwks(self) -> jwt.PyJWKClient | None:
        url = self._settings.jwt_jwks_url
        return jwt.PyJWKClient(url, cache_keys=True) if url else None

    @cached_property
    def _public_key(self) -> str | None:
        path = self._settings.jwt_public_key_file
        return path.read_text() if path else None

    def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self._public_key is not None:
            return self._public_key
        raise Unauthorized("no token issuer is configured for this service", code="issuer_not_configured")

    def verify(self, token: str) -> Caller:
        try:
            claims = jwt.decode(
                token,
                self._key_for(token),
                algorithms=["RS256"],
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={"require": ["sub", "exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("the token has expired", code="token_expired") from None
        except jwt.PyJWTError as exc:
            raise Unauthorized(
                f"the token is not valid: {type(exc).__name__}", code="token_invalid"
            ) from None
        try:
            roles = frozenset(Role(r) for r in claims.get("roles", []))
        except ValueError:
            raise Unauthorized("the token names an unknown role", code="token_invalid") from None
        scope = frozenset(str(s) for s in claims.get("scope_orgs", []))
        return Caller(subject=str(claims["sub"]), roles=roles, scope=scope, expires_at=float(claims["exp"]))


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send an Authorization: Bearer <token> header", code="token_missing")
    return token.strip()


def current_caller(request: Request) -> Caller:
    """FastAPI dependency: the verified caller of this request."""
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(bearer_token(request))


CurrentCaller = Annotated[Caller, Depends(current_caller)]
