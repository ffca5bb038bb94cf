"""Service-record certificates (志愿服务证明) and the public keys that verify them.

The signing key the service generates for itself is one document with a fixed id, written by
whichever replica gets there first; every other replica (and every restart) reads that winner,
so all of them sign with, and verify against, the same key. Public keys are kept by key id for
as long as certificates name them, so a rotated key still verifies what it signed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_volunteering.adapters.hours import HOUR_ENTRIES

CERTIFICATES = "certificates"
SIGNING_KEYS = "signing_keys"
GENERATED_KEY = "generated"
"""The fixed ``_id`` of the key the service generated for itself (no key configured)."""
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = [
    IndexSpec(CERTIFICATES, [("number", 1)], name="one_number", unique=True),
    IndexSpec(CERTIFICATES, [("holder_volunteer_id", 1), ("_id", 1)], name="by_holder"),
    IndexSpec(SIGNING_KEYS, [("kid", 1)], name="one_kid", unique=True),
]
_PUBLIC_KEY_FIELDS = {"private_pem": 0}


class CertificateStore:
    def __init__(self, db: Database) -> None:
        self._certificates = db[CERTIFICATES]
        self._keys = db[SIGNING_KEYS]
        self._entries = db[HOUR_ENTRIES]
        self._known_keys: dict[str, Document] = {}  # key documents never change once written

    # signing keys -------------------------------------------------------------------------
    async def generated_key(self, make: Callable[[], Document]) -> Document:
        """The service's own key: the stored one, or ``make()``'s if this call stores it first."""
        found = await self._keys.find_one({"_id": GENERATED_KEY})
        if found is not None:
            return found
        candidate = make() | {"_id": GENERATED_KEY}
        try:
            await self._keys.insert_one(candidate)
        except DuplicateKeyError:  # another replica won the race: use its key
            winner = await self._keys.find_one({"_id": GENERATED_KEY})
            assert winner is not None  # a duplicate key means it is there
            return winner
        return candidate

    async def remember_public_key(self, document: Document) -> None:
        """Keep a configured key's public half, so it still verifies after the key is rotated."""
        if document["kid"] in self._known_keys:
            return
        with contextlib.suppress(DuplicateKeyError):  # a concurrent upsert stored it
            await self._keys.update_one(
                {"_id": f"configured:{document['kid']}"}, {"$setOnInsert": document}, upsert=True
            )
        self._known_keys[document["kid"]] = document

    async def public_key(self, kid: str) -> Document | None:
        if kid not in self._known_keys:
            found = await self._keys.find_one({"kid": kid}, _PUBLIC_KEY_FIELDS)
            if found is None:
                return None
            self._known_keys[kid] = found
        return self._known_keys[kid]

    async def public_keys(self) -> list[Document]:
        return await self._keys.find({}, _PUBLIC_KEY_FIELDS).sort("created_at", 1).to_list()

    # what a certificate states ----------------------------------------------------------------
    async def verified_entries(self, volunteer_id: str, period_from: date, period_to: date) -> list[Document]:
        """The volunteer's verified hour entries served within the period (dates inclusive)."""
        query = {
            "volunteer_id": volunteer_id,
            "status": "verified",
            "served_on": {"$gte": period_from.isoformat(), "$lte": period_to.isoformat()},
        }
        fields = {"host_organization_id": 1, "activity_title": 1, "served_on": 1, "credited_minutes": 1}
        return await self._entries.find(query, fields).to_list()

    # certificates --------------------------------------------------------------------------------
    async def insert(self, document: Document) -> bool:
        """False if the number is taken (a 1 in 10^12 coincidence the caller retries)."""
        try:
            await self._certificates.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def by_number(self, number: str) -> Document | None:
        return await self._certificates.find_one({"number": number})

    async def by_numbers(self, numbers: Sequence[str]) -> list[Document]:
        return await self._certificates.find({"number": {"$in": list(numbers)}}).to_list()

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        paged = {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query
        return await self._certificates.find(paged).sort("_id", 1).limit(limit).to_list()

    async def revoke(self, number: str, changes: dict[str, Any]) -> Document | None:
        """Revoke a valid certificate in one conditional write; None if it was not valid."""
        return await self._certificates.find_one_and_update(
            {"number": number, "status": "valid"},
            {"$set": changes, "$inc": {"version": 1}},
            return_document=ReturnDocument.AFTER,
        )
