"""The admin command line against the running service over real HTTP: register, list, update,
rotate, remove; a refusal is printed as the service's problem and exits 1."""

from __future__ import annotations

import asyncio
import json

import pytest

from partners_harness import Stack, listening
from qingchun_contracts.employment import PostingPublished
from qingchun_contracts.volunteering import ActivityPublished
from qingchun_partners.cli import main


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = await asyncio.to_thread(main, list(argv))
    return code, json.loads(capsys.readouterr().out)


async def test_register_list_update_rotate_and_remove_from_the_command_line(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    district = await stack.org("城区街道团工委", "league_working_committee", stack.city_id)
    async with listening(stack.app) as url:
        common = ["--url", url, "--token", stack.isolation.token("city_admin", scope=[stack.city_id])]
        code, created = await run(
            capsys,
            *common,
            "register",
            "--name",
            "灵武市人社局",
            "--event-type",
            PostingPublished.event_type,
            "--district",
            district,
        )
        assert code == 0, created
        partner_id = created["partner"]["id"]
        assert created["partner"]["roots"] == [district]
        assert created["credentials"]["amqp"]["password"]
        code, listed = await run(capsys, *common, "list")
        assert (code, [p["id"] for p in listed["items"]]) == (0, [partner_id])
        community = await stack.org("育才街社区", "community", district)
        code, updated = await run(
            capsys,
            *common,
            "update",
            partner_id,
            "--event-type",
            PostingPublished.event_type,
            "--event-type",
            ActivityPublished.event_type,
            "--organization",
            community,
            "--version",
            "1",
        )
        assert code == 0, updated
        assert (updated["event_types"], updated["roots"], updated["version"]) == (
            [PostingPublished.event_type, ActivityPublished.event_type],
            [community],
            2,
        )
        assert "credentials" not in updated
        code, stale = await run(
            capsys, *common, "update", partner_id, "--name", "灵武市图书馆", "--version", "1"
        )
        assert (code, stale["code"]) == (1, "concurrent_update")
        code, rotated = await run(capsys, *common, "rotate", partner_id)
        assert code == 0
        assert rotated["credentials"]["amqp"]["password"] != created["credentials"]["amqp"]["password"]
        code, removed = await run(capsys, *common, "remove", partner_id)
        assert (code, removed["status"]) == (0, "deregistered")
        code, refused = await run(
            capsys,
            *common,
            "register",
            "--name",
            "灵武市人社局",
            "--event-type",
            "qingchun.volunteering.hours.verified.v1",
        )
        assert (code, refused["code"], refused["field"]) == (1, "internal_event_type", "event_types.0")
