"""Citizen schools (市民学校) and the teacher pool (社区教育师资库) in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class SchoolStore:
    def __init__(self, db: Database) -> None:
        self._db = db
