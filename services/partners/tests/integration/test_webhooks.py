"""Webhooks against a local HTTP receiver: ownership is proven at registration, every delivery's
signature verifies, a failing receiver gets retries then a dead letter, redelivery works, and a
receiver that acknowledged never gets the same event twice. The partner's own signed requests are
refused when tampered with, stale or replayed."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from partners_harness import Receiver, Stack, published, signed_headers, until
from qingchun_contracts.volunteering import ActivityPublished
from qingchun_contracts.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, verify


async def webhook_partner(stack: Stack, receiver: Receiver, org_id: str) -> dict[str, Any]:
    return await stack.register(
        {
            "name": "灵武市民政局",
            "event_types": [ActivityPublished.event_type],
            "delivery": ["webhook"],
            "webhook_url": receiver.url,
            "filters": {"organization_ids": [org_id]},
        }
    )


async def test_a_delivery_is_signed_with_the_partner_secret_and_sent_once(
    stack: Stack, receiver: Receiver
) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await webhook_partner(stack, receiver, community)
    assert receiver.challenges == 1
    secret = registered["credentials"]["webhook"]["secret"]
    event = await stack.publish(published("act_1", community))
    await until(lambda: receiver.received)
    headers, body = receiver.received[0]
    assert verify(secret, body, headers[SIGNATURE_HEADER.lower()], now=int(time.time())) > 0
    assert json.loads(body)["id"] == event.id
    assert headers["content-type"] == "application/cloudevents+json"

    await stack.republish(event)  # the bus delivers it again: the receiver acknowledged already
    second = await stack.publish(published("act_2", community))
    await until(lambda: len(receiver.received) >= 2)
    await asyncio.sleep(0.5)
    assert receiver.events() == [event.id, second.id]
    delivery = await stack.delivered(registered["partner"]["id"], event.id)
    assert (delivery["webhook"]["status"], delivery["webhook"]["attempts"]) == ("delivered", 1)
    assert headers[DELIVERY_HEADER.lower()] == delivery["id"]


async def test_a_failing_receiver_gets_retries_then_a_dead_letter_that_redelivers(
    stack: Stack, receiver: Receiver
) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await webhook_partner(stack, receiver, community)
    partner_id, secret = registered["partner"]["id"], registered["credentials"]["webhook"]["secret"]
    receiver.failing = True
    event = await stack.publish(published("act_1", community))
    dead_path = f"/v1/partners/{partner_id}/dead-letters"

    async def dead_letters(as_partner: bool = False) -> list[dict[str, Any]]:
        headers = signed_headers(secret, "GET", dead_path) if as_partner else stack.admin()
        response = await stack.partners.get(dead_path, headers=headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    deadline = time.monotonic() + 10
    while not (found := await dead_letters()):
        assert time.monotonic() < deadline, "the delivery never became a dead letter"
        await asyncio.sleep(0.1)
    assert await dead_letters(as_partner=True) == found  # what the partner itself sees
    (dead,) = found
    assert dead["event_id"] == event.id
    log = dead["webhook"]["log"]
    assert [(a["attempt"], a["status_code"], a["ok"]) for a in log] == [(n, 500, False) for n in (1, 2, 3)]
    gaps = [(log[n + 1]["at"], log[n]["at"]) for n in range(2)]
    assert all(later > earlier for later, earlier in gaps)

    receiver.failing = False
    path = f"{dead_path}/{dead['id']}:redeliver"
    body = b'{"reason":"endpoint fixed"}'
    headers = signed_headers(secret, "POST", path, body) | {"Content-Type": "application/json"}
    redelivered = await stack.partners.post(path, content=body, headers=headers)
    assert redelivered.status_code == 200, redelivered.text
    await until(lambda: receiver.received)
    await asyncio.sleep(0.3)
    assert receiver.events() == [event.id]
    assert await dead_letters() == []
    again = await stack.partners.post(path, headers=stack.admin())
    assert (again.status_code, again.json()["code"]) == (409, "not_a_dead_letter")


async def test_tampered_stale_and_replayed_partner_requests_are_refused(
    stack: Stack, receiver: Receiver
) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    registered = await webhook_partner(stack, receiver, community)
    partner_id, secret = registered["partner"]["id"], registered["credentials"]["webhook"]["secret"]
    path = f"/v1/partners/{partner_id}/deliveries"

    async def code(headers: dict[str, str], at: str = path) -> tuple[int, str, str | None]:
        response = await stack.partners.get(at, headers=headers)
        problem = response.json()
        return response.status_code, problem.get("code"), problem.get("field")

    signature = "X-Qingchun-Signature"
    assert await code({}) == (401, "signature_missing", signature)
    assert await code(signed_headers("not-the-secret", "GET", path)) == (401, "signature_mismatch", signature)
    other_path = f"{path}?limit=1"
    assert await code(signed_headers(secret, "GET", path), other_path) == (
        401,
        "signature_mismatch",
        signature,
    )
    stale = signed_headers(secret, "GET", path, at=int(time.time()) - 3600)
    assert await code(stale) == (401, "signature_stale", signature)
    assert await code({SIGNATURE_HEADER: "v1=abc"}) == (401, "signature_malformed", signature)
    good = signed_headers(secret, "GET", path)
    assert (await stack.partners.get(path, headers=good)).status_code == 200
    assert await code(good) == (401, "signature_replayed", signature)


async def test_a_webhook_that_does_not_prove_ownership_is_refused(stack: Stack, receiver: Receiver) -> None:
    community = await stack.community("育才街社区", "城区街道团工委")
    receiver.echo_challenge = False
    body = {
        "name": "灵武市民政局",
        "event_types": [ActivityPublished.event_type],
        "delivery": ["webhook"],
        "webhook_url": receiver.url,
        "filters": {"organization_ids": [community]},
    }
    refused = await stack.register(body, expect=422)
    assert (refused["code"], refused["field"]) == ("webhook_not_verified", "webhook_url")
    unreachable = await stack.register(body | {"webhook_url": receiver.url.replace("/hook", "/nothing")}, 422)
    assert unreachable["code"] == "webhook_not_verified"
    listed = await stack.partners.get("/v1/partners", headers=stack.admin())
    assert listed.json()["items"] == []
