"""Partners through the graph: a city admin registers one (credentials answered once), edits what
it follows (a stale version refused) and removes it; an internal event type comes back as the
partners service's refusal; the AsyncAPI document is served as committed."""

from __future__ import annotations

import json
from pathlib import Path

import aio_pika
import pytest
from aiormq.exceptions import ProbableAuthenticationError

from gateway_harness import GatewayStack
from partners_harness import remove_partner_leftovers
from qingchun_plumbing.testing.components import ensure_local_rabbitmq_management

COMMITTED = Path(__file__).resolve().parents[3] / "contracts" / "asyncapi.json"
REGISTER = """
mutation($input: PartnerInput!) {
  registerPartner(input: $input) {
    partner { id name eventTypes roots delivery status version queue stream }
    credentials { amqpUrl amqpUsername amqpPassword webhookSecret }
  }
}"""
REMOVE = "mutation($id: ID!) { removePartner(id: $id) { id status } }"
UPDATE = """
mutation($id: ID!, $input: PartnerUpdateInput!) {
  updatePartner(id: $id, input: $input) { id eventTypes roots status version queue }
}"""
PUBLISHED = "qingchun.volunteering.activity.published.v1"
COMPLETED = "qingchun.volunteering.activity.completed.v1"


async def test_a_city_admin_registers_and_removes_a_partner_through_the_graph(stack: GatewayStack) -> None:
    partner_input = {"name": "灵武市总工会", "eventTypes": ["qingchun.volunteering.activity.published.v1"]}
    try:
        answer = await stack.query(REGISTER, {"input": partner_input})
        assert "errors" not in answer, answer
        registered = answer["data"]["registerPartner"]
        partner, credentials = registered["partner"], registered["credentials"]
        assert (partner["status"], partner["roots"], partner["delivery"]) == (
            "active",
            [stack.city_id],
            ["amqp"],
        )
        assert credentials["amqpPassword"]
        assert credentials["webhookSecret"] is None
        connection = await aio_pika.connect(credentials["amqpUrl"])
        await connection.close()
        edit = {"eventTypes": [PUBLISHED, COMPLETED], "version": partner["version"]}
        updated = await stack.query(UPDATE, {"id": partner["id"], "input": edit})
        assert "errors" not in updated, updated
        assert updated["data"]["updatePartner"] == {
            "id": partner["id"],
            "eventTypes": [PUBLISHED, COMPLETED],
            "roots": [stack.city_id],
            "status": "active",
            "version": partner["version"] + 1,
            "queue": partner["queue"],
        }
        (stale,) = (await stack.query(UPDATE, {"id": partner["id"], "input": edit}))["errors"]
        assert (stale["extensions"]["code"], stale["extensions"]["field"]) == ("concurrent_update", "version")
        connection = await aio_pika.connect(credentials["amqpUrl"])  # the credentials stay
        await connection.close()
        removed = await stack.query(REMOVE, {"id": partner["id"]})
        assert removed["data"]["removePartner"] == {"id": partner["id"], "status": "deregistered"}
        with pytest.raises(ProbableAuthenticationError):
            await aio_pika.connect(credentials["amqpUrl"])
    finally:
        await remove_partner_leftovers(ensure_local_rabbitmq_management(), stack.isolation.prefix)


async def test_an_internal_event_type_is_refused_with_the_services_code_and_field(
    stack: GatewayStack,
) -> None:
    partner_input = {"name": "灵武市总工会", "eventTypes": ["qingchun.volunteering.hours.verified.v1"]}
    answer = await stack.query(REGISTER, {"input": partner_input})
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "internal_event_type"
    assert (error["extensions"]["service"], error["extensions"]["field"]) == ("partners", "eventTypes.0")


async def test_the_asyncapi_document_is_served_as_committed(stack: GatewayStack) -> None:
    response = await stack.gateway.get("/asyncapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))
