"""Pairings (结对): helpers, a pseudonymous beneficiary, agreement, visits, reviews.

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

PAIRINGS = "pairings"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class PairingStore:
    def __init__(self, db: Database) -> None:
        self._db = db
