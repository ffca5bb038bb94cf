"""What every education use case needs, and the scope checks over the registry read model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qingchun_education.adapters.badges import BadgeStore
from qingchun_education.adapters.care import CareStore
from qingchun_education.adapters.certificates import CertificateStore
from qingchun_education.adapters.enrolments import EnrolmentStore
from qingchun_education.adapters.learning import LearningStore
from qingchun_education.adapters.reading import ReadingStore
from qingchun_education.adapters.schools import SchoolStore
from qingchun_education.settings import EducationSettings
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import Document
from qingchun_plumbing.problems import NotFound

# Who runs programmes, courses and schools for an organisation (and its subtree).
STAFF_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.COMMUNITY_STAFF, Role.ORG_ADMIN, Role.SCHOOL_STAFF)


@dataclass(frozen=True)
class EducationContext:
    orgs: OrganizationDirectory
    learning: LearningStore
    enrolments: EnrolmentStore
    schools: SchoolStore
    certificates: CertificateStore
    reading: ReadingStore
    badges: BadgeStore
    care: CareStore
    events: EventFactory
    notify: Callable[[], None]
    settings: EducationSettings
    now: Callable[[], datetime]

    async def require_staff(self, caller: Caller, org_id: str, field: str | None = None) -> None:
        """A staff role whose scope covers ``org_id`` or one of its ancestors."""
        caller.require_scope([org_id, *await self.orgs.ancestor_ids(org_id)], STAFF_ROLES, field)

    async def manages(self, caller: Caller, org_id: str) -> bool:
        """``require_staff`` as a question, for deciding what a reader may see rather than refusing."""
        return caller.has_any(*STAFF_ROLES) and bool(
            caller.scope & {org_id, *await self.orgs.ancestor_ids(org_id)}
        )

    async def active_organization(self, org_id: str, field: str) -> Document:
        return await self.orgs.active(org_id, field)

    async def learner(self, learner_id: str) -> Document:
        document = await self.learning.learner(learner_id)
        if document is None:
            raise NotFound("no learner has this id", field="learner_id")
        return document

    def local_date(self, when: datetime | None = None) -> date:
        """The calendar day (in ``local_timezone``) an instant falls on; now by default."""
        return (when or self.now()).astimezone(ZoneInfo(self.settings.local_timezone)).date()

    async def follows_learner(self, caller: Caller, learner: Document) -> bool:
        """Who may read a learner's personal record: the learner, their guardians, and the staff of
        their home community."""
        if self.acts_for(caller, learner):
            return True
        home = learner.get("home_community_id")
        return home is not None and await self.manages(caller, home)

    @staticmethod
    def acts_for(caller: Caller, learner: Document) -> bool:
        """The learner themself, or one of their guardians (family accounts: 亲子, young children)."""
        return caller.subject == learner.get("subject_id") or caller.subject in learner.get(
            "guardian_subject_ids", []
        )
