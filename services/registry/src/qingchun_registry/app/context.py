"""What every registry use case needs, and the data-scope check they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import NotFound
from qingchun_registry.adapters.store import RegistryStore
from qingchun_registry.settings import RegistrySettings

ADMIN_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.ORG_ADMIN)
SUPERVISOR_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN)


@dataclass(frozen=True)
class RegistryContext:
    store: RegistryStore
    events: EventFactory
    notify: Callable[[], None]
    settings: RegistrySettings
    today: Callable[[], date]

    async def require_scope(
        self, caller: Caller, org_id: str, roles: tuple[Role, ...] = ADMIN_ROLES, field: str | None = None
    ) -> None:
        """The caller holds one of ``roles`` and their scope covers ``org_id`` or an organisation above it."""
        caller.require_scope([org_id, *await self.store.ancestor_ids(org_id)], roles, field)

    async def organization(self, org_id: str) -> Document:
        document = await self.store.organization(org_id)
        if document is None:
            raise NotFound("no organisation has this id", field="organization_id")
        return document

    async def organization_of_type(self, org_id: str, *types: str) -> Document:
        """An organisation that must be of one of ``types`` for the action asked."""
        document = await self.organization(org_id)
        if document["type"] not in types:
            raise NotFound(
                f"this organisation is not of type {' or '.join(types)}",
                field="organization_id",
                code="wrong_organization_type",
            )
        return document
