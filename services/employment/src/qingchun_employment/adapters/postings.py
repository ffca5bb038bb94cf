"""Job postings (用工信息) in MongoDB.

Document shape other areas rely on (keep these fields stable): ``postings``: ``_id`` (``pst_…``),
``employer_organization_id``, ``origin_community_id`` (or ``None``), ``title``, ``category``,
``kind``, ``headcount``, ``hired``, ``skills`` (list of skill codes), ``requirements`` (text),
``place_organization_id`` and ``area_ids`` (the place, then its ancestors), ``pay_min`` /
``pay_max`` (yuan a month, or ``None``), ``status`` (draft, submitted, held, published, filled,
expired, withdrawn), ``published_at``, ``expires_at``, ``version``.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, Document, IndexSpec
from qingchun_plumbing.outbox import PUBLIC_EXCLUSIONS

POSTINGS = "postings"
INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = (POSTINGS,)


class PostingStore:
    def __init__(self, db: Database) -> None:
        self._postings = db[POSTINGS]

    async def posting(self, posting_id: str) -> Document | None:
        return await self._postings.find_one({"_id": posting_id}, PUBLIC_EXCLUSIONS)
