"""Ventures (创业项目), entrepreneur-star nominations and microloans (小额担保贷款) in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class VentureStore:
    def __init__(self, db: Database) -> None:
        self._db = db
