"""Registering organisations, changing them, and reading the tree."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from qingchun_contracts.registry import (
    AreaRef,
    OrganizationDeactivated,
    OrganizationRegistered,
    OrganizationUpdated,
)
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import Conflict, InvalidInput
from qingchun_registry.adapters.documents import area_doc, area_from, creation_doc, iso, profile_doc
from qingchun_registry.adapters.store import prefix_pattern
from qingchun_registry.app.commands import AreaIn, Deactivation, OrganizationCreate, OrganizationPatch
from qingchun_registry.app.context import RegistryContext
from qingchun_registry.app.youth_centers import recompute_compliance
from qingchun_registry.domain.creation import Creation, CreationStage
from qingchun_registry.domain.organizations import AreaPath, OrgType, check_no_cycle, check_parent, name_key
from qingchun_registry.domain.youth_centers import CenterProfile, CenterStatus, unmet_requirements


async def _active_parent(ctx: RegistryContext, parent_id: str) -> Document:
    parent = await ctx.store.organization(parent_id)
    if parent is None:
        raise InvalidInput("no organisation has this id", field="parent_id", code="unknown_parent")
    if parent["status"] != "active":
        raise Conflict("the parent organisation is deactivated", field="parent_id", code="parent_inactive")
    return parent


def _area(given: AreaIn, inherited: AreaPath) -> AreaPath:
    """Levels the caller gave override the parent's; the others are inherited."""
    values = area_doc(inherited) | given.model_dump(exclude_none=True)
    area = AreaPath(**values)
    area.validate()
    return area


def area_ref(document: Document) -> AreaRef:
    return AreaRef(**area_doc(area_from(document.get("area"))))


def _extensions(org_type: OrgType, name: str, min_area: float) -> Document:
    if org_type is OrgType.COMMUNITY:
        return {"community": creation_doc(Creation())}
    if org_type.has_branch_term:
        return {"branch": {"elections": [], "notified": {}}}
    if org_type is OrgType.YOUTH_CENTER:
        profile = CenterProfile()
        unmet = unmet_requirements(name, profile, min_area)
        return {
            "youth_center": {
                "status": CenterStatus.PROPOSED.value,
                "profile": profile_doc(profile),
                "unmet": [r.value for r in unmet],
                "registration": None,
            }
        }
    return {}


async def register(ctx: RegistryContext, caller: Caller, command: OrganizationCreate) -> Document:
    parent: Document | None = None
    if command.parent_id is not None:
        parent = await _active_parent(ctx, command.parent_id)
        await ctx.require_scope(caller, parent["_id"], field="parent_id")
    else:
        caller.require_any(Role.CITY_ADMIN)
    check_parent(command.type, OrgType(parent["type"]) if parent else None)
    area = _area(command.area, area_from(parent.get("area")) if parent else AreaPath())
    if command.type is OrgType.COMMUNITY and area.community is None and area.street is not None:
        area = replace(area, community=command.name)
    now = datetime.now(UTC)
    org_id = new_id("org")
    document: Document = {
        "_id": org_id,
        "name": command.name,
        "name_key": name_key(command.name),
        "type": command.type.value,
        "parent_id": command.parent_id,
        "area": area_doc(area),
        "area_levels": area.levels(),
        "address": command.address,
        "office_phone": command.office_phone,
        "founded_on": iso(command.founded_on),
        "tags": command.tags,
        "status": "active",
        "designations": [],
        "created_at": now,
        "updated_at": now,
        "created_by": caller.subject,
    } | _extensions(command.type, command.name, ctx.settings.youth_center_min_area_m2)
    event = ctx.events.envelope(
        OrganizationRegistered(
            organization_id=org_id,
            name=command.name,
            type=command.type.value,
            parent_id=command.parent_id,
            area=area_ref(document),
        ),
        subject=org_id,
    )
    await ctx.store.insert_organization(document, [event])
    ctx.notify()
    return document | {"version": 1}


async def update(ctx: RegistryContext, caller: Caller, org_id: str, patch: OrganizationPatch) -> Document:
    document = await ctx.organization(org_id)
    await ctx.require_scope(caller, org_id)
    given = patch.model_fields_set
    if not given:
        raise InvalidInput("send at least one field to change", field="body", code="empty_patch")
    changes: dict[str, Any] = {}
    if "parent_id" in given and patch.parent_id != document.get("parent_id"):
        changes |= await _move(ctx, caller, document, patch.parent_id)
    if "name" in given and patch.name is not None:
        changes |= {"name": patch.name, "name_key": name_key(patch.name)}
    if "area" in given and patch.area is not None:
        area = _area(patch.area, area_from(document.get("area")))
        changes |= {"area": area_doc(area), "area_levels": area.levels()}
    for field in ("address", "office_phone", "tags"):
        if field in given:
            changes[field] = getattr(patch, field)
    if "founded_on" in given:
        changes["founded_on"] = iso(patch.founded_on)
    events = []
    if document["type"] == OrgType.YOUTH_CENTER.value and "name" in changes:
        center_changes, center_events = recompute_compliance(ctx, document | changes)
        changes |= center_changes
        events += center_events
    public = sorted(k for k in changes if k in {"name", "parent_id", "area", "tags"})
    merged = document | changes
    if public:
        events.append(
            ctx.events.envelope(
                OrganizationUpdated(
                    organization_id=org_id,
                    name=merged["name"],
                    type=merged["type"],
                    parent_id=merged.get("parent_id"),
                    area=area_ref(merged),
                    changed_fields=public,
                ),
                subject=org_id,
            )
        )
    result = await ctx.store.update_organization(document, changes, events)
    ctx.notify()
    return result


async def _move(
    ctx: RegistryContext, caller: Caller, document: Document, new_parent_id: str | None
) -> Document:
    org_type = OrgType(document["type"])
    if new_parent_id is None:
        check_parent(org_type, None)
        caller.require_any(Role.CITY_ADMIN)
        return {"parent_id": None}
    parent = await _active_parent(ctx, new_parent_id)
    await ctx.require_scope(caller, new_parent_id, field="parent_id")
    check_no_cycle(document["_id"], new_parent_id, await ctx.store.ancestor_ids(new_parent_id))
    check_parent(org_type, OrgType(parent["type"]))
    return {"parent_id": new_parent_id}


async def deactivate(ctx: RegistryContext, caller: Caller, org_id: str, command: Deactivation) -> Document:
    document = await ctx.organization(org_id)
    await ctx.require_scope(caller, org_id)
    if document["status"] != "active":
        raise Conflict("the organisation is already deactivated", code="already_inactive")
    if await ctx.store.has_active_children(org_id):
        raise Conflict("deactivate or move the organisations under it first", code="has_active_children")
    event = ctx.events.envelope(
        OrganizationDeactivated(organization_id=org_id, reason_code=command.reason_code), subject=org_id
    )
    result = await ctx.store.update_organization(
        document, {"status": "inactive", "deactivation_reason": command.reason_code}, [event]
    )
    ctx.notify()
    return result


def _filters(
    types: list[OrgType],
    parent_id: str | None,
    area: str | None,
    stage: CreationStage | None,
    name_prefix: str | None,
    status: str | None,
) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if types:
        query["type"] = {"$in": [t.value for t in types]}
    if parent_id is not None:
        query["parent_id"] = parent_id
    if area:
        query["area_levels"] = area.strip()
    if stage is not None:
        query["community.stage"] = stage.value
    if name_prefix:
        query["name_key"] = prefix_pattern(name_key(name_prefix))
    if status is not None:
        query["status"] = status
    return query


async def page(
    ctx: RegistryContext,
    *,
    cursor: str | None,
    limit: int,
    types: list[OrgType],
    parent_id: str | None = None,
    area: str | None = None,
    stage: CreationStage | None = None,
    name_prefix: str | None = None,
    status: str | None = None,
    within: list[str] | None = None,
) -> tuple[list[Document], str | None]:
    """One page of organisations matching the filters (``within``: restrict to these ids)."""
    query = _filters(types, parent_id, area, stage, name_prefix, status)
    if within is not None:
        query["_id"] = {"$in": within}
    return split_page(await ctx.store.find_organizations(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: RegistryContext, ids: list[str]) -> list[Document]:
    """For the gateway's DataLoaders: the organisations that exist among ``ids``, in the order asked."""
    found = {d["_id"]: d for d in await ctx.store.organizations(ids)}
    return [found[i] for i in ids if i in found]


async def subtree_ids(ctx: RegistryContext, org_id: str) -> list[str]:
    await ctx.organization(org_id)
    return await ctx.store.descendant_ids(org_id)


async def ancestors(ctx: RegistryContext, org_id: str) -> list[Document]:
    await ctx.organization(org_id)
    chain = await ctx.store.ancestor_ids(org_id)
    return await batch(ctx, chain)
