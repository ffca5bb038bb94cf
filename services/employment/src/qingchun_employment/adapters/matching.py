"""The candidate queries behind matching postings and seekers, on indexes built for them."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class MatchingStore:
    def __init__(self, db: Database) -> None:
        self._db = db
