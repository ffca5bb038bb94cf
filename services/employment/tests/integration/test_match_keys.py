"""Match keys on the real store and bus: every write keeps them in step, a registry move rewrites them,
old records get them from the backfill, and seekers-for-a-posting finds the skilled seeker of the
district that the neighbourhood walk alone would never reach."""

from __future__ import annotations

import asyncio

from employment_harness import Stack, certificate, certified, db, posting, register
from qingchun_employment.adapters.matching import backfill_match_keys
from qingchun_plumbing.derived import BACKFILLS


async def keys_of(stack: Stack, collection: str, record_id: str) -> list[str]:
    stored = await db(stack)[collection].find_one({"_id": record_id}, {"match_keys": 1})
    assert stored is not None
    return list(stored["match_keys"])


async def test_a_seekers_keys_follow_registration_edits_certificates_and_the_end_of_the_search(
    stack: Stack,
) -> None:
    community = await stack.community()
    street = stack.street_ids["新华街道团工委"]
    seeker = await register(stack, "youth-1", community, wanted_categories=["manufacturing"])
    assert await keys_of(stack, "seekers", seeker) == [f"sewing|manufacturing|*@{street}"]

    edited = await stack.employment.patch(
        "/v1/seekers/me", json={"wanted_kinds": ["full_time"]}, headers=stack.person("youth-1")
    )
    assert edited.status_code == 200, edited.text
    assert await keys_of(stack, "seekers", seeker) == [f"sewing|manufacturing|full_time@{street}"]

    await stack.publish(certificate("youth-1", community, "JY-2026-000777", "computer"))
    await certified(stack, seeker, "cert:computer")
    assert await keys_of(stack, "seekers", seeker) == [
        f"computer|manufacturing|full_time@{street}",  # certified first
        f"sewing|manufacturing|full_time@{street}",
    ]

    await stack.context.seekers.set_outcome(seeker, "employed")
    assert await keys_of(stack, "seekers", seeker) == []


async def test_keys_follow_a_move_of_the_community_to_another_street(stack: Stack) -> None:
    community = await stack.community()
    new_street = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    seeker = await register(stack, "youth-1", community, wanted_categories=["manufacturing"])
    job = await posting(stack, await stack.employer(), community)

    moved = await stack.registry.patch(
        f"/v1/organizations/{community}", json={"parent_id": new_street}, headers=stack.admin()
    )
    assert moved.status_code == 200, moved.text
    deadline = asyncio.get_running_loop().time() + 10
    while await keys_of(stack, "seekers", seeker) != [f"sewing|manufacturing|*@{new_street}"]:
        assert asyncio.get_running_loop().time() < deadline, await keys_of(stack, "seekers", seeker)
        await asyncio.sleep(0.05)
    assert await keys_of(stack, "postings", job) == [
        f"sewing|manufacturing@{new_street}",  # the harness's tree has no district: the street is
        f"sewing@{community}",  # the level below the city, and the community the one below that
        f"sewing|place=public@{new_street}",
    ]


async def test_records_stored_before_match_keys_get_them_once(stack: Stack) -> None:
    community = await stack.community()
    seeker = await register(stack, "youth-1", community, wanted_categories=["manufacturing"])
    job = await posting(stack, await stack.employer(), community)
    expected = (await keys_of(stack, "seekers", seeker), await keys_of(stack, "postings", job))
    database = db(stack)
    await database[BACKFILLS].delete_many({})
    for collection, record in (("seekers", seeker), ("postings", job)):
        await database[collection].update_one({"_id": record}, {"$unset": {"match_keys": ""}})

    assert await backfill_match_keys(database) == 2
    assert (await keys_of(stack, "seekers", seeker), await keys_of(stack, "postings", job)) == expected
    assert await backfill_match_keys(database) == 0


async def test_the_skilled_seeker_of_the_district_outranks_a_full_neighbourhood(stack: Stack) -> None:
    """Thirty neighbours want the trade but lack the skill: the walk alone would stop at them."""
    community = await stack.community()
    across = await stack.community("中山社区")  # the same street (the harness's "district" level)
    job = await posting(stack, await stack.employer(), community)
    for n in range(30):
        await register(stack, f"near-{n}", community, skills=[], wanted_categories=["manufacturing"])
    skilled = await register(stack, "far-1", across, wanted_categories=["manufacturing"])

    found = await stack.employment.get(
        f"/v1/postings/{job}/matches",
        params={"limit": 20},
        headers=stack.staff(stack.street_ids["新华街道团工委"]),
    )
    assert found.status_code == 200, found.text
    ids = [item["id"] for item in found.json()["items"]]
    assert len(ids) == 20
    assert ids[0] == skilled
