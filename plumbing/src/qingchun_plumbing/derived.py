"""Derived fields (matching keys and the like) given to the records written before they existed.

A service that adds a field derived from others (volunteering's ``skill_slots``, employment's
``match_keys``) writes it in every write from then on; the records already stored get it from
:func:`backfill`, run as a periodic job. No index finds "the field is missing" cheaply, so once
the collection is done a mark in ``_backfills`` makes every later run one read instead of a scan.

The mark is written by a run that found nothing to write and nothing left, not by the run that
did the work: that first run starts with the new release, while a rolling update still has
instances of the old one writing records without the field. Their records are found by the
next run (one job interval later, when they are gone), and only the run after that marks.
After the mark a record lacking the field is never looked for again: this is the trade-off,
safe because every write of the new code sets the field itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from qingchun_plumbing.mongo import Database, Document

BACKFILLS = "_backfills"
_log = logging.getLogger("qingchun.derived")


@dataclass(frozen=True)
class DerivedField:
    """``field`` of ``collection``, set with whatever ``derive`` returns (``field`` among it) from
    the fields it ``reads``: ``derive`` is given those, ``_id`` and ``version`` only."""

    collection: str
    field: str
    reads: tuple[str, ...]
    derive: Callable[[Document], Mapping[str, object]]

    @property
    def name(self) -> str:
        return f"{self.collection}.{self.field}"


async def backfill(db: Database, derived: DerivedField) -> int:
    """Set the field on every record lacking it; returns how many were written.

    A record whose ``version`` changed since it was read, or that has the field by then, is left
    as that write made it (the next run looks at it again if it still lacks the field). A record
    ``derive`` fails on is skipped and counted in a warning, so it holds up neither the others
    nor, being left, the mark. Logs name the field and counts, never a document's content.
    """
    marks = db[BACKFILLS]
    if await marks.find_one({"_id": derived.name}, {"_id": 1}) is not None:
        return 0
    collection = db[derived.collection]
    missing = {derived.field: {"$exists": False}}
    written = failed = 0
    error_type = ""
    async for document in collection.find(missing, {f: 1 for f in (*derived.reads, "version")}):
        try:
            fields = dict(derived.derive(document))
        except Exception as exc:  # ``derive`` is each service's code over an old record of any shape:
            # one it cannot read is counted and logged by error type, and must not stop the rest
            failed, error_type = failed + 1, type(exc).__name__
            continue
        unchanged = missing | {"_id": document["_id"], "version": document.get("version")}
        result = await collection.update_one(unchanged, {"$set": fields})
        written += result.modified_count
    if written:
        _log.info("derived field backfilled", extra={"field": derived.name, "records": written})
    if failed:
        extra = {"field": derived.name, "records": failed, "error_type": error_type}
        _log.warning("derived field not derivable", extra=extra)
    elif not written and await collection.find_one(missing, {"_id": 1}) is None:
        await marks.update_one(
            {"_id": derived.name}, {"$setOnInsert": {"done_at": datetime.now(UTC)}}, upsert=True
        )
    return written
