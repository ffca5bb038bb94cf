"""Completion certificates (结业证书) in MongoDB, and the keys that sign them (plumbing's store).

A certificate carries its ``CertificateIssued`` event in its own outbox, so issuing is one write.
At most one certificate per enrolment is valid at a time (a unique index over the valid ones), so
two staff issuing at once cannot both succeed; a revoked one makes room for its replacement.
"""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from qingchun_plumbing import signing_keys
from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS
from qingchun_plumbing.signing_keys import SigningKeyStore

CERTIFICATES = "certificates"
OUTBOX_COLLECTIONS: tuple[str, ...] = (CERTIFICATES,)
INDEXES: list[IndexSpec] = [
    IndexSpec(CERTIFICATES, [("number", 1)], name="one_number", unique=True),
    IndexSpec(
        CERTIFICATES,
        [("enrolment_id", 1)],
        name="one_valid_per_enrolment",
        unique=True,
        partial={"status": "valid"},
    ),
    IndexSpec(CERTIFICATES, [("learner_id", 1), ("_id", 1)], name="by_learner"),
    *signing_keys.INDEXES,
]


class CertificateStore:
    def __init__(self, db: Database) -> None:
        self._certificates = db[CERTIFICATES]
        self.keys = SigningKeyStore(db)

    async def insert(self, document: Document) -> bool:
        """False if the number is taken (a 1 in 10^12 coincidence the caller retries) or the
        enrolment already has a valid certificate (:meth:`valid_for` tells which)."""
        try:
            await self._certificates.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def valid_for(self, enrolment_id: str) -> Document | None:
        return await self._certificates.find_one(
            {"enrolment_id": enrolment_id, "status": "valid"}, PUBLIC_EXCLUSIONS
        )

    async def by_number(self, number: str) -> Document | None:
        return await self._certificates.find_one({"number": number}, PUBLIC_EXCLUSIONS)

    async def find(self, query: dict[str, Any], after: str | None, limit: int) -> list[Document]:
        paged = {"$and": [query, {"_id": {"$gt": after}}]} if after is not None else query
        found = self._certificates.find(paged, PUBLIC_EXCLUSIONS).sort("_id", 1).limit(limit)
        return await found.to_list()

    async def revoke(self, number: str, changes: dict[str, Any]) -> Document | None:
        """Revoke a valid certificate in one conditional write; None if it was not valid."""
        return await self._certificates.find_one_and_update(
            {"number": number, "status": "valid"},
            {"$set": changes, "$inc": {"version": 1}},
            projection=PUBLIC_EXCLUSIONS,
            return_document=ReturnDocument.AFTER,
        )
