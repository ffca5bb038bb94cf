"""The stored area chains (an organisation, then its ancestors) kept on postings, seekers,
ventures, loans, nominations and referral tasks, so each can be rewritten when the registry moves
an organisation: the only code that rewrites them after they were first written.
"""

from __future__ import annotations

from dataclasses import dataclass

from qingchun_employment.adapters.postings import POSTINGS
from qingchun_employment.adapters.seekers import REFERRAL_TASKS, SEEKERS
from qingchun_employment.adapters.ventures import LOANS, NOMINATIONS, VENTURES
from qingchun_plumbing.mongo import Database


@dataclass(frozen=True)
class StoredChain:
    """``chain`` holds the chain of the organisation named by ``anchor`` in every ``collection`` doc."""

    collection: str
    anchor: str
    chain: str


CHAINS = (
    StoredChain(POSTINGS, "place_organization_id", "area_ids"),
    StoredChain(POSTINGS, "origin_community_id", "origin_area_ids"),
    StoredChain(POSTINGS, "employer_organization_id", "employer_area_ids"),
    StoredChain(SEEKERS, "residence_community_id", "area_ids"),
    StoredChain(VENTURES, "street_organization_id", "area_ids"),
    StoredChain(LOANS, "community_organization_id", "area_ids"),
    StoredChain(LOANS, "street_organization_id", "street_area_ids"),
    StoredChain(NOMINATIONS, "street_organization_id", "area_ids"),
    StoredChain(REFERRAL_TASKS, "jurisdiction_organization_id", "area_ids"),
)


class AreaChainStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def anchors_below(self, stored: StoredChain, org_id: str) -> list[str]:
        """The organisations whose stored chain passes through ``org_id`` (itself included)."""
        found = await self._db[stored.collection].distinct(stored.anchor, {stored.chain: org_id})
        return [a for a in found if isinstance(a, str)]

    async def set_chain(self, stored: StoredChain, anchor_id: str, chain: list[str]) -> int:
        """Write the chain where it differs; writing the same chain again changes nothing."""
        result = await self._db[stored.collection].update_many(
            {stored.anchor: anchor_id, stored.chain: {"$ne": chain}}, {"$set": {stored.chain: chain}}
        )
        return result.modified_count
