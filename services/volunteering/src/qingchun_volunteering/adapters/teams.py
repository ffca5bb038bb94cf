"""Volunteer service teams (志愿服务队) under registry organisations.

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

TEAMS = "teams"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class TeamStore:
    def __init__(self, db: Database) -> None:
        self._db = db
