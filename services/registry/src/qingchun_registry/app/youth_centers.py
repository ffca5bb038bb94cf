"""Youth centres (青年中心): the five basic requirements, status, and civil-affairs registration."""

from __future__ import annotations

from qingchun_contracts import Envelope
from qingchun_contracts.registry import YouthCenterComplianceChanged
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document
from qingchun_registry.adapters.documents import profile_doc, profile_from
from qingchun_registry.app.commands import CenterStatusChange, RegistrationIn, YouthCenterProfileIn
from qingchun_registry.app.context import SUPERVISOR_ROLES, RegistryContext
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.domain.youth_centers import (
    CenterProfile,
    CenterStatus,
    Registration,
    advance_center,
    register,
    settle,
    unmet_requirements,
)

_CENTER = OrgType.YOUTH_CENTER.value


def _snapshot(center: Document) -> tuple[bool, str, bool]:
    return (not center["unmet"], center["status"], center.get("registration") is not None)


def recompute_compliance(
    ctx: RegistryContext,
    document: Document,
    status: CenterStatus | None = None,
    registration: Registration | None = None,
) -> tuple[Document, list[Envelope]]:
    """The youth-centre fields after a change, and the compliance event if compliance moved."""
    before = document["youth_center"]
    profile = profile_from(before["profile"])
    unmet = unmet_requirements(document["name"], profile, ctx.settings.youth_center_min_area_m2)
    new_status = settle(status or CenterStatus(before["status"]), unmet)
    after = before | {"status": new_status.value, "unmet": [r.value for r in unmet]}
    if registration is not None:
        after["registration"] = {
            "authority": registration.authority,
            "number": registration.number,
            "registered_on": registration.registered_on.isoformat(),
        }
    events = []
    if _snapshot(after) != _snapshot(before):
        events.append(
            ctx.events.envelope(
                YouthCenterComplianceChanged(
                    organization_id=document["_id"],
                    compliant=not unmet,
                    unmet_requirements=after["unmet"],
                    status=after["status"],
                    civil_affairs_registered=after.get("registration") is not None,
                ),
                subject=document["_id"],
            )
        )
    return {"youth_center": after}, events


async def _write(
    ctx: RegistryContext, document: Document, changes: Document, events: list[Envelope]
) -> Document:
    result = await ctx.store.update_organization(document, changes, events)
    ctx.notify()
    return result


async def set_profile(
    ctx: RegistryContext, caller: Caller, org_id: str, command: YouthCenterProfileIn
) -> Document:
    document = await ctx.organization_of_type(org_id, _CENTER)
    await ctx.require_scope(caller, org_id)
    profile = CenterProfile(
        build_mode=command.build_mode,
        indoor_area_m2=command.indoor_area_m2,
        full_time_staff_count=command.full_time_staff_count,
        org_form=command.org_form,
        projects=tuple(command.projects),
        operating_models=frozenset(command.operating_models),
        plaque_installed=command.plaque_installed,
    )
    profile.validate()
    updated = document | {"youth_center": document["youth_center"] | {"profile": profile_doc(profile)}}
    changes, events = recompute_compliance(ctx, updated)
    return await _write(ctx, document, changes, events)


async def change_status(
    ctx: RegistryContext, caller: Caller, org_id: str, command: CenterStatusChange
) -> Document:
    document = await ctx.organization_of_type(org_id, _CENTER)
    await ctx.require_scope(caller, org_id)
    center = document["youth_center"]
    unmet = unmet_requirements(
        document["name"], profile_from(center["profile"]), ctx.settings.youth_center_min_area_m2
    )
    status = advance_center(CenterStatus(center["status"]), command.to_status, unmet)
    changes, events = recompute_compliance(ctx, document, status=status)
    return await _write(ctx, document, changes, events)


async def record_registration(
    ctx: RegistryContext, caller: Caller, org_id: str, command: RegistrationIn
) -> Document:
    document = await ctx.organization_of_type(org_id, _CENTER)
    await ctx.require_scope(caller, org_id, roles=SUPERVISOR_ROLES)
    center = document["youth_center"]
    unmet = unmet_requirements(
        document["name"], profile_from(center["profile"]), ctx.settings.youth_center_min_area_m2
    )
    registration = Registration(command.authority, command.number, command.registered_on)
    status = register(CenterStatus(center["status"]), unmet, registration, ctx.today())
    changes, events = recompute_compliance(ctx, document, status=status, registration=registration)
    return await _write(ctx, document, changes, events)
