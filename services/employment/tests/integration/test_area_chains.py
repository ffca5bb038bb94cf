"""Stored area chains follow the registry's move of an organisation, on the real store and bus."""

from __future__ import annotations

import asyncio

from integration.test_applications import published_posting, register_seeker

from employment_harness import Stack
from qingchun_employment.adapters.area_chains import AreaChainStore
from qingchun_employment.app.area_chains import follow_move


async def chain_of(stack: Stack, seeker: str, within: float = 10) -> list[str]:
    """The seeker's stored chain once it no longer names the old street (or the old one, at the end)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        stored = await stack.context.seekers.seeker(seeker)
        assert stored is not None
        if stack.street_ids["新华街道团工委"] not in stored["area_ids"]:
            return list(stored["area_ids"])
        if asyncio.get_running_loop().time() > deadline:
            return list(stored["area_ids"])
        await asyncio.sleep(0.05)


async def test_a_community_moved_to_another_street_takes_its_records_along(stack: Stack) -> None:
    community = await stack.community()
    old_street = stack.street_ids["新华街道团工委"]
    new_street = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    seeker = await register_seeker(stack, "youth-1", community)
    employer = await stack.employer()
    posting = await published_posting(stack, employer, community)

    moved = await stack.registry.patch(
        f"/v1/organizations/{community}", json={"parent_id": new_street}, headers=stack.admin()
    )
    assert moved.status_code == 200, moved.text

    assert await chain_of(stack, seeker) == [community, new_street, stack.city_id]
    stored = await stack.context.postings.posting(posting)
    assert stored is not None
    assert (stored["area_ids"], stored["origin_area_ids"]) == (
        [community, new_street, stack.city_id],
        [community, new_street, stack.city_id],
    )
    assert stored["employer_area_ids"] == [employer, stack.city_id]  # not under the community: unchanged

    listed = await stack.employment.get(
        "/v1/seekers", params={"area_id": new_street}, headers=stack.staff(new_street)
    )
    assert [s["id"] for s in listed.json()["items"]] == [seeker]
    old = await stack.employment.get(
        "/v1/seekers", params={"area_id": old_street}, headers=stack.staff(old_street)
    )
    assert old.json()["items"] == []

    # The same move heard again (a redelivery, or an older event arriving late) changes nothing.
    store = AreaChainStore(stack.employment_app.state.runtime.db)
    assert await follow_move(store, stack.context.orgs, community) == 0
