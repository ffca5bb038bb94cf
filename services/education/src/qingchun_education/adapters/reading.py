"""Recommended books, reading logs and reading challenges in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class ReadingStore:
    def __init__(self, db: Database) -> None:
        self._db = db
