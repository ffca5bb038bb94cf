"""社区报到 rounds, members' check-ins, service posts (服务岗位) and micro-wishes (微心愿).

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

ROUNDS = "checkin_rounds"
CHECKINS = "community_checkins"
POSTS = "service_posts"
WISHES = "micro_wishes"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class CommunityCheckinStore:
    def __init__(self, db: Database) -> None:
        self._db = db
