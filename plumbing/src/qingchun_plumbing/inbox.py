"""Idempotent consumption: each event id is applied once per consuming service, by one delivery at a time.

Before its handler runs, a delivery *claims* the event id: it inserts the inbox document keyed by
the id, so the store's unique ``_id`` decides between deliveries that arrive at the same moment
(a redelivery after a connection blip while the first is still running, or the same event on two
replicas); a ``DuplicateKeyError`` means someone else has it. An inbox document is

- ``handling``: claimed by ``owner`` (a token of that one delivery) since ``claimed_at``, until
  ``lease_until``. The holder renews the lease while its handler runs; a claim whose lease ran out
  (its holder crashed) is taken over by a conditional update, so again only one delivery gets it.
  When the handler raises, the holder releases the claim (deletes it, only while it is its own) so
  the retry claims it afresh. A delivery that finds a live claim does not run the handler: the
  consumer schedules it again later (:mod:`qingchun_plumbing.consumer`).
- ``handled``: ``handled_at`` set, owner and lease removed. Documents written before claims existed
  (``type`` and ``handled_at`` only, no ``state``) count as handled.

Expiry: handled documents expire ``INBOX_RETENTION_SECONDS`` after ``handled_at`` (index
``inbox_expiry``, unchanged). A claim that is never completed nor released (its holder crashed and
the event never came back) expires ``CLAIM_RETENTION_SECONDS`` after its lease ran out (index
``inbox_claim_expiry`` on ``lease_until``, which completion removes). Keyed on the lease rather than
on the claim time, so a long handler that keeps renewing is never swept; and not by setting
``handled_at`` at claim time, which would make ``handled_at`` no longer mean "handled" to anyone
reading the inbox. Dropping an abandoned claim is harmless: it marks an event that was never
handled, which the next delivery would take over anyway.

Leases compare the replicas' clocks: the lease (30 s by default) must stay far above their skew.

A handler's own writes should also be idempotent, because a crash between the handler's write and
the "handled" mark means the event runs again once the claim's lease has run out:
:func:`apply_once` makes a single-document effect and its "applied" mark one write, so the second
delivery finds nothing to change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pymongo.errors import DuplicateKeyError, PyMongoError

from qingchun_contracts import Envelope
from qingchun_plumbing.mongo import Database, IndexSpec

INBOX = "_inbox"
APPLIED = "_applied_events"
_KEEP_APPLIED = 100
INBOX_RETENTION_SECONDS = 30 * 24 * 3600
CLAIM_RETENTION_SECONDS = 7 * 24 * 3600
LEASE = timedelta(seconds=30)
HANDLING, HANDLED = "handling", "handled"
_CLAIM_ROUNDS = 3  # a claim released between our insert and our read is claimed again, this often
_log = logging.getLogger("qingchun.inbox")

INBOX_INDEXES = [
    IndexSpec(INBOX, [("handled_at", 1)], name="inbox_expiry", expire_after_seconds=INBOX_RETENTION_SECONDS),
    IndexSpec(
        INBOX, [("lease_until", 1)], name="inbox_claim_expiry", expire_after_seconds=CLAIM_RETENTION_SECONDS
    ),
]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Verdict(StrEnum):
    CLAIMED = "claimed"
    TAKEN_OVER = "taken_over"  # from a holder whose lease ran out
    HANDLED = "handled"
    BUSY = "busy"  # another delivery holds a live claim


@dataclass(frozen=True)
class Claim:
    """What claiming an event id found; ``owner`` names this delivery's claim when it got one."""

    event_id: str
    verdict: Verdict
    owner: str

    @property
    def held(self) -> bool:
        return self.verdict in (Verdict.CLAIMED, Verdict.TAKEN_OVER)


class Inbox:
    """Which events this service has handled, and which delivery is handling one right now."""

    def __init__(self, db: Database, *, lease: timedelta = LEASE, clock: Clock = utc_now) -> None:
        self._collection = db[INBOX]
        self._lease = lease
        self._clock = clock

    async def seen(self, event_id: str) -> bool:
        """Whether the event was handled here (one still being handled is not)."""
        handled = {"_id": event_id, "state": {"$ne": HANDLING}}
        return await self._collection.find_one(handled, {"_id": 1}) is not None

    async def claim(self, envelope: Envelope) -> Claim:
        """Claim the event for this delivery, take over an expired claim, or say who has it."""
        owner = uuid.uuid4().hex
        for _ in range(_CLAIM_ROUNDS):
            now = self._clock()
            lease = {"state": HANDLING, "owner": owner, "claimed_at": now, "lease_until": now + self._lease}
            with contextlib.suppress(DuplicateKeyError):
                await self._collection.insert_one({"_id": envelope.id, "type": envelope.type, **lease})
                return Claim(envelope.id, Verdict.CLAIMED, owner)
            expired = {"_id": envelope.id, "state": HANDLING, "lease_until": {"$lt": now}}
            if await self._collection.find_one_and_update(expired, {"$set": lease}, {"_id": 1}) is not None:
                _log.warning(
                    "expired claim taken over", extra={"event_id": envelope.id, "event_type": envelope.type}
                )
                return Claim(envelope.id, Verdict.TAKEN_OVER, owner)
            found = await self._collection.find_one({"_id": envelope.id}, {"state": 1})
            if found is not None:
                verdict = Verdict.BUSY if found.get("state") == HANDLING else Verdict.HANDLED
                return Claim(envelope.id, verdict, owner)
        return Claim(envelope.id, Verdict.BUSY, owner)

    @contextlib.asynccontextmanager
    async def holding(self, claim: Claim) -> AsyncIterator[None]:
        """Keep the claim's lease alive while the block runs; then mark the event handled, or release
        the claim if the block raised."""
        keeper = asyncio.create_task(self._keep(claim), name=f"inbox-lease-{claim.event_id}")
        try:
            try:
                yield
            finally:
                await _stop(keeper)
        except Exception:  # the handler failed, whatever the error: free the claim for the retry, re-raise
            await self._release(claim)
            raise
        if not await self._complete(claim):
            # the lease ran out mid-handler and another delivery took the event over: it marks it
            _log.warning("event handled after its claim was taken over", extra={"event_id": claim.event_id})

    def _own(self, claim: Claim) -> dict[str, Any]:
        return {"_id": claim.event_id, "owner": claim.owner, "state": HANDLING}

    async def _keep(self, claim: Claim) -> None:
        """Renew the lease every third of it, until stopped or until the claim turns out lost."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            try:
                renewed = await self._collection.update_one(
                    self._own(claim), {"$set": {"lease_until": self._clock() + self._lease}}
                )
            except PyMongoError as exc:  # the store is briefly away: try again at the next round
                _log.warning(
                    "claim lease not renewed",
                    extra={"event_id": claim.event_id, "error_type": type(exc).__name__},
                )
                continue
            if renewed.matched_count == 0:
                return

    async def _complete(self, claim: Claim) -> bool:
        done = await self._collection.update_one(
            self._own(claim),
            {
                "$set": {"state": HANDLED, "handled_at": self._clock()},
                "$unset": {"owner": "", "lease_until": ""},
            },
        )
        return done.matched_count == 1

    async def _release(self, claim: Claim) -> None:
        try:
            await self._collection.delete_one(self._own(claim))
        except PyMongoError as exc:  # the store is down too: the lease runs out and the retry takes over
            _log.warning(
                "claim not released; its lease will run out",
                extra={"event_id": claim.event_id, "error_type": type(exc).__name__},
            )


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel a task and wait for it to end, without taking its cancellation for ours."""
    task.cancel()
    await asyncio.wait([task])


def apply_once(
    filter_: dict[str, Any], update: dict[str, Any], event_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Guard a single-document update so that one event applies it at most once."""
    guarded = {**filter_, APPLIED: {"$ne": event_id}}
    push = dict(update.get("$push", {}))
    push[APPLIED] = {"$each": [event_id], "$slice": -_KEEP_APPLIED}
    return guarded, {**update, "$push": push}
