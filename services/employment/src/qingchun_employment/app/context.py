"""What every employment use case needs, and the scope checks over the registry read model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from qingchun_employment.adapters.applications import ApplicationStore
from qingchun_employment.adapters.matching import MatchingStore
from qingchun_employment.adapters.postings import PostingStore
from qingchun_employment.adapters.seekers import SeekerStore
from qingchun_employment.adapters.ventures import VentureStore
from qingchun_employment.settings import EmploymentSettings
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import NotFound

# League and community staff who run the 青年创业者行动 for an organisation (and its subtree).
LEAGUE_STAFF = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF)
# Who may act for an employer organisation (its own admins, and league staff above it).
EMPLOYER_STAFF = (*LEAGUE_STAFF, Role.ORG_ADMIN)
Chain = Sequence[str] | None
"""A record's stored copy of an organisation's chain, where it has one."""


@dataclass(frozen=True)
class EmploymentContext:
    orgs: OrganizationDirectory
    postings: PostingStore
    seekers: SeekerStore
    applications: ApplicationStore
    matching: MatchingStore
    ventures: VentureStore
    events: EventFactory
    notify: Callable[[], None]
    settings: EmploymentSettings
    now: Callable[[], datetime]

    async def chain(self, org_id: str, stored: Chain = None) -> list[str]:
        """The organisation, then its ancestors: what a scope must cover. ``stored`` is a record's
        own copy of that chain (kept in step with registry moves, app/area_chains.py), which saves
        reading the tree level by level; without one the read model is read."""
        return list(stored) if stored else [org_id, *await self.orgs.ancestor_ids(org_id)]

    async def require_league_staff(
        self, caller: Caller, org_id: str, field: str | None = None, stored: Chain = None
    ) -> None:
        caller.require_scope(await self.chain(org_id, stored), LEAGUE_STAFF, field)

    async def require_employer_staff(self, caller: Caller, org_id: str, field: str | None = None) -> None:
        caller.require_scope(await self.chain(org_id), EMPLOYER_STAFF, field)

    async def is_league_staff(self, caller: Caller, org_id: str, stored: Chain = None) -> bool:
        return caller.has_any(*LEAGUE_STAFF) and bool(caller.scope & set(await self.chain(org_id, stored)))

    async def is_employer_staff(self, caller: Caller, org_id: str, stored: Chain = None) -> bool:
        return caller.has_any(*EMPLOYER_STAFF) and bool(caller.scope & set(await self.chain(org_id, stored)))

    async def active_organization(self, org_id: str, field: str) -> Document:
        return await self.orgs.active(org_id, field)

    async def posting(self, posting_id: str) -> Document:
        document = await self.postings.posting(posting_id)
        if document is None:
            raise NotFound("no posting has this id", field="posting_id")
        return document

    async def seeker(self, seeker_id: str) -> Document:
        document = await self.seekers.seeker(seeker_id)
        if document is None:
            raise NotFound("no job seeker has this id", field="seeker_id")
        return document
