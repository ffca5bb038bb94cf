"""The operations commands on the real store and broker, run as an operator runs them (the CLI's
``main``, in a worker thread since it starts its own event loop)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bson import Binary, Decimal128, Int64, ObjectId
from bson.raw_bson import RawBSONDocument

from qingchun_contracts import Envelope
from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.inbox import INBOX, Inbox
from qingchun_plumbing.mongo import Database, connect, database, ensure_indexes
from qingchun_plumbing.ops.__main__ import main
from qingchun_plumbing.ops.backup import RAW
from qingchun_plumbing.outbox import outbox_indexes, with_outbox
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.fixtures import EventTap, Isolation
from qingchun_plumbing.testing.probe import PROBE, Probe, eventually

EVENT = OrganizationDeactivated.event_type
AS = "volunteering"  # the database the store-only commands address, with no service running


async def ops(
    capsys: pytest.CaptureFixture[str], settings: ServiceSettings, *argv: str
) -> list[dict[str, Any]]:
    """Run one command; its JSON lines (stdout), or a one-item list with the refusal (stderr)."""
    status = await asyncio.to_thread(main, list(argv), settings)
    out, err = capsys.readouterr()
    if status != 0:
        return [json.loads(err)]
    return [json.loads(line) for line in out.splitlines()]


async def dead_count(probe: Probe) -> float:
    return await probe.figure("qingchun_queue_depth", queue="dead")


async def failed_note(probe: Probe, event_tap: EventTap) -> Envelope:
    note = await probe.note("dissolved")
    return await event_tap.wait_for(EVENT, lambda e: e.id == note["event_id"])


async def test_a_replayed_dead_letter_is_processed_once(
    probe: Probe, event_tap: EventTap, capsys: pytest.CaptureFixture[str]
) -> None:
    probe.failing.add("dissolved")
    event = await failed_note(probe, event_tap)
    await probe.runtime.bus.publish(event)  # the broker delivered it twice: two dead copies

    async def both_dead() -> bool:
        return await dead_count(probe) == 2

    await eventually(both_dead, within=20, what="both copies dead-lettered")
    settings = probe.runtime.settings
    listed = await ops(capsys, settings, PROBE, "dead-letters", "list")
    assert [(d["event_id"], d["type"], d["attempts"], d["decodable"]) for d in listed] == [
        (event.id, EVENT, 2, True),
        (event.id, EVENT, 2, True),
    ]
    assert "13912345678" not in json.dumps(listed, ensure_ascii=False)  # metadata only, never the data
    assert await dead_count(probe) == 2, "listing consumes nothing"

    probe.failing.clear()  # the bug is fixed
    events = "qingchun_consumer_events_total"
    before = {o: await probe.figure(events, outcome=o) for o in ("handled", "duplicate")}
    replayed = await ops(capsys, settings, PROBE, "dead-letters", "replay")
    assert [d["event_id"] for d in replayed] == [event.id, event.id]

    async def both_copies_consumed() -> bool:
        after = [await probe.figure(events, outcome=o) - before[o] for o in ("handled", "duplicate")]
        return sum(after) == 2

    # the two copies may arrive together: one claims the event, the other is deferred, then a duplicate
    await eventually(both_copies_consumed, what="both replayed copies consumed")
    note_id = event.subject
    assert note_id is not None
    assert await probe.applied(note_id) == 1
    assert await Inbox(probe.runtime.db).seen(event.id)
    assert await dead_count(probe) == 0
    consumed = sum([await probe.figure(events, outcome=o) for o in ("handled", "duplicate")])

    again = await ops(capsys, settings, PROBE, "dead-letters", "replay")
    assert again == []
    await asyncio.sleep(0.5)
    assert sum([await probe.figure(events, outcome=o) for o in ("handled", "duplicate")]) == consumed
    assert await probe.applied(note_id) == 1


async def test_replay_by_id_moves_that_dead_letter_only(
    probe: Probe, event_tap: EventTap, capsys: pytest.CaptureFixture[str]
) -> None:
    probe.failing.add("dissolved")
    first, second = await failed_note(probe, event_tap), await failed_note(probe, event_tap)

    async def both_dead() -> bool:
        return await dead_count(probe) == 2

    await eventually(both_dead, within=20, what="both notes dead-lettered")
    probe.failing.clear()
    settings = probe.runtime.settings
    replayed = await ops(capsys, settings, PROBE, "dead-letters", "replay", "--id", second.id)
    assert [d["event_id"] for d in replayed] == [second.id]
    assert second.subject is not None
    assert first.subject is not None

    async def second_applied() -> bool:
        return await probe.applied(str(second.subject)) == 1

    await eventually(second_applied, what="the replayed note applied")
    assert await probe.applied(first.subject) == 0
    left = await ops(capsys, settings, PROBE, "dead-letters", "list")
    assert [d["event_id"] for d in left] == [first.id]


@pytest.fixture
async def store(isolation: Isolation) -> AsyncIterator[Database]:
    """The database the CLI addresses as ``AS`` under the test's prefix, with no service running."""
    client = connect(isolation.components.mongo_url)
    yield database(client, isolation.prefix, AS)
    await client.close()


def cli_settings(isolation: Isolation, **overrides: Any) -> ServiceSettings:
    return isolation.settings(ServiceSettings, AS, **overrides)


async def test_outbox_show_and_drain(
    isolation: Isolation, store: Database, event_tap: EventTap, capsys: pytest.CaptureFixture[str]
) -> None:
    await ensure_indexes(store, outbox_indexes(["notes"]))
    events = [
        Envelope.wrap(OrganizationDeactivated(organization_id=f"org_{n}", reason_code="merged"), source="/t")
        for n in range(3)
    ]
    await store["notes"].insert_one(with_outbox({"_id": "n1", "phone": "13800000000"}, events[:2]))
    await store["notes"].insert_one(with_outbox({"_id": "n2", "phone": "13800000001"}, events[2:]))
    await store["plain"].insert_one({"_id": "x"})  # not an outbox collection
    settings = cli_settings(isolation)

    shown = await ops(capsys, settings, AS, "outbox", "show")
    assert sorted((p["collection"], p["document_id"], p["event_id"]) for p in shown) == sorted(
        [("notes", "n1", events[0].id), ("notes", "n1", events[1].id), ("notes", "n2", events[2].id)]
    )
    assert "1380000000" not in json.dumps(shown)

    drained = await ops(capsys, settings, AS, "outbox", "drain")
    assert drained == [{"published": 3}]
    for event in events:
        await event_tap.wait_for(EVENT, lambda e, wanted=event.id: e.id == wanted)
    assert await ops(capsys, settings, AS, "outbox", "show") == []
    assert await ops(capsys, settings, AS, "outbox", "drain") == [{"published": 0}]


async def test_backup_and_restore_round_trip_every_type(
    isolation: Isolation, store: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    when = datetime(2026, 5, 4, 8, 30, 15, 123000, tzinfo=UTC)
    documents = [
        {
            "_id": ObjectId(),
            "name": "文昌阁社区青年之家",
            "at": when,
            "hours": Decimal128(Decimal("12.50")),
            "count": Int64(2**40),
            "blob": Binary(b"\x00\x01\xfe\xff"),
            "nested": {"tags": ["七彩假期", None, 3.25], "empty": {}},
        }
        for _ in range(3)
    ] + [{"_id": f"str_{n}", "n": n} for n in range(1200)]  # more than one insert batch
    await store["records"].insert_many(documents)
    await store[INBOX].insert_one({"_id": "evt-1", "handled_at": when})
    settings = cli_settings(isolation)

    (manifest,) = await ops(capsys, settings, AS, "backup", str(tmp_path / "b"))
    assert manifest["collections"] == {INBOX: 1, "records": 1203}

    target = cli_settings(isolation, db_prefix=f"{isolation.prefix}r_")
    (restored,) = await ops(capsys, target, AS, "restore", str(tmp_path / "b"))
    assert restored["restored"] == {INBOX: 1, "records": 1203}
    copy = store.client[f"{isolation.prefix}r_{AS}"]

    async def raw(db: Any, name: str) -> list[bytes]:
        found: list[RawBSONDocument] = await db.get_collection(name, codec_options=RAW).find({}).to_list()
        return sorted(d.raw for d in found)

    for name in ("records", INBOX):
        assert await raw(copy, name) == await raw(store, name), f"{name} differs after the round trip"

    (again,) = await ops(capsys, target, AS, "restore", str(tmp_path / "b"))
    assert "not empty" in again["refused"]
    (elsewhere,) = await ops(capsys, settings, "education", "restore", str(tmp_path / "b"))
    assert "backup of 'volunteering'" in elsewhere["refused"]
    (occupied,) = await ops(capsys, settings, AS, "backup", str(tmp_path / "b"))
    assert "not empty" in occupied["refused"]
