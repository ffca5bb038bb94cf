"""The fields matching finds shifts by (``area_ids``, ``accepting``, ``open``) stay true to the
activity's status and the shift's free places through every write that changes them."""

from __future__ import annotations

import asyncio
from typing import Any

from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_volunteering.app.activities import backfill_listings
from volunteering_harness import Stack


async def _street_and_community(stack: Stack) -> tuple[str, str]:
    street = await stack.org("城区街道团工委", "league_working_committee", stack.city_id)
    return street, await stack.org("育才街社区", "community", street)


async def _stored(stack: Stack, shift_id: str) -> dict[str, Any]:
    """The raw document, as the matching queries see it."""
    shifts = stack.volunteering_app.state.runtime.db["shifts"]
    found: dict[str, Any] = await shifts.find_one({"_id": shift_id})
    return found


async def _listing(stack: Stack, shift_id: str) -> tuple[bool, bool, int]:
    doc = await _stored(stack, shift_id)
    return doc["accepting"], doc["open"], doc["free"]


async def _sign_up(stack: Stack, shift_id: str, subject: str) -> str:
    response = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person(subject)
    )
    assert response.status_code == 201, response.text
    status: str = response.json()["my_status"]
    return status


async def _cancel(stack: Stack, shift_id: str, volunteer_id: str) -> None:
    response = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{volunteer_id}:cancel", headers=stack.admin()
    )
    assert response.status_code == 200, response.text


async def _act(stack: Stack, activity_id: str, action: str) -> None:
    response = await stack.volunteering.post(f"/v1/activities/{activity_id}:{action}", headers=stack.admin())
    assert response.status_code == 200, response.text


async def _matched(stack: Stack, subject: str) -> list[str]:
    response = await stack.volunteering.get("/v1/volunteers/me/matches", headers=stack.person(subject))
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_created_shifts_know_their_area_and_open_on_publish(stack: Stack) -> None:
    street, community = await _street_and_community(stack)
    activity = await stack.activity(community, capacity=3, publish=False)
    shift_id = activity["shift_ids"][0]
    planned = await _stored(stack, shift_id)
    assert planned["area_ids"] == [community, street, stack.city_id]
    assert (planned["accepting"], planned["open"]) == (False, False)
    await _act(stack, activity["id"], "publish")
    assert await _listing(stack, shift_id) == (True, True, 3)
    await _act(stack, activity["id"], "start")
    assert await _listing(stack, shift_id) == (True, True, 3)
    await _act(stack, activity["id"], "complete")
    assert await _listing(stack, shift_id) == (False, False, 3)


async def test_open_follows_free_places_through_signups_promotion_and_cancellation(stack: Stack) -> None:
    _, community = await _street_and_community(stack)
    activity = await stack.activity(community, capacity=2)
    shift_id = activity["shift_ids"][0]
    ids = {s: (await stack.volunteer(s, home_community_id=community))["id"] for s in ("a", "b", "c", "d")}
    assert await _sign_up(stack, shift_id, "a") == "confirmed"
    assert await _listing(stack, shift_id) == (True, True, 1)
    assert shift_id in await _matched(stack, "d")
    assert await _sign_up(stack, shift_id, "b") == "confirmed"
    assert await _listing(stack, shift_id) == (True, False, 0)  # full: no longer matched
    assert shift_id not in await _matched(stack, "d")
    assert await _sign_up(stack, shift_id, "c") == "waitlisted"
    assert await _listing(stack, shift_id) == (True, False, 0)
    await _cancel(stack, shift_id, ids["a"])  # c is promoted into the freed place
    assert await _listing(stack, shift_id) == (True, False, 0)
    await _cancel(stack, shift_id, ids["b"])  # nobody waits: a place is free again
    assert await _listing(stack, shift_id) == (True, True, 1)
    assert shift_id in await _matched(stack, "d")


async def test_simultaneous_signups_close_the_shift_exactly_when_full(stack: Stack) -> None:
    _, community = await _street_and_community(stack)
    shift_id = (await stack.activity(community, capacity=4))["shift_ids"][0]
    people = [f"p{i}" for i in range(12)]
    for subject in people:
        await stack.volunteer(subject)
    statuses = await asyncio.gather(*(_sign_up(stack, shift_id, s) for s in people))
    assert statuses.count("confirmed") == 4
    assert await _listing(stack, shift_id) == (True, False, 0)


async def test_a_cancelled_activity_stays_closed_when_places_free_up(stack: Stack) -> None:
    _, community = await _street_and_community(stack)
    activity = await stack.activity(community, capacity=1)
    shift_id = activity["shift_ids"][0]
    volunteer = await stack.volunteer("a", home_community_id=community)
    await _sign_up(stack, shift_id, "a")
    await _act(stack, activity["id"], "cancel")
    assert await _listing(stack, shift_id) == (False, False, 0)
    await _cancel(stack, shift_id, volunteer["id"])
    assert await _listing(stack, shift_id) == (False, False, 1)


async def test_deactivation_closes_the_shifts(stack: Stack, event_tap: EventTap) -> None:
    _, community = await _street_and_community(stack)
    youth_home = await stack.org("育才街社区青年之家", "youth_home", community)
    activity = await stack.activity(youth_home)
    shift_id = activity["shift_ids"][0]
    assert await _listing(stack, shift_id) == (True, True, 10)
    response = await stack.registry.post(
        f"/v1/organizations/{youth_home}:deactivate", json={"reason_code": "dissolved"}, headers=stack.admin()
    )
    assert response.status_code == 200
    await event_tap.wait_for("qingchun.volunteering.activity.cancelled.v1")
    assert await _listing(stack, shift_id) == (False, False, 10)


async def test_backfill_lists_shifts_written_before_the_fields_existed(stack: Stack) -> None:
    street, community = await _street_and_community(stack)
    published = await stack.activity(community, capacity=2)
    planned = await stack.activity(community, publish=False)
    shifts = stack.volunteering_app.state.runtime.db["shifts"]
    old = [published["shift_ids"][0], planned["shift_ids"][0]]
    await shifts.update_many({"_id": {"$in": old}}, {"$unset": {"area_ids": "", "accepting": "", "open": ""}})
    assert await backfill_listings(stack.context) == 2
    assert await _listing(stack, old[0]) == (True, True, 2)
    assert await _listing(stack, old[1]) == (False, False, 10)
    assert (await _stored(stack, old[0]))["area_ids"] == [community, street, stack.city_id]
    assert await backfill_listings(stack.context) == 0
