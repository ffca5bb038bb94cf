"""Completion certificates (结业证书) and the signing keys in MongoDB."""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

INDEXES: list[IndexSpec] = []
OUTBOX_COLLECTIONS: tuple[str, ...] = ()


class CertificateStore:
    def __init__(self, db: Database) -> None:
        self._db = db
