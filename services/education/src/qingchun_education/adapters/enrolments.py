"""Enrolments, waitlists and attendance in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class EnrolmentStore:
    def __init__(self, db: Database) -> None:
        self._db = db
