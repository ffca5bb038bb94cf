"""The candidate queries behind matching, on indexes built for them.

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class MatchingStore:
    def __init__(self, db: Database) -> None:
        self._db = db
