"""The outbox proof: a registry process killed right after its state write (before anything was
published) loses nothing: the restarted service publishes the event, once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from qingchun_plumbing.mongo import connect, database
from qingchun_plumbing.testing.fixtures import EventTap, Isolation, serve
from qingchun_registry.service import create_app
from qingchun_registry.settings import RegistrySettings

REGISTERED = "qingchun.registry.organization.registered.v1"

# Runs the real use case; the relay's wake-up call is replaced by SIGKILL, so the process dies
# after the document (with its outbox) is written and before any publish could happen.
CHILD = """
import asyncio, os, signal
from datetime import UTC, datetime
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import connect, database
from qingchun_registry.adapters.store import RegistryStore
from qingchun_registry.app import organizations
from qingchun_registry.app.commands import OrganizationCreate
from qingchun_registry.app.context import RegistryContext
from qingchun_registry.domain.organizations import OrgType
from qingchun_registry.settings import RegistrySettings

async def main() -> None:
    settings = RegistrySettings()
    db = database(connect(settings.mongo_url), settings.db_prefix, "registry")
    context = RegistryContext(RegistryStore(db), EventFactory("registry"),
                              lambda: os.kill(os.getpid(), signal.SIGKILL), settings,
                              lambda: datetime.now(UTC).date())
    caller = Caller("crash-test", frozenset({Role.CITY_ADMIN}))
    await organizations.register(context, caller,
                                 OrganizationCreate(name="孝感团市委", type=OrgType.LEAGUE_CITY_COMMITTEE))

asyncio.run(main())
"""


async def test_killed_between_write_and_publish_delivers_once_after_restart(
    isolation: Isolation, event_tap: EventTap
) -> None:
    settings = isolation.settings(RegistrySettings, "registry")
    env = os.environ | {
        "QINGCHUN_MONGO_URL": settings.mongo_url,
        "QINGCHUN_AMQP_URL": settings.amqp_url,
        "QINGCHUN_DB_PREFIX": settings.db_prefix,
        "QINGCHUN_BUS_PREFIX": settings.bus_prefix,
    }
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", CHILD, env=env)
    assert await child.wait() == -signal.SIGKILL

    client = connect(settings.mongo_url)
    organizations = database(client, settings.db_prefix, "registry")["organizations"]
    saved = await organizations.find_one({"name": "孝感团市委"})
    assert saved is not None, "the state change was not written"
    assert len(saved["_outbox"]) == 1
    await asyncio.sleep(0.5)
    assert event_tap.received == [], "nothing may be published before the restart"

    async with serve(create_app(settings)):
        event = await event_tap.wait_for(REGISTERED)
        await asyncio.sleep(1.5)  # several relay polls: a second publish would show up here
    assert len(event_tap.of_type(REGISTERED)) == 1
    assert event.id == saved["_outbox"][0]["id"]
    assert event.subject == saved["_id"]
    drained = await organizations.find_one({"_id": saved["_id"]})
    assert drained is not None
    assert drained["_outbox"] == []
    await client.close()
