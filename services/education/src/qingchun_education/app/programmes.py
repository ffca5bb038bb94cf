"""Programmes: started by staff of the owning organisation, with partners known from the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qingchun_education.app.context import EducationContext
from qingchun_education.app.learning_commands import ProgrammeCreate
from qingchun_education.domain.programmes import ProgrammeKind, Season, check_partners
from qingchun_plumbing.auth import Caller
from qingchun_plumbing.mongo import Document, new_id
from qingchun_plumbing.pagination import cursor_after, split_page
from qingchun_plumbing.problems import InvalidInput, NotFound


@dataclass(frozen=True)
class ProgrammeFilter:
    owner_organization_id: str | None
    kind: ProgrammeKind | None
    season: Season | None
    year: int | None

    def query(self) -> dict[str, Any]:
        given = {
            "owner_organization_id": self.owner_organization_id,
            "kind": None if self.kind is None else self.kind.value,
            "season": None if self.season is None else self.season.value,
            "year": self.year,
        }
        return {k: v for k, v in given.items() if v is not None}


async def _require_known(ctx: EducationContext, ids: list[str], field: str) -> None:
    """Each id names an organisation the registry told us of (a partner may be inactive by now)."""
    known = {d["_id"] for d in await ctx.orgs.organizations(ids)}
    for position, org_id in enumerate(ids):
        if org_id not in known:
            raise InvalidInput(
                "no organisation has this id (as last heard from the registry)",
                field=f"{field}.{position}",
                code="unknown_organization",
            )


async def create(ctx: EducationContext, caller: Caller, command: ProgrammeCreate) -> Document:
    await ctx.active_organization(command.owner_organization_id, "owner_organization_id")
    await ctx.require_staff(caller, command.owner_organization_id, "owner_organization_id")
    check_partners(command.owner_organization_id, command.partner_organization_ids)
    await _require_known(ctx, command.partner_organization_ids, "partner_organization_ids")
    now = ctx.now()
    document: Document = command.model_dump(mode="json") | {
        "_id": new_id("prg"),
        "created_by": caller.subject,
        "created_at": now,
        "updated_at": now,
    }
    await ctx.learning.insert_programme(document)
    return document | {"version": 1}


async def programme(ctx: EducationContext, programme_id: str) -> Document:
    document = await ctx.learning.programme(programme_id)
    if document is None:
        raise NotFound("no programme has this id", field="programme_id")
    return document


async def page(
    ctx: EducationContext, filters: ProgrammeFilter, *, cursor: str | None, limit: int
) -> tuple[list[Document], str | None]:
    found = await ctx.learning.find_programmes(filters.query(), cursor_after(cursor), limit + 1)
    return split_page(found, limit)


async def batch(ctx: EducationContext, ids: list[str]) -> list[Document]:
    found = {d["_id"]: d for d in await ctx.learning.programmes(ids)}
    return [found[i] for i in ids if i in found]
