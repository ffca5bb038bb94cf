"""MongoDB access: one client per process and indexes declared in code."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

Document = dict[str, Any]
Database = AsyncDatabase[Document]

# The driver's DEBUG command log prints whole documents and replies (minors' names, care-file
# notes): however verbose a service's logging is set, that logger stays above DEBUG (DESIGN.md §4).
logging.getLogger("pymongo.command").setLevel(logging.INFO)
_log = logging.getLogger("qingchun.mongo")


@dataclass(frozen=True)
class IndexSpec:
    """One index a service needs; created idempotently at start-up."""

    collection: str
    keys: Sequence[tuple[str, int]]
    name: str
    unique: bool = False
    sparse: bool = False
    partial: Mapping[str, Any] | None = field(default=None)
    expire_after_seconds: int | None = None


def new_id(prefix: str) -> str:
    """Time-ordered ids (``org_…``, ``vol_…``), so id order is creation order for cursor pagination."""
    return f"{prefix}_{ObjectId()}"


def connect(url: str) -> AsyncMongoClient[Document]:
    """A client with UTC-aware datetimes, as every service expects."""
    return AsyncMongoClient(url, tz_aware=True, uuidRepresentation="standard")


def database(client: AsyncMongoClient[Document], prefix: str, name: str) -> Database:
    """The service's own database, prefixed for test isolation."""
    return client[f"{prefix}{name}"]


INDEX_CONFLICTS = (85, 86)
"""IndexOptionsConflict, IndexKeySpecsConflict: an index of that name exists with other keys or options."""


async def ensure_indexes(db: Database, specs: Sequence[IndexSpec]) -> None:
    """Create every declared index; a no-op for those that exist as declared.

    An index whose declaration changed in a new release (same name, other keys or options) is
    dropped and built again, so a service starts safely on data its previous version wrote."""
    for spec in specs:
        options: dict[str, Any] = {"name": spec.name, "unique": spec.unique}
        if spec.sparse:
            options["sparse"] = True
        if spec.expire_after_seconds is not None:
            options["expireAfterSeconds"] = spec.expire_after_seconds
        if spec.partial is not None:
            options["partialFilterExpression"] = dict(spec.partial)
        collection = db[spec.collection]
        try:
            await collection.create_index(list(spec.keys), **options)
        except OperationFailure as conflict:
            if conflict.code not in INDEX_CONFLICTS:
                raise
            _log.warning("index declaration changed: rebuilding", extra={"index": spec.name})
            await collection.drop_index(spec.name)
            await collection.create_index(list(spec.keys), **options)
