"""Pairing and co-building agreements (结对/共建/阵地共建/基地挂牌) and the sites they share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from qingchun_contracts import Envelope
from qingchun_contracts.registry import AgreementSigned, AgreementStatusChanged
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_registry.adapters.documents import iso
from qingchun_registry.app.commands import AgreementCreate
from qingchun_registry.app.context import ADMIN_ROLES, RegistryContext
from qingchun_registry.domain.agreements import (
    AgreementAction,
    AgreementStatus,
    AgreementType,
    apply_action,
    check_dates,
    check_parties,
)
from qingchun_registry.domain.organizations import OrgType


async def load(ctx: RegistryContext, agreement_id: str) -> Document:
    document = await ctx.store.agreement(agreement_id)
    if document is None:
        raise NotFound("no agreement has this id", field="agreement_id")
    return document


async def _require_party_scope(ctx: RegistryContext, caller: Caller, party_ids: list[str]) -> None:
    """An agreement is managed by anyone whose scope covers at least one of its parties."""
    chain = [
        org_id for party_id in party_ids for org_id in (party_id, *await ctx.store.ancestor_ids(party_id))
    ]
    caller.require_scope(chain, ADMIN_ROLES, field="party_ids")


async def _check_members(ctx: RegistryContext, ids: list[str], field: str, facilities_only: bool) -> None:
    found = {d["_id"]: d for d in await ctx.store.organizations(ids)}
    for position, org_id in enumerate(ids):
        document = found.get(org_id)
        if document is None:
            raise InvalidInput(
                "no organisation has this id", field=f"{field}.{position}", code="unknown_organization"
            )
        if document["status"] != "active":
            raise InvalidInput(
                "the organisation is deactivated", field=f"{field}.{position}", code="organization_inactive"
            )
        if facilities_only and not OrgType(document["type"]).is_facility:
            raise InvalidInput(
                "a shared site must be a facility (青年之家, 儿童之家 …) or a practice base",
                field=f"{field}.{position}",
                code="not_a_site",
            )


async def create(ctx: RegistryContext, caller: Caller, command: AgreementCreate) -> Document:
    check_parties(command.party_ids)
    await _check_members(ctx, command.party_ids, "party_ids", facilities_only=False)
    await _check_members(ctx, command.site_ids, "site_ids", facilities_only=True)
    await _require_party_scope(ctx, caller, command.party_ids)
    now = datetime.now(UTC)
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("agr"),
        "status": AgreementStatus.DRAFT.value,
        "signed_on": None,
        "plaque_on": None,
        "ends_on": None,
        "created_at": now,
        "updated_at": now,
        "created_by": caller.subject,
    }
    await ctx.store.insert_agreement(document, [])
    return document | {"version": 1}


async def act(
    ctx: RegistryContext,
    caller: Caller,
    agreement_id: str,
    action: AgreementAction,
    dates: Mapping[str, date | None],
) -> Document:
    """Sign, activate, suspend, resume or end an agreement, with the dates the action records."""
    document = await load(ctx, agreement_id)
    await _require_party_scope(ctx, caller, document["party_ids"])
    before = AgreementStatus(document["status"])
    after = apply_action(before, action)
    recorded = {k: v for k, v in dates.items() if v is not None}
    merged = {
        k: date.fromisoformat(document[k]) if document.get(k) else None
        for k in ("signed_on", "plaque_on", "ends_on")
    } | recorded
    check_dates(merged["signed_on"], merged["plaque_on"], merged["ends_on"])
    for field, value in recorded.items():
        if value > ctx.today():
            raise InvalidInput("the date is in the future", field=field, code="date_in_future")
    changes: dict[str, Any] = {"status": after.value} | {k: iso(v) for k, v in recorded.items()}
    result = await ctx.store.update_agreement(
        document, changes, [_event(ctx, document, before, after, merged)]
    )
    ctx.notify()
    return result


def _event(
    ctx: RegistryContext,
    document: Document,
    before: AgreementStatus,
    after: AgreementStatus,
    dates: dict[str, date | None],
) -> Envelope:
    if after is AgreementStatus.SIGNED:
        signed_on = dates["signed_on"]
        assert signed_on is not None  # the sign action requires it
        data: Any = AgreementSigned(
            agreement_id=document["_id"],
            type=document["type"],
            title=document["title"],
            party_ids=document["party_ids"],
            site_ids=document["site_ids"],
            signed_on=signed_on,
        )
    else:
        data = AgreementStatusChanged(
            agreement_id=document["_id"],
            type=document["type"],
            from_status=before.value,
            to_status=after.value,
        )
    return ctx.events.envelope(data, subject=document["_id"])


async def page(
    ctx: RegistryContext,
    *,
    cursor: str | None,
    limit: int,
    party_id: str | None,
    types: list[AgreementType],
    statuses: list[AgreementStatus],
) -> tuple[list[Document], str | None]:
    query: dict[str, Any] = {}
    if party_id:
        query["party_ids"] = party_id
    if types:
        query["type"] = {"$in": [t.value for t in types]}
    if statuses:
        query["status"] = {"$in": [s.value for s in statuses]}
    return split_page(await ctx.store.find_agreements(query, cursor_after(cursor), limit + 1), limit)


async def batch(ctx: RegistryContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.store.agreements(ids)}
    return [found[i] for i in ids if i in found]
