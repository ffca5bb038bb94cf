"""Service-record certificates (志愿服务证明) and the service's signing key.

Scaffold: the owning work package fills this module in.
"""

from __future__ import annotations

from qingchun_plumbing.mongo import Database, IndexSpec

CERTIFICATES = "certificates"
SIGNING_KEYS = "signing_keys"
OUTBOX_COLLECTIONS: tuple[str, ...] = ()
INDEXES: list[IndexSpec] = []


class CertificateStore:
    def __init__(self, db: Database) -> None:
        self._db = db
