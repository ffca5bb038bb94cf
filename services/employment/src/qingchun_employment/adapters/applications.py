"""Applications (求职申请) and staff referrals (职业介绍) in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class ApplicationStore:
    def __init__(self, db: Database) -> None:
        self._db = db
