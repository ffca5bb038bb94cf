"""The inbox's claims on the real store: one holder at a time, an expired lease taken over, a claim
released only by its holder, a running holder's lease kept alive, and both kinds of document expiring
by their own clocks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.errors import OperationFailure

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.inbox import INBOX, INBOX_INDEXES, LEASE, Inbox, Verdict
from qingchun_plumbing.mongo import Database, ensure_indexes


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def event() -> Envelope:
    return Envelope.wrap(OrganizationDeactivated(organization_id="org_1", reason_code="merged"), source="/t")


async def test_one_holder_at_a_time_and_an_expired_lease_is_taken_over(db: Database) -> None:
    clock = Clock()
    first, second = Inbox(db, clock=clock), Inbox(db, clock=clock)  # two replicas
    envelope = event()
    mine = await first.claim(envelope)
    assert mine.verdict is Verdict.CLAIMED
    assert (await second.claim(envelope)).verdict is Verdict.BUSY
    assert not await first.seen(envelope.id), "a claim is not a handled event"

    clock.now += LEASE + timedelta(seconds=1)  # the first holder stalled past its lease
    theirs = await second.claim(envelope)
    assert theirs.verdict is Verdict.TAKEN_OVER
    async with first.holding(mine):  # the stalled holder finishes: the event is no longer its own
        pass
    assert not await first.seen(envelope.id)
    assert (await first.claim(envelope)).verdict is Verdict.BUSY
    async with second.holding(theirs):
        pass
    assert await first.seen(envelope.id)
    assert (await first.claim(envelope)).verdict is Verdict.HANDLED


async def test_a_failure_releases_the_claim_of_its_holder_only(db: Database) -> None:
    clock = Clock()
    first, second = Inbox(db, clock=clock), Inbox(db, clock=clock)
    envelope = event()
    mine = await first.claim(envelope)
    with pytest.raises(RuntimeError):
        async with first.holding(mine):
            raise RuntimeError("handler failed")
    assert (await second.claim(envelope)).verdict is Verdict.CLAIMED, "released for the retry"

    clock.now += LEASE + timedelta(seconds=1)
    stale = await first.claim(envelope)
    assert stale.verdict is Verdict.TAKEN_OVER
    clock.now += LEASE + timedelta(seconds=1)
    current = await second.claim(envelope)
    assert current.verdict is Verdict.TAKEN_OVER
    with pytest.raises(RuntimeError):
        async with first.holding(stale):  # the stale holder fails: not its claim to release
            raise RuntimeError("handler failed")
    assert (await first.claim(envelope)).verdict is Verdict.BUSY


async def test_a_running_holder_keeps_its_lease(db: Database) -> None:
    lease = timedelta(seconds=0.3)
    first, second = Inbox(db, lease=lease), Inbox(db, lease=lease)
    envelope = event()
    mine = await first.claim(envelope)
    async with first.holding(mine):
        await asyncio.sleep(4 * lease.total_seconds())  # a slow handler, well past one lease
        assert (await second.claim(envelope)).verdict is Verdict.BUSY
    assert await second.seen(envelope.id)


async def test_a_record_of_the_previous_release_counts_as_handled(db: Database) -> None:
    envelope = event()
    await db[INBOX].insert_one({"_id": envelope.id, "type": envelope.type, "handled_at": datetime.now(UTC)})
    inbox = Inbox(db)
    assert await inbox.seen(envelope.id)
    assert (await inbox.claim(envelope)).verdict is Verdict.HANDLED


async def test_handled_events_and_abandoned_claims_expire_by_their_own_clocks(db: Database) -> None:
    await ensure_indexes(db, INBOX_INDEXES)
    long_ago, now = Clock(datetime.now(UTC) - timedelta(days=40)), Clock()
    handled_long_ago, abandoned_long_ago, finished_now, abandoned_lately = (event() for _ in range(4))
    old = Inbox(db, clock=long_ago)
    async with old.holding(await old.claim(handled_long_ago)):
        pass
    await old.claim(abandoned_long_ago)
    slow = await old.claim(finished_now)  # a claim that started long ago and completes now
    long_ago.now = now.now
    async with old.holding(slow):
        pass
    await Inbox(db, clock=lambda: now.now - timedelta(hours=1)).claim(abandoned_lately)
    expected = {finished_now.id, abandoned_lately.id}
    assert await left_after_ttl_sweep(db) == expected


async def left_after_ttl_sweep(db: Database) -> set[str]:
    """The inbox after the store's TTL sweep: SecantusDB sweeps on demand; MongoDB's monitor runs
    every 60 s, so there the test waits for it (up to 90 s) instead of being skipped."""
    try:
        await db.client.admin.command({"secantusAdmin.pruneTtl": 1})
        deadline = asyncio.get_running_loop().time()
    except OperationFailure:
        deadline = asyncio.get_running_loop().time() + 90
    while True:
        left = {d["_id"] for d in await db[INBOX].find({}, {"_id": 1}).to_list()}
        if len(left) <= 2 or asyncio.get_running_loop().time() >= deadline:
            return left
        await asyncio.sleep(1)
