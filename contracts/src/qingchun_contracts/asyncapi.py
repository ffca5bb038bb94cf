"""The partner contract as an AsyncAPI 3.0 document, generated from the registered contracts.

Only partner-audience events are in it: it is what a partner agency may receive, one channel per
event type (its routing key on the ``qingchun.events`` topic exchange as the platform publishes it;
each partner reads them from its own queue, stream or webhook). Every message is the CloudEvents
envelope with the event's JSON Schema as ``data``, and an example that validates against the model.
``contracts/asyncapi.json`` is the committed copy (a test keeps it current).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic.json_schema import models_json_schema

from qingchun_contracts.base import Audience, EventData
from qingchun_contracts.catalog import all_contracts
from qingchun_contracts.envelope import Envelope

ASYNCAPI_VERSION = "3.0.0"
CONTRACT_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
EXAMPLE_TIME = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)
Json = dict[str, Any]

DESCRIPTION = """Qingchun (青春) partner event feed: what partner agencies (团区委, 民政, 人社, libraries,
共建单位) may follow — activities held, postings published, organisations and youth centres registered
— with no personal data of anyone. Every message is a CloudEvents 1.0 envelope (structured mode,
`application/cloudevents+json`); deduplicate on `id`.

Delivery, per partner: (1) its own durable AMQP queue (read-only credentials; bounded, a full queue
refuses new messages and the refusal is in the delivery log); (2) its own RabbitMQ stream keeping at
least 7 days, read from an offset or a point in time (`x-stream-offset`); (3) HTTPS webhook POSTs
signed `X-Qingchun-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, retried with exponential
back-off, then kept as dead letters the partner can list and redeliver."""


def _message_name(contract: type[EventData]) -> str:
    return contract.__name__


def _example_value(schema: Json, defs: Json, name: str) -> Any:
    """A plausible value for one field, from its schema alone (deterministic)."""
    if "$ref" in schema:
        return _example_object(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return _example_value(options[0], defs, name) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "string":
        if fmt == "date-time":
            return EXAMPLE_TIME.isoformat().replace("+00:00", "Z")
        if fmt == "date":
            return EXAMPLE_TIME.date().isoformat()
        if name.endswith(("_id", "_ids")):
            return f"{name.split('_')[0][:3]}_65e6f1a2b3c4d5e6f7a8b9c0"
        return f"{name}_example"
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if kind == "array":
        return [_example_value(schema.get("items", {"type": "string"}), defs, name)]
    return _example_object(schema, defs)


def _example_object(schema: Json, defs: Json) -> Json:
    return {name: _example_value(sub, defs, name) for name, sub in schema.get("properties", {}).items()}


def example(contract: type[EventData]) -> Envelope:
    """An envelope of this type whose data the contract's own model accepts."""
    schema = contract.model_json_schema()
    data = contract.model_validate(_example_object(schema, schema.get("$defs", {})))
    service = contract.event_type.split(".")[1]
    return Envelope.wrap(
        data,
        source=f"/qingchun/{service}",
        subject="org_65e6f1a2b3c4d5e6f7a8b9c0",
        event_id="0b7c5c1e-8f2d-4c51-9a43-3f1d2e6b7a90",
        time=EXAMPLE_TIME,
        correlation_id="5f0e3c9a-2b1d-4e7f-8a6c-1d2e3f4a5b6c",
    )


def _message(contract: type[EventData]) -> Json:
    name = _message_name(contract)
    sample = example(contract)
    return {
        "name": contract.event_type,
        "title": name,
        "summary": contract.summary,
        "contentType": "application/cloudevents+json",
        "headers": {
            "type": "object",
            "properties": {
                "traceparent": {"type": "string", "description": "W3C trace context."},
            },
        },
        "payload": {
            "allOf": [
                {"$ref": REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": contract.event_type},
                        "data": {"$ref": REF.format(model=name)},
                    },
                },
            ]
        },
        "examples": [{"name": f"{name}Example", "payload": sample.model_dump(mode="json")}],
    }


def _channel(contract: type[EventData]) -> Json:
    name = _message_name(contract)
    return {
        "address": contract.routing_key(),
        "title": contract.event_type,
        "description": contract.summary,
        "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {"name": "qingchun.events", "type": "topic", "durable": True, "vhost": "/"},
                "bindingVersion": "0.3.0",
            }
        },
    }


def build_asyncapi() -> Json:
    """The whole document, deterministic (the same contracts give byte-identical JSON)."""
    contracts = all_contracts(Audience.PARTNER)
    _, top = models_json_schema(
        [(Envelope, "serialization"), *((c, "serialization") for c in contracts)], ref_template=REF
    )
    schemas: Json = top.get("$defs", {})
    for contract in contracts:
        schemas[contract.__name__]["x-qingchun-audience"] = contract.audience.value
        schemas[contract.__name__]["x-qingchun-event-type"] = contract.event_type
    # AsyncAPI 3.0 keys allow letters, digits, - and _ only: a contract's class name is its id.
    channels = {_message_name(c): _channel(c) for c in contracts}
    operations = {
        f"receive{_message_name(c)}": {
            "action": "receive",
            "title": f"Receive {c.event_type}",
            "summary": c.summary,
            "channel": {"$ref": f"#/channels/{_message_name(c)}"},
            "messages": [{"$ref": f"#/channels/{_message_name(c)}/messages/{_message_name(c)}"}],
        }
        for c in contracts
    }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:qingchun:partner-events",
        "info": {
            "title": "Qingchun partner events (青春合作机构事件)",
            "version": CONTRACT_VERSION,
            "description": DESCRIPTION,
            "license": {"name": "Open source"},
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "amqp": {
                "host": "broker.qingchun.example:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "RabbitMQ: the partner's own queue and stream; host and credentials "
                "come with the partner's registration.",
                "security": [{"$ref": "#/components/securitySchemes/partnerUser"}],
            },
            "webhook": {
                "host": "partner.example",
                "protocol": "https",
                "description": "The partner's own HTTPS endpoint, proven at registration; Qingchun POSTs "
                "each message, signed.",
                "security": [{"$ref": "#/components/securitySchemes/webhookSignature"}],
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "messages": {_message_name(c): _message(c) for c in contracts},
            "securitySchemes": {
                "partnerUser": {
                    "type": "userPassword",
                    "description": "A RabbitMQ user that may read its own queue and stream only.",
                },
                "webhookSignature": {
                    "type": "httpApiKey",
                    "name": "X-Qingchun-Signature",
                    "in": "header",
                    "description": "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'> with the "
                    "partner's webhook secret; refuse one older than 300 s.",
                },
            },
        },
    }
