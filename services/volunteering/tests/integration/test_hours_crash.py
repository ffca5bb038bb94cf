"""The outbox proof for verification: a volunteering process killed right after verifying an hour
entry (before anything was published) loses nothing; after restart the event is published once
and the volunteer's total counts it once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime

from hours_harness import RECENT, eventually, evidence

from qingchun_plumbing.mongo import connect, database, new_id
from qingchun_plumbing.testing.fixtures import EventTap, Isolation, serve
from qingchun_volunteering.service import create_app
from qingchun_volunteering.settings import VolunteeringSettings

VERIFIED = "qingchun.volunteering.hours.verified.v1"

# The real verification use case on the real store; the relay's wake-up call is replaced by
# SIGKILL, so the process dies after the entry (with its outbox) is written, before any publish.
CHILD = """
import asyncio, os, signal
from datetime import UTC, datetime
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.events import EventFactory
from qingchun_plumbing.mongo import connect, database
from qingchun_plumbing.directory import OrganizationDirectory
from qingchun_volunteering.adapters import certificates, community_checkins, hours, matching
from qingchun_volunteering.adapters import pairings, store, teams
from qingchun_volunteering.app import hours as hours_app
from qingchun_volunteering.app.context import VolunteeringContext
from qingchun_volunteering.settings import VolunteeringSettings

async def main() -> None:
    settings = VolunteeringSettings()
    db = database(connect(settings.mongo_url), settings.db_prefix, "volunteering")
    context = VolunteeringContext(
        store=store.VolunteeringStore(db), orgs=OrganizationDirectory(db), hours=hours.HoursStore(db),
        community_checkins=community_checkins.CommunityCheckinStore(db), pairings=pairings.PairingStore(db),
        teams=teams.TeamStore(db), matching=matching.MatchingStore(db),
        certificates=certificates.CertificateStore(db), events=EventFactory("volunteering"),
        notify=lambda: os.kill(os.getpid(), signal.SIGKILL), settings=settings, now=lambda: datetime.now(UTC))
    caller = Caller("o2", frozenset({Role.COMMUNITY_STAFF}), frozenset({os.environ["TEST_ORG"]}))
    await hours_app.verify(context, caller, os.environ["TEST_ENTRY"])

asyncio.run(main())
"""


async def test_killed_between_verifying_and_publishing_loses_nothing(
    isolation: Isolation, event_tap: EventTap
) -> None:
    settings = isolation.settings(VolunteeringSettings, "volunteering")
    org = new_id("org")
    app = create_app(settings)
    async with serve(app) as client:
        await app.state.volunteering.orgs.remember(
            org,
            {"name": "育才街社区", "type": "community", "parent_id": None, "status": "active"},
            datetime.now(UTC),
        )
        registered = await client.post(
            "/v1/volunteers",
            json={"display_name": "志愿者", "birth_date": "1998-05-04", "volunteer_type": "youth"},
            headers=isolation.headers("volunteer", subject="v1"),
        )
        assert registered.status_code == 201, registered.text
        volunteer_id = registered.json()["id"]
        claim = {
            "volunteer_id": volunteer_id,
            "host_organization_id": org,
            "served_on": RECENT,
            "minutes": 150,
            "activity_title": "社区环境卫生整治",
            "evidence": evidence(),
        }
        requested = await client.post(
            "/v1/hour-entries",
            json=claim,
            headers=isolation.headers("community_staff", scope=[org], subject="o1"),
        )
        assert requested.status_code == 201, requested.text
        entry_id = requested.json()["id"]

    env = os.environ | {
        "QINGCHUN_MONGO_URL": settings.mongo_url,
        "QINGCHUN_AMQP_URL": settings.amqp_url,
        "QINGCHUN_DB_PREFIX": settings.db_prefix,
        "QINGCHUN_BUS_PREFIX": settings.bus_prefix,
        "TEST_ORG": org,
        "TEST_ENTRY": entry_id,
    }
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", CHILD, env=env)
    assert await child.wait() == -signal.SIGKILL

    client_db = connect(settings.mongo_url)
    db = database(client_db, settings.db_prefix, "volunteering")
    saved = await db["hour_entries"].find_one({"_id": entry_id})
    assert saved is not None
    assert (saved["status"], saved["verified_by"]) == ("verified", "o2")
    assert [e["type"] for e in saved["_outbox"]] == [VERIFIED]
    await asyncio.sleep(0.5)
    assert event_tap.of_type(VERIFIED) == [], "nothing may be published before the restart"

    restarted = create_app(settings)
    async with serve(restarted):
        event = await event_tap.wait_for(VERIFIED)

        async def counted() -> bool:
            volunteer = await db["volunteers"].find_one({"_id": volunteer_id})
            return volunteer is not None and volunteer["verified_minutes"] == 150

        await eventually(counted, "the restarted service never counted the verified minutes")
        await asyncio.sleep(1.5)  # several relay polls: a second publish would show up here
    assert len(event_tap.of_type(VERIFIED)) == 1
    assert event.id == saved["_outbox"][0]["id"]
    assert event.data["minutes"] == 150
    drained = await db["hour_entries"].find_one({"_id": entry_id})
    assert drained is not None
    assert drained["_outbox"] == []
    volunteer = await db["volunteers"].find_one({"_id": volunteer_id})
    assert volunteer is not None
    assert volunteer["verified_minutes"] == 150
    await client_db.close()
