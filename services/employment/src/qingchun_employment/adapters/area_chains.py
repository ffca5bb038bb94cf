"""The stored area chains (an organisation, then its ancestors) kept on postings, seekers,
ventures, loans, nominations and referral tasks, so each can be rewritten when the registry moves
an organisation: the only code that rewrites them after they were first written. Where a
collection's match keys are made of the chain (a posting's place, a seeker's residence), they are
rewritten with it, document by document (a move is rare; a street holds a few thousand records).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from qingchun_employment.adapters.match_keys import MATCH_KEYS, posting_match_keys, seeker_match_keys
from qingchun_employment.adapters.postings import POSTINGS
from qingchun_employment.adapters.seekers import REFERRAL_TASKS, SEEKERS
from qingchun_employment.adapters.ventures import LOANS, NOMINATIONS, VENTURES
from qingchun_plumbing.mongo import Database, Document

REKEY_BATCH = 500


@dataclass(frozen=True)
class StoredChain:
    """``chain`` holds the chain of the organisation named by ``anchor`` in every ``collection`` doc."""

    collection: str
    anchor: str
    chain: str
    match_keys: Callable[[Document], list[str]] | None = None
    """How the collection's match keys follow from a document, where they are made of this chain."""


CHAINS = (
    StoredChain(POSTINGS, "place_organization_id", "area_ids", posting_match_keys),
    StoredChain(POSTINGS, "origin_community_id", "origin_area_ids"),
    StoredChain(POSTINGS, "employer_organization_id", "employer_area_ids"),
    StoredChain(SEEKERS, "residence_community_id", "area_ids", seeker_match_keys),
    StoredChain(VENTURES, "street_organization_id", "area_ids"),
    StoredChain(LOANS, "community_organization_id", "area_ids"),
    StoredChain(LOANS, "street_organization_id", "street_area_ids"),
    StoredChain(NOMINATIONS, "street_organization_id", "area_ids"),
    StoredChain(REFERRAL_TASKS, "jurisdiction_organization_id", "area_ids"),
)


async def _written(collection: AsyncCollection[Document], batch: list[UpdateOne]) -> int:
    return (await collection.bulk_write(batch, ordered=False)).modified_count


class AreaChainStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def anchors_below(self, stored: StoredChain, org_id: str) -> list[str]:
        """The organisations whose stored chain passes through ``org_id`` (itself included)."""
        found = await self._db[stored.collection].distinct(stored.anchor, {stored.chain: org_id})
        return [a for a in found if isinstance(a, str)]

    async def set_chain(self, stored: StoredChain, anchor_id: str, chain: list[str]) -> int:
        """Write the chain where it differs; writing the same chain again changes nothing."""
        collection = self._db[stored.collection]
        stale = {stored.anchor: anchor_id, stored.chain: {"$ne": chain}}
        if stored.match_keys is None:
            return (await collection.update_many(stale, {"$set": {stored.chain: chain}})).modified_count
        changed, batch = 0, []
        async for document in collection.find(stale):
            keys = stored.match_keys(document | {stored.chain: chain})
            batch.append(
                UpdateOne(stale | {"_id": document["_id"]}, {"$set": {stored.chain: chain, MATCH_KEYS: keys}})
            )
            if len(batch) == REKEY_BATCH:
                changed, batch = changed + await _written(collection, batch), []
        return changed + (await _written(collection, batch) if batch else 0)
