"""The derived-field backfill on the real store: who gets the field, who is left, and the mark."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

import pytest
from pymongo import MongoClient
from pymongo.synchronous.database import Database as BlockingDatabase

from qingchun_plumbing.derived import BACKFILLS, DerivedField, backfill
from qingchun_plumbing.logs import JsonFormatter
from qingchun_plumbing.mongo import Database, Document
from qingchun_plumbing.testing.fixtures import Isolation

PEOPLE = "people"
KEY = "name_key"
NAMES = {"p1": "张小明", "p2": "李 Xiaohong", "p3": "王芳"}


def name_key(document: Document) -> Mapping[str, object]:
    return {KEY: "".join(document["name"].split()).lower()}


NAME_KEY = DerivedField(PEOPLE, KEY, ("name",), name_key)


async def insert_people(db: Database, names: Mapping[str, str]) -> None:
    await db[PEOPLE].insert_many(
        [{"_id": i, "name": name, "phone": "13800138000", "version": 1} for i, name in names.items()]
    )


async def keys(db: Database) -> dict[str, str | None]:
    return {d["_id"]: d.get(KEY) async for d in db[PEOPLE].find({}, {KEY: 1})}


async def marked(db: Database) -> bool:
    return await db[BACKFILLS].find_one({"_id": NAME_KEY.name}) is not None


@pytest.fixture
def blocking(isolation: Isolation, db: Database) -> Iterator[BlockingDatabase[Document]]:
    """The same database through a blocking client, for a ``derive`` (synchronous) that writes."""
    client: MongoClient[Document] = MongoClient(isolation.components.mongo_url)
    with client:
        yield client[db.name]


async def test_records_lacking_the_field_get_it_and_no_other_is_touched(db: Database) -> None:
    await insert_people(db, NAMES)
    await db[PEOPLE].insert_one({"_id": "p4", "name": "Zhao", KEY: "by-the-new-code", "version": 3})
    seen: list[Document] = []

    def recording(document: Document) -> Mapping[str, object]:
        seen.append(document)
        return name_key(document)

    assert await backfill(db, DerivedField(PEOPLE, KEY, ("name",), recording)) == 3
    assert await keys(db) == {"p1": "张小明", "p2": "李xiaohong", "p3": "王芳", "p4": "by-the-new-code"}
    assert {tuple(sorted(d)) for d in seen} == {("_id", "name", "version")}  # only what it reads
    versions = {d["_id"]: d["version"] async for d in db[PEOPLE].find({}, {"version": 1})}
    assert versions == {"p1": 1, "p2": 1, "p3": 1, "p4": 3}  # nothing the record's reader sees changed


async def test_a_record_written_between_the_read_and_the_write_is_left_as_written(
    db: Database, blocking: BlockingDatabase[Document]
) -> None:
    await insert_people(db, NAMES)

    def racing(document: Document) -> Mapping[str, object]:
        people = blocking[PEOPLE]
        if document["_id"] == "p2":  # a versioned write that does not set the field lands first
            people.update_one({"_id": "p2"}, {"$set": {"name": "李红"}, "$inc": {"version": 1}})
        if document["_id"] == "p3":  # a rewrite of the field alone, keeping the version, lands first
            people.update_one({"_id": "p3"}, {"$set": {"name": "王小芳", KEY: "王小芳"}})
        return name_key(document)

    assert await backfill(db, DerivedField(PEOPLE, KEY, ("name",), racing)) == 1
    assert await keys(db) == {"p1": "张小明", "p2": None, "p3": "王小芳"}
    assert not await marked(db)  # p2 is left, so the collection is not done
    assert await backfill(db, NAME_KEY) == 1  # the next run derives it from what is stored now
    assert (await keys(db))["p2"] == "李红"


async def test_the_mark_is_written_by_a_run_that_finds_nothing_and_then_no_run_scans(db: Database) -> None:
    """After the mark a record lacking the field is not backfilled: the mark is read, not the
    collection. That is the intended trade-off, as every write of the new code sets the field;
    a record written meanwhile by the old code (a rolling update) is found by the run after."""
    await insert_people(db, {"p1": NAMES["p1"], "p2": NAMES["p2"]})
    assert await backfill(db, NAME_KEY) == 2
    assert not await marked(db)
    await insert_people(db, {"p3": NAMES["p3"]})  # an instance of the old release still writing
    assert await backfill(db, NAME_KEY) == 1
    assert not await marked(db)
    assert await backfill(db, NAME_KEY) == 0
    assert await marked(db)
    await insert_people(db, {"p4": "赵六"})
    assert await backfill(db, NAME_KEY) == 0
    assert (await keys(db))["p4"] is None
    (mark,) = await db[BACKFILLS].find().to_list()
    assert (mark["_id"], type(mark["done_at"]).__name__) == ("people.name_key", "datetime")


async def test_a_record_derive_fails_on_is_skipped_and_keeps_the_mark_away(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The others are written; the failure is logged by field, count and type, without the content
    of the record, even though the error's own message quotes it."""
    caplog.set_level(logging.DEBUG)
    await insert_people(db, NAMES)

    def strict(document: Document) -> Mapping[str, object]:
        if " " in document["name"]:
            raise ValueError(f"cannot key {document['name']!r}")
        return name_key(document)

    picky = DerivedField(PEOPLE, KEY, ("name",), strict)
    assert await backfill(db, picky) == 2
    assert await backfill(db, picky) == 0
    assert not await marked(db)  # p2 still lacks the field
    assert (await keys(db))["p2"] is None
    formatter = JsonFormatter("test")
    lines = [formatter.format(r) for r in caplog.records if r.name == "qingchun.derived"]
    assert [s for s in (*NAMES.values(), "Xiaohong", "13800138000") if any(s in line for line in lines)] == []
    reported = [(r.levelname, r.getMessage(), r.__dict__.get("records")) for r in caplog.records]
    assert ("INFO", "derived field backfilled", 2) in reported
    assert reported.count(("WARNING", "derived field not derivable", 1)) == 2
    assert any('"error_type": "ValueError"' in line and '"people.name_key"' in line for line in lines)
