"""Editing a partner (PATCH) against the real store, broker and management API: the very next event
is routed by the new event types and filters, on the queue and on the webhook, with the credentials
it had; every bad edit is refused with its code and field and leaves the partner as it was; a stale
version and a removed partner are 409; and the edit needs no broker step (it succeeds, and nothing
is half-written, while the management API does not answer)."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from partners_harness import Receiver, Stack, completed, drain, published, receiving, until
from qingchun_contracts.volunteering import ActivityCompleted, ActivityPublished, HoursVerified
from qingchun_contracts.webhooks import SIGNATURE_HEADER, verify
from qingchun_partners.adapters.management import ManagementApi
from qingchun_plumbing.testing.components import free_port

PUBLISHED = ActivityPublished.event_type
COMPLETED = ActivityCompleted.event_type


async def edit(stack: Stack, partner_id: str, body: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    response = await stack.partners.patch(f"/v1/partners/{partner_id}", json=body, headers=stack.admin())
    assert response.status_code == expect, response.text
    if expect != 200:
        assert response.headers["content-type"] == "application/problem+json"
    answer: dict[str, Any] = response.json()
    return answer


async def read(stack: Stack, partner_id: str) -> dict[str, Any]:
    response = await stack.partners.get(f"/v1/partners/{partner_id}", headers=stack.admin())
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def delivered_ids(stack: Stack, partner_id: str) -> set[str]:
    response = await stack.partners.get(
        f"/v1/partners/{partner_id}/deliveries", params={"limit": 200}, headers=stack.admin()
    )
    return {item["event_id"] for item in response.json()["items"]}


async def test_the_next_event_follows_added_and_removed_types_and_a_narrowed_filter(stack: Stack) -> None:
    ours = await stack.community("育才街社区", "城区街道团工委")
    other = await stack.community("西湖社区", "城区街道团工委")
    district = stack.street_ids["城区街道团工委"]
    registered = await stack.register(
        {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"district_id": district}}
    )
    partner_id, amqp = registered["partner"]["id"], registered["credentials"]["amqp"]
    original = await read(stack, partner_id)
    before = await stack.delivered(partner_id, (await stack.publish(published("act_0", other))).id)

    added = await edit(stack, partner_id, {"event_types": [PUBLISHED, COMPLETED], "version": 1})
    assert (added["event_types"], added["version"]) == ([PUBLISHED, COMPLETED], 2)
    now_wanted = await stack.publish(completed("act_0", other))
    await stack.delivered(partner_id, now_wanted.id)

    removed = await edit(stack, partner_id, {"event_types": [COMPLETED]})
    assert removed["event_types"] == [COMPLETED]
    no_longer = await stack.publish(published("act_1", ours))

    narrowed = await edit(stack, partner_id, {"filters": {"organization_ids": [ours]}})
    assert (narrowed["roots"], narrowed["filters"]) == (
        [ours],
        {"district_id": None, "organization_ids": [ours]},
    )
    outside = await stack.publish(completed("act_2", other))
    inside = await stack.publish(completed("act_3", ours))
    await stack.delivered(partner_id, inside.id)

    got = [e.id for e in await drain(amqp["url"], amqp["queue"], expect=3)]  # the same password
    assert sorted(got) == sorted([before["event_id"], now_wanted.id, inside.id])
    logged = await delivered_ids(stack, partner_id)
    assert no_longer.id not in logged
    assert outside.id not in logged
    after = await read(stack, partner_id)
    assert (after["credentials_rotated_at"], after["amqp"]) == (
        original["credentials_rotated_at"],
        original["amqp"],
    )


async def test_a_webhook_partner_gets_an_added_type_signed_with_its_old_secret_and_can_move(
    stack: Stack, receiver: Receiver
) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await stack.register(
        {
            "name": "灵武市民政局",
            "event_types": [PUBLISHED],
            "delivery": ["webhook"],
            "webhook_url": receiver.url,
            "filters": {"organization_ids": [community]},
        }
    )
    partner_id, secret = registered["partner"]["id"], registered["credentials"]["webhook"]["secret"]
    await edit(stack, partner_id, {"event_types": [COMPLETED], "webhook_url": receiver.url})
    assert receiver.challenges == 1  # the same address is not proven again
    dropped = await stack.publish(published("act_1", community))
    wanted = await stack.publish(completed("act_1", community))
    await until(lambda: wanted.id in receiver.events())
    headers, body = receiver.received[-1]
    assert verify(secret, body, headers[SIGNATURE_HEADER.lower()], now=int(time.time())) > 0

    async with receiving() as mute:
        mute.echo_challenge = False
        refused = await edit(stack, partner_id, {"webhook_url": mute.url}, expect=422)
        assert (refused["code"], refused["field"]) == ("webhook_not_verified", "webhook_url")
    assert (await read(stack, partner_id))["webhook"]["url"] == receiver.url
    async with receiving() as moved:
        answer = await edit(stack, partner_id, {"webhook_url": moved.url})
        assert (answer["webhook"]["url"], moved.challenges) == (moved.url, 1)
        later = await stack.publish(completed("act_2", community))
        await until(lambda: later.id in moved.events())
        headers, body = moved.received[-1]
        assert verify(secret, body, headers[SIGNATURE_HEADER.lower()], now=int(time.time())) > 0
    assert dropped.id not in receiver.events() + moved.events()
    assert later.id not in receiver.events()


async def test_every_bad_edit_is_refused_with_its_code_and_field_and_changes_nothing(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    elsewhere = await stack.org("孝感团市委", "league_city_committee", None, area={"city": "孝感市"})
    registered = await stack.register(
        {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    )
    partner_id = registered["partner"]["id"]
    original = await read(stack, partner_id)
    cases: list[tuple[dict[str, Any], int, str | None, str]] = [
        ({"event_types": [PUBLISHED, HoursVerified.event_type]}, 422, "internal_event_type", "event_types.1"),
        (
            {"event_types": ["qingchun.volunteering.activity.imagined.v1"]},
            422,
            "unknown_event_type",
            "event_types.0",
        ),
        ({"event_types": []}, 422, None, "event_types"),
        ({"event_types": None}, 422, "missing", "event_types"),
        ({"name": None}, 422, "missing", "name"),
        (
            {"filters": {"organization_ids": [community, elsewhere]}},
            403,
            "out_of_scope",
            "filters.organization_ids.1",
        ),
        ({"filters": {"district_id": community}}, 422, "not_a_district", "filters.district_id"),
        (
            {"filters": {"organization_ids": ["org_nothing"]}},
            422,
            "unknown_organization",
            "filters.organization_ids.0",
        ),
        ({"filters": {"area": "灵武市"}}, 422, None, "filters.area"),
        ({"webhook_url": "https://partner.example/hook"}, 422, "webhook_not_chosen", "webhook_url"),
        ({"delivery": ["webhook"]}, 422, None, "delivery"),
        ({"version": 1}, 422, "empty_patch", "body"),
        ({"event_types": [COMPLETED], "version": 7}, 409, "concurrent_update", "version"),
    ]
    for body, status, code, field in cases:
        refused = await edit(stack, partner_id, body, expect=status)
        assert refused["field"] == field, (body, refused)
        if code is not None:
            assert refused["code"] == code, (body, refused)
    assert await read(stack, partner_id) == original

    foreign = stack.isolation.headers("city_admin", scope=[elsewhere])
    staff = stack.staff(community)
    for headers, code in ((foreign, "out_of_scope"), (staff, "role_required")):
        response = await stack.partners.patch(
            f"/v1/partners/{partner_id}", json={"event_types": [COMPLETED]}, headers=headers
        )
        assert (response.status_code, response.json()["code"]) == (403, code)
    missing = await edit(stack, "ptn_nothing", {"event_types": [COMPLETED]}, expect=404)
    assert missing["field"] == "partner_id"
    assert await read(stack, partner_id) == original


async def test_two_edits_from_one_read_the_second_is_stale(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await stack.register(
        {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    )
    partner_id, version = registered["partner"]["id"], registered["partner"]["version"]
    first = await edit(stack, partner_id, {"event_types": [COMPLETED], "version": version})
    stale = await edit(stack, partner_id, {"name": "灵武市图书馆", "version": version}, expect=409)
    assert (stale["code"], stale["field"]) == ("concurrent_update", "version")
    assert await read(stack, partner_id) == first


async def test_a_removed_partner_cannot_be_edited(stack: Stack) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await stack.register(
        {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    )
    partner_id = registered["partner"]["id"]
    removed = await stack.partners.delete(f"/v1/partners/{partner_id}", headers=stack.admin())
    assert removed.status_code == 200, removed.text
    refused = await edit(stack, partner_id, {"event_types": [COMPLETED]}, expect=409)
    assert (refused["code"], refused["field"]) == ("partner_deregistered", "partner_id")
    assert await read(stack, partner_id) == removed.json()


async def test_an_edit_needs_no_broker_step_so_a_dead_management_api_half_writes_nothing(
    stack: Stack,
) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await stack.register(
        {"name": "灵武市总工会", "event_types": [PUBLISHED], "filters": {"organization_ids": [community]}}
    )
    partner_id, amqp = registered["partner"]["id"], registered["credentials"]["amqp"]
    working = stack.context
    nowhere = ManagementApi(f"http://127.0.0.1:{free_port()}", "guest", "guest", "/", timeout=2)
    stack.app.state.partners = dataclasses.replace(working, admin=nowhere)
    try:
        rotate = await stack.partners.post(
            f"/v1/partners/{partner_id}:rotate-credentials", headers=stack.admin()
        )
        assert (rotate.status_code, rotate.json()["code"]) == (503, "broker_unavailable")  # it is down
        assert (await edit(stack, partner_id, {"event_types": [COMPLETED]}))["event_types"] == [COMPLETED]
    finally:
        stack.app.state.partners = working
        await nowhere.close()
    event = await stack.publish(completed("act_1", community))
    await stack.delivered(partner_id, event.id)
    assert [e.id for e in await drain(amqp["url"], amqp["queue"], expect=1)] == [event.id]
