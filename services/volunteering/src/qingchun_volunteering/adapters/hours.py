"""Service-hour entries (服务时长), per-organisation crediting rules and check-in code state.

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

HOUR_ENTRIES = "hour_entries"
CREDITING_RULES = "crediting_rules"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class HoursStore:
    def __init__(self, db: Database) -> None:
        self._db = db
