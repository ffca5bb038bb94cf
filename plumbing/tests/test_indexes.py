"""Indexes declared in code, on the real store: created once, left alone when unchanged, rebuilt
when a new release changes a declaration under the same name."""

from __future__ import annotations

from typing import Any

from qingchun_plumbing.mongo import IndexSpec, connect, ensure_indexes
from qingchun_plumbing.testing.fixtures import Isolation


async def indexes(isolation: Isolation) -> dict[str, Any]:
    client = connect(isolation.components.mongo_url)
    try:
        found: dict[str, Any] = await client[f"{isolation.prefix}probe"]["things"].index_information()
        return found
    finally:
        await client.close()


async def test_a_changed_declaration_is_rebuilt_and_an_unchanged_one_left_alone(isolation: Isolation) -> None:
    client = connect(isolation.components.mongo_url)
    db = client[f"{isolation.prefix}probe"]
    try:
        before = IndexSpec("things", [("code", 1)], "things_code")
        await ensure_indexes(db, [before])
        await ensure_indexes(db, [before])
        assert (await indexes(isolation))["things_code"]["key"] == [("code", 1)]

        await db["things"].insert_many([{"code": "a", "area": "x"}, {"code": "b", "area": "x"}])
        after = IndexSpec("things", [("area", 1), ("code", 1)], "things_code", unique=True)
        await ensure_indexes(db, [after])
        rebuilt = (await indexes(isolation))["things_code"]
        assert rebuilt["key"] == [("area", 1), ("code", 1)]
        assert rebuilt.get("unique") is True
    finally:
        await client.close()
