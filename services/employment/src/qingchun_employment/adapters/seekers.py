"""Real-name job-seeker profiles (青年求职者) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``seekers``: ``_id`` (``skr_…``),
``subject_id`` (one profile per account), ``real_name``, ``phone``, ``consent``
(``{"recorded_at", "version"}``), ``residence_community_id`` and ``area_ids`` (the community, then
its ancestors), ``category``, ``skills`` (list of skill codes, including those added from
education certificates), ``certificates`` (``[{"number", "category", "issued_at"}]``),
``wanted_categories``, ``wanted_kinds``, ``available_from`` (ISO date or ``None``),
``status`` (registered, assessed, serviced, employed, started_business, inactive), ``version``,
``match_keys`` (derived: adapters/match_keys.py; every write below keeps it in step).

Also: ``birth_year``, ``id_last4`` (or ``None``; never a whole ID number), ``entrepreneurial_intent``,
``employment_intent``, ``assessment`` (``{"notes", "assessed_by", "assessed_at"}`` or ``None``) and
``services`` (``[{"id", "type", "date", "note", "recorded_by", "recorded_at"}]``, kept in the profile
so recording one and moving the status is one write; left out of the profile reads).

``referral_tasks``: ``_id`` (``ref_<case id>``: one task per care case, however often the case's
event arrives), ``case_id``, ``jurisdiction_organization_id``, ``area_ids``, ``needs``, ``status``
(open, done), ``created_at``, ``done_at``, ``done_by``, ``version``. No personal data: the case id is
pseudonymous.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_employment.adapters.match_keys import MATCH_KEYS, SEEKER_KEY_FIELDS, seeker_match_keys
from qingchun_employment.domain.matching import seeker_looking
from qingchun_plumbing.inbox import apply_once
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS, versioned_update
from qingchun_plumbing.problems import Conflict, StaleWrite

SEEKERS = "seekers"
REFERRAL_TASKS = "referral_tasks"
INDEXES: list[IndexSpec] = [
    IndexSpec(SEEKERS, [("subject_id", 1)], name="one_profile_per_subject", unique=True),
    IndexSpec(SEEKERS, [("area_ids", 1), ("_id", 1)], name="seekers_by_area"),
    IndexSpec(REFERRAL_TASKS, [("area_ids", 1), ("_id", 1)], name="referral_tasks_by_area"),
]
OUTBOX_COLLECTIONS: tuple[str, ...] = (SEEKERS,)

_PROFILE = PUBLIC_EXCLUSIONS | {"services": 0}
CERTIFICATE_ATTEMPTS = 3
"""Tries of a certificate's write against concurrent profile edits before giving up (and retrying
the event later)."""


def _with_keys(document: Document, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` plus the match keys they lead to, where they touch what the keys are made of."""
    if not any(field in changes for field in SEEKER_KEY_FIELDS):
        return changes
    return changes | {MATCH_KEYS: seeker_match_keys(document | changes)}


def _page(query: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query


def already_registered() -> Conflict:
    return Conflict("you already have a job-seeker profile", field="subject_id", code="already_registered")


class SeekerStore:
    def __init__(self, db: Database) -> None:
        self._seekers = db[SEEKERS]
        self._referrals = db[REFERRAL_TASKS]

    async def seeker(self, seeker_id: str) -> Document | None:
        return await self._seekers.find_one({"_id": seeker_id}, _PROFILE)

    async def seeker_of(self, subject_id: str) -> Document | None:
        return await self._seekers.find_one({"subject_id": subject_id}, _PROFILE)

    async def set_outcome(self, seeker_id: str, status: str) -> None:
        """Another area's fact ends the search (a placement: employed; a venture: started_business),
        so the seeker is no longer found by matching either."""
        if seeker_looking(status):
            raise ValueError(f"{status} is a looking status, not an outcome")
        update = {"$set": {"status": status, MATCH_KEYS: []}, "$inc": {"version": 1}}
        await self._seekers.update_one({"_id": seeker_id}, update)

    async def seekers(self, ids: Sequence[str]) -> list[Document]:
        return await self._seekers.find({"_id": {"$in": list(ids)}}, _PROFILE).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        cursor = self._seekers.find(_page(query, after), _PROFILE).sort("_id", 1).limit(limit)
        return await cursor.to_list()

    async def insert(self, document: Document) -> None:
        try:
            await self._seekers.insert_one(document | {"version": 1, MATCH_KEYS: seeker_match_keys(document)})
        except DuplicateKeyError:  # the same account registered in a concurrent request
            raise already_registered() from None

    async def update(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(
            self._seekers, document, _with_keys(document, changes), [], "job-seeker profile"
        )

    async def services_of(self, seeker_id: str) -> list[Document]:
        found = await self._seekers.find_one({"_id": seeker_id}, {"services": 1})
        return list(found.get("services", [])) if found else []

    async def add_service(self, document: Document, service: Document, status: str, at: datetime) -> Document:
        """One write: the service, the status it leads to, and the version bump."""
        result = await self._seekers.find_one_and_update(
            {"_id": document["_id"], "version": document["version"]},
            {
                "$push": {"services": service},
                "$set": _with_keys(document, {"status": status}) | {"updated_at": at},
                "$inc": {"version": 1, "services_count": 1},
            },
            projection=_PROFILE,
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise StaleWrite(
                "the job-seeker profile changed while this request was applied; read it and retry"
            )
        return result

    async def add_certificate(
        self, seeker: Document, certificate: Document, skill: str | None, event_id: str
    ) -> bool:
        """Add a certificate (and its skill) once per event and once per certificate number, with the
        match keys it leads to: written only over the profile as read, re-read if an edit came first."""
        once = {"_id": seeker["_id"], "certificates.number": {"$ne": certificate["number"]}}
        for _ in range(CERTIFICATE_ATTEMPTS):
            skills = list(dict.fromkeys([*seeker.get("skills", []), *([skill] if skill else [])]))
            certificates = [*seeker.get("certificates", []), certificate]
            keys = seeker_match_keys(seeker | {"skills": skills, "certificates": certificates})
            update: dict[str, Any] = {
                "$push": {"certificates": certificate},
                "$set": {"updated_at": certificate["issued_at"], "skills": skills, MATCH_KEYS: keys},
                "$inc": {"version": 1},
            }
            filter_, guarded = apply_once(once | {"version": seeker["version"]}, update, event_id)
            if (await self._seekers.update_one(filter_, guarded)).modified_count == 1:
                return True
            unapplied, _ = apply_once(once, {}, event_id)
            current = await self._seekers.find_one(unapplied, _PROFILE)
            if current is None:  # this event, or this certificate, is on the profile already
                return False
            seeker = current
        raise StaleWrite("the job-seeker profile kept changing while a certificate was added")

    # referral tasks (from consented care cases) -------------------------------------------------
    async def open_referral(self, task: Document) -> bool:
        """Create the case's task; False if it exists (the case's event arrived before)."""
        try:
            await self._referrals.insert_one(task | {"version": 1})
        except DuplicateKeyError:
            return False
        return True

    async def referral(self, task_id: str) -> Document | None:
        return await self._referrals.find_one({"_id": task_id})

    async def find_referrals(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        return await self._referrals.find(_page(query, after)).sort("_id", 1).limit(limit).to_list()

    async def update_referral(self, document: Document, changes: dict[str, Any]) -> Document:
        return await versioned_update(self._referrals, document, changes, [], "referral task")
