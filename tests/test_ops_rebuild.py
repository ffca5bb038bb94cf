"""Rebuilding a service's read model of the registry's organisations from a replay of the registry's
state (``python -m qingchun_plumbing.ops <service> rebuild-read-model``), with both services running
on the real store and broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from qingchun_plumbing.directory import ORGANIZATIONS
from qingchun_plumbing.ops.__main__ import main
from qingchun_plumbing.ops.rebuild import rebuild_directory
from qingchun_plumbing.testing.fixtures import Isolation, serve
from qingchun_plumbing.testing.stack import ServiceStack
from qingchun_registry.service import create_app as create_registry
from qingchun_registry.settings import RegistrySettings
from qingchun_volunteering.service import create_app as create_volunteering
from qingchun_volunteering.settings import VolunteeringSettings


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[ServiceStack]:
    volunteering = create_volunteering(isolation.settings(VolunteeringSettings, "volunteering"))
    async with (
        serve(create_registry(isolation.settings(RegistrySettings, "registry"))) as registry,
        serve(volunteering) as service,
    ):
        built = ServiceStack(registry, service, volunteering, isolation)
        built.city_id = await built.org("孝感团市委", "league_city_committee", None, area={"city": "孝感市"})
        yield built


async def kept(stack: ServiceStack) -> dict[str, tuple[str, str | None, str]]:
    """The read model as (name, parent, status) per organisation id."""
    documents = await stack.app.state.runtime.db[ORGANIZATIONS].find({}).to_list()
    return {d["_id"]: (d["name"], d.get("parent_id"), d["status"]) for d in documents}


async def test_a_lost_or_corrupt_read_model_is_rebuilt_from_the_registry(stack: ServiceStack) -> None:
    first = await stack.community("文昌阁社区", "新华街道团工委")
    second = await stack.community("城东社区", "新华街道团工委")
    closed = await stack.community("合并前社区", "新华街道团工委")
    deactivated = await stack.registry.post(
        f"/v1/organizations/{closed}:deactivate", json={"reason_code": "merged"}, headers=stack.admin()
    )
    assert deactivated.status_code == 200, deactivated.text
    await stack.known(closed, status="inactive")
    truth = await kept(stack)
    assert len(truth) == 5
    assert truth[closed][2] == "inactive"

    orgs = stack.app.state.runtime.db[ORGANIZATIONS]
    await orgs.delete_many({"_id": {"$in": [first, closed]}})  # lost
    long_ago = datetime.now(UTC) - timedelta(days=400)
    await orgs.update_one({"_id": second}, {"$set": {"name": "错名", "as_of": long_ago}})  # stale

    replayed = await rebuild_directory(stack.app.state.runtime.db, stack.registry, stack.admin())
    assert replayed == 5
    assert await kept(stack) == truth

    # a corrupt entry that claims to be newer than the registry survives a plain replay; --wipe fixes it
    await orgs.update_one(
        {"_id": first}, {"$set": {"name": "错名", "as_of": datetime.now(UTC) + timedelta(days=1)}}
    )
    await rebuild_directory(stack.app.state.runtime.db, stack.registry, stack.admin())
    assert (await kept(stack))[first][0] == "错名"
    await rebuild_directory(stack.app.state.runtime.db, stack.registry, stack.admin(), wipe=True)
    assert await kept(stack) == truth


async def test_the_command_refuses_what_it_cannot_rebuild(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, reason in (
        (["registry", "rebuild-read-model", "--token", "t"], "the registry owns the organisations"),
        (["volunteering", "rebuild-read-model", "--token", ""], "needs a token"),
    ):
        assert await asyncio.to_thread(main, argv) == 1
        assert reason in capsys.readouterr().err
