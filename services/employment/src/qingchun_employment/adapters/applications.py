"""Applications (求职申请) and staff referrals (职业介绍) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``applications``: ``_id``
(``apl_…``), ``posting_id``, ``seeker_id``, ``employer_organization_id``, ``status``,
``via_referral``, ``contact_shared`` (true from the seeker's application or accepted referral until
it is withdrawn or turned down: only meanwhile may the employer's admins read the seeker's profile
and contact), ``version``.

Also on an application: ``subject_id`` (the seeker's account, who alone may withdraw),
``referral_id``, ``posting_kind``, ``cover_note``, ``history`` (``[{"status", "at", "by"}]``),
``hired_on`` and ``hire_recorded`` (false from the hire until the posting counted it and the
seeker is marked employed). ``referrals``: ``_id`` (``rfl_…``), ``seeker_id``, ``subject_id``,
``posting_id``, ``employer_organization_id``, ``note``, ``status``, ``referred_by``,
``application_id`` (once accepted), ``version``. A referral never sets ``contact_shared``: the
employer learns nothing of the seeker until the seeker accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_contracts import Envelope
from qingchun_employment.domain.applications import LIVE
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update, with_outbox
from qingchun_plumbing.problems import Conflict

APPLICATIONS = "applications"
REFERRALS = "referrals"
HIRE_LEASE = "_hire_lease"
INDEXES: list[IndexSpec] = [
    IndexSpec(APPLICATIONS, [("seeker_id", 1), ("employer_organization_id", 1)], name="by_seeker_employer"),
    IndexSpec(
        APPLICATIONS, [("posting_id", 1), ("seeker_id", 1)], name="one_per_seeker_and_posting", unique=True
    ),
    IndexSpec(APPLICATIONS, [("posting_id", 1), ("_id", 1)], name="by_posting"),
    IndexSpec(APPLICATIONS, [("seeker_id", 1), ("_id", 1)], name="by_seeker"),
    IndexSpec(
        APPLICATIONS, [("hire_recorded", 1)], name="hires_to_follow_up", partial={"hire_recorded": False}
    ),
    IndexSpec(
        REFERRALS,
        [("seeker_id", 1), ("posting_id", 1)],
        name="one_referral_per_seeker_and_posting",
        unique=True,
    ),
    IndexSpec(REFERRALS, [("seeker_id", 1), ("_id", 1)], name="referrals_by_seeker"),
    IndexSpec(REFERRALS, [("posting_id", 1), ("_id", 1)], name="referrals_by_posting"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (APPLICATIONS,)
_HIDDEN = PUBLIC_EXCLUSIONS | {HIRE_LEASE: 0}
_LIVE = sorted(status.value for status in LIVE)


def already_applied() -> Conflict:
    return Conflict("the seeker already applied to this posting", field="posting_id", code="already_applied")


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


class ApplicationStore:
    def __init__(self, db: Database) -> None:
        self._applications = db[APPLICATIONS]
        self._referrals = db[REFERRALS]

    async def contact_shared(self, seeker_id: str, employer_organization_ids: list[str]) -> bool:
        """Whether the seeker has a live application (their own, or an accepted referral) to one of
        these employers: withdrawn and turned-down ones no longer share anything."""
        query = {
            "seeker_id": seeker_id,
            "employer_organization_id": {"$in": employer_organization_ids},
            "contact_shared": True,
            "status": {"$in": _LIVE},
        }
        return await self._applications.find_one(query, {"_id": 1}) is not None

    async def sharing_with(self, seeker_ids: Sequence[str], employer_organization_ids: list[str]) -> set[str]:
        """Which of ``seeker_ids`` share their profile with one of these employers (as above)."""
        query = {
            "seeker_id": {"$in": list(seeker_ids)},
            "employer_organization_id": {"$in": employer_organization_ids},
            "contact_shared": True,
            "status": {"$in": _LIVE},
        }
        return {d["seeker_id"] for d in await self._applications.find(query, {"seeker_id": 1}).to_list()}

    async def live_applicants(self, posting_id: str, limit: int) -> list[str]:
        """The seekers whose application to this posting is live (the newest ``limit``)."""
        query = {"posting_id": posting_id, "status": {"$in": _LIVE}}
        found = self._applications.find(query, {"seeker_id": 1}).sort("_id", -1).limit(limit)
        return [d["seeker_id"] for d in await found.to_list()]

    # applications ------------------------------------------------------------------------------
    async def insert(self, document: Document, events: Sequence[Envelope]) -> Document:
        """The application and its ``ApplicationSubmitted`` in one write; one per seeker and posting."""
        stored = document | {"version": 1}
        try:
            await self._applications.insert_one(with_outbox(stored, events))
        except DuplicateKeyError:  # applied by another request between our check and this write
            raise already_applied() from None
        return stored

    async def application(self, application_id: str) -> Document | None:
        return await self._applications.find_one({"_id": application_id}, _HIDDEN)

    async def applications(self, ids: Sequence[str]) -> list[Document]:
        return await self._applications.find({"_id": {"$in": list(ids)}}, _HIDDEN).to_list()

    async def application_of(self, seeker_id: str, posting_id: str) -> Document | None:
        return await self._applications.find_one({"seeker_id": seeker_id, "posting_id": posting_id}, _HIDDEN)

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._applications.find(_page(query, after), _HIDDEN).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update(
        self, document: Document, changes: dict[str, Any], events: Sequence[Envelope]
    ) -> Document:
        return await versioned_update(self._applications, document, changes, events, "application")

    async def claim_hire_follow_up(
        self, application_id: str, now: datetime, until: datetime
    ) -> Document | None:
        """Take a hire whose follow-ups are pending, unless another worker holds it (a lease)."""
        return await self._applications.find_one_and_update(
            {
                "_id": application_id,
                "hire_recorded": False,
                "$or": [{HIRE_LEASE: {"$exists": False}}, {HIRE_LEASE: {"$lt": now}}],
            },
            {"$set": {HIRE_LEASE: until}},
            projection=_HIDDEN,
            return_document=ReturnDocument.AFTER,
        )

    async def mark_hire_recorded(self, application_id: str) -> None:
        await self._applications.update_one(
            {"_id": application_id}, {"$set": {"hire_recorded": True}, "$unset": {HIRE_LEASE: ""}}
        )

    async def hires_to_follow_up(self, limit: int) -> list[str]:
        found = self._applications.find({"hire_recorded": False}, {"_id": 1}).sort("_id", 1).limit(limit)
        return [d["_id"] for d in await found.to_list()]

    # referrals ---------------------------------------------------------------------------------
    async def insert_referral(self, document: Document) -> Document:
        stored = document | {"version": 1}
        try:
            await self._referrals.insert_one(stored)
        except DuplicateKeyError:
            raise Conflict(
                "the seeker was already referred to this posting", field="posting_id", code="already_referred"
            ) from None
        return stored

    async def referral(self, referral_id: str) -> Document | None:
        return await self._referrals.find_one({"_id": referral_id}, PUBLIC_EXCLUSIONS)

    async def find_referrals(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._referrals.find(_page(query, after), PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def update_referral(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._referrals, document, changes, [], "referral")
