"""Service-record certificates (志愿服务证明), and the keys that sign them (plumbing's store)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_plumbing import signing_keys
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.signing_keys import SigningKeyStore
from qingchun_volunteering.adapters.hours import HOUR_ENTRIES

CERTIFICATES = "certificates"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = [
    IndexSpec(CERTIFICATES, [("number", 1)], name="one_number", unique=True),
    IndexSpec(CERTIFICATES, [("holder_volunteer_id", 1), ("_id", 1)], name="by_holder"),
    *signing_keys.INDEXES,
]


class CertificateStore:
    def __init__(self, db: Database) -> None:
        self._certificates = db[CERTIFICATES]
        self._entries = db[HOUR_ENTRIES]
        self.keys = SigningKeyStore(db)

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
