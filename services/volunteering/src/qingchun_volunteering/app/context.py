"""What every volunteering use case needs, and the scope check over the registry read model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import InvalidInput, NotFound
from qingchun_volunteering.adapters.certificates import CertificateStore
from qingchun_volunteering.adapters.community_checkins import CommunityCheckinStore
from qingchun_volunteering.adapters.hours import HoursStore
from qingchun_volunteering.adapters.matching import MatchingStore
from qingchun_volunteering.adapters.pairings import PairingStore
from qingchun_volunteering.adapters.store import VolunteeringStore
from qingchun_volunteering.adapters.teams import TeamStore
from qingchun_volunteering.domain.volunteers import AgePolicy
from qingchun_volunteering.settings import VolunteeringSettings

ORGANIZER_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.ORG_ADMIN)


@dataclass(frozen=True)
class VolunteeringContext:
    store: VolunteeringStore
    orgs: OrganizationDirectory
    hours: HoursStore
    community_checkins: CommunityCheckinStore
    pairings: PairingStore
    teams: TeamStore
    matching: MatchingStore
    certificates: CertificateStore
    events: EventFactory
    notify: Callable[[], None]
    settings: VolunteeringSettings
    now: Callable[[], datetime]

    @property
    def age_policy(self) -> AgePolicy:
        return AgePolicy(self.settings.consent_from_age, self.settings.adult_from_age)

    async def require_organizer(self, caller: Caller, org_id: str, field: str | None = None) -> None:
        """An organiser role whose scope covers ``org_id`` (known from the registry's events)."""
        caller.require_scope([org_id, *await self.orgs.ancestor_ids(org_id)], ORGANIZER_ROLES, field)

    async def organizes(self, caller: Caller, org_id: str) -> bool:
        """``require_organizer`` as a question, for deciding what a reader may see rather than refusing."""
        return caller.has_any(*ORGANIZER_ROLES) and bool(
            caller.scope & {org_id, *await self.orgs.ancestor_ids(org_id)}
        )

    async def require_volunteers(self, named: Sequence[tuple[str, str]], code: str) -> None:
        """Every (field, id) names a registered volunteer; the first that does not is refused by its field."""
        ids = list({volunteer_id for _, volunteer_id in named})
        known = {d["_id"] for d in await self.store.volunteers(ids)} if ids else set()
        for field, volunteer_id in named:
            if volunteer_id not in known:
                raise InvalidInput("no registered volunteer has this id", field=field, code=code)

    async def active_organization(self, org_id: str, field: str) -> Document:
        return await self.orgs.active(org_id, field)

    async def volunteer(self, volunteer_id: str) -> Document:
        document = await self.store.volunteer(volunteer_id)
        if document is None:
            raise NotFound("no volunteer has this id", field="volunteer_id")
        return document

    async def activity(self, activity_id: str) -> Document:
        document = await self.store.activity(activity_id)
        if document is None:
            raise NotFound("no activity has this id", field="activity_id")
        return document

    async def shift(self, shift_id: str) -> Document:
        document = await self.store.shift(shift_id)
        if document is None:
            raise NotFound("no shift has this id", field="shift_id")
        return document
