"""The registry's organisations as another service knows them, kept from the registry's events.

No service calls the registry to do its own job (DESIGN.md §2): each keeps this small read model
(name, type, parent, status) in its own database, fed by ``organization.registered/updated/
deactivated``, and uses it for scope checks up the tree and to refuse inactive hosts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated, OrganizationRegistered, OrganizationUpdated
from qingchun_plumbing.consumer import Handler
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.problems import InvalidInput

ORGANIZATIONS = "organizations"
INDEXES = [IndexSpec(ORGANIZATIONS, [("parent_id", 1)], name="by_parent")]
MAX_DEPTH = 32

OnDeactivated = Callable[[str, Envelope], Awaitable[None]]


class OrganizationDirectory:
    """Names, types, parents and status of organisations, as last heard from the registry."""

    def __init__(self, db: Database) -> None:
        self._orgs = db[ORGANIZATIONS]

    async def remember(self, org_id: str, fields: dict[str, Any], as_of: datetime) -> None:
        """Keep the newest state only: an older event arriving late changes nothing."""
        update: dict[str, Any] = {"$set": fields | {"as_of": as_of}}
        if "status" not in fields:  # first heard of through an update: active until told otherwise
            update["$setOnInsert"] = {"status": "active"}
        try:
            await self._orgs.update_one(
                {"_id": org_id, "$or": [{"as_of": {"$lt": as_of}}, {"as_of": {"$exists": False}}]},
                update,
                upsert=True,
            )
        except DuplicateKeyError:
            return  # a newer state is already kept

    async def organization(self, org_id: str) -> Document | None:
        return await self._orgs.find_one({"_id": org_id})

    async def organizations(self, ids: list[str]) -> list[Document]:
        return await self._orgs.find({"_id": {"$in": ids}}).to_list()

    async def ancestor_ids(self, org_id: str) -> list[str]:
        """Parent, grandparent… up to the root; bounded so a corrupt cycle cannot loop forever."""
        chain: list[str] = []
        current = await self._orgs.find_one({"_id": org_id}, {"parent_id": 1})
        while current and current.get("parent_id") and len(chain) < MAX_DEPTH:
            chain.append(current["parent_id"])
            current = await self._orgs.find_one({"_id": current["parent_id"]}, {"parent_id": 1})
        return chain

    async def active(self, org_id: str, field: str) -> Document:
        """The organisation, or a 422 naming ``field`` if it is unknown or deactivated."""
        organization = await self.organization(org_id)
        if organization is None:
            raise InvalidInput(
                "no organisation has this id (as last heard from the registry)",
                field=field,
                code="unknown_organization",
            )
        if organization.get("status") != "active":
            raise InvalidInput("the organisation is deactivated", field=field, code="organization_inactive")
        return organization


def directory_handlers(
    directory: OrganizationDirectory, on_deactivated: OnDeactivated | None = None
) -> dict[str, Handler]:
    """The three registry handlers; ``on_deactivated`` closes what the service hangs on the organisation."""

    async def registered(envelope: Envelope) -> None:
        data = OrganizationRegistered.model_validate(envelope.data)
        await directory.remember(
            data.organization_id,
            {"name": data.name, "type": data.type, "parent_id": data.parent_id, "status": "active"},
            envelope.time,
        )

    async def updated(envelope: Envelope) -> None:
        data = OrganizationUpdated.model_validate(envelope.data)
        fields = {"name": data.name, "type": data.type, "parent_id": data.parent_id}
        await directory.remember(data.organization_id, fields, envelope.time)

    async def deactivated(envelope: Envelope) -> None:
        data = OrganizationDeactivated.model_validate(envelope.data)
        await directory.remember(data.organization_id, {"status": "inactive"}, envelope.time)
        if on_deactivated is not None:
            await on_deactivated(data.organization_id, envelope)

    return {
        OrganizationRegistered.event_type: registered,
        OrganizationUpdated.event_type: updated,
        OrganizationDeactivated.event_type: deactivated,
    }
