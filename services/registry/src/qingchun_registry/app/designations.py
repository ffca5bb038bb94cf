"""Designations (示范点, 首批, 试点, 青年文明号 …) granted to organisations by league committees."""

from __future__ import annotations

from qingchun_contracts.registry import DesignationGranted, DesignationRevoked
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.problems import Conflict, InvalidInput, NotFound
from qingchun_registry.adapters.documents import iso
from qingchun_registry.app.commands import DesignationIn
from qingchun_registry.app.context import SUPERVISOR_ROLES, RegistryContext
from qingchun_registry.domain.designations import check_validity


async def grant(ctx: RegistryContext, caller: Caller, org_id: str, command: DesignationIn) -> Document:
    document = await ctx.organization(org_id)
    await ctx.require_scope(caller, org_id, roles=SUPERVISOR_ROLES)
    check_validity(command.granted_on, command.valid_until, ctx.today())
    if (
        command.issuer_organization_id is not None
        and await ctx.store.organization(command.issuer_organization_id) is None
    ):
        raise InvalidInput(
            "no organisation has this id", field="issuer_organization_id", code="unknown_issuer"
        )
    if any(d["kind"] == command.kind.value and d["status"] == "active" for d in document["designations"]):
        raise Conflict(
            "the organisation already holds this designation", field="kind", code="duplicate_designation"
        )
    designation_id = new_id("des")
    entry = {
        "id": designation_id,
        "kind": command.kind.value,
        "issuer_organization_id": command.issuer_organization_id,
        "granted_on": iso(command.granted_on),
        "valid_until": iso(command.valid_until),
        "status": "active",
        "granted_by": caller.subject,
    }
    event = ctx.events.envelope(
        DesignationGranted(
            organization_id=org_id,
            designation_id=designation_id,
            kind=command.kind.value,
            issuer_organization_id=command.issuer_organization_id,
            granted_on=command.granted_on,
            valid_until=command.valid_until,
        ),
        subject=org_id,
    )
    result = await ctx.store.update_organization(
        document, {"designations": [*document["designations"], entry]}, [event]
    )
    ctx.notify()
    return result


async def revoke(ctx: RegistryContext, caller: Caller, org_id: str, designation_id: str) -> Document:
    document = await ctx.organization(org_id)
    await ctx.require_scope(caller, org_id, roles=SUPERVISOR_ROLES)
    entries = document["designations"]
    target = next((d for d in entries if d["id"] == designation_id), None)
    if target is None:
        raise NotFound("the organisation holds no designation with this id", field="designation_id")
    if target["status"] != "active":
        raise Conflict("the designation is already revoked", field="designation_id", code="already_revoked")
    updated = [d | {"status": "revoked"} if d["id"] == designation_id else d for d in entries]
    event = ctx.events.envelope(
        DesignationRevoked(organization_id=org_id, designation_id=designation_id, kind=target["kind"]),
        subject=org_id,
    )
    result = await ctx.store.update_organization(document, {"designations": updated}, [event])
    ctx.notify()
    return result
