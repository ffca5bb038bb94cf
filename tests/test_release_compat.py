"""Independent release: version N of a service runs against what version N-1 of the others wrote.

Events: the previous release's JSON Schemas are kept in ``contracts/snapshots/<version>/``. From
each, two events are built — one with only the fields that release required, one with every field
it knew plus fields it did not know (a later producer's additions, in ``data`` and in the
envelope) — and both must parse through the real envelope with today's contracts. Then every
consuming service is started on the real store and bus and each such event of a type it consumes
is published to it: the test fails unless its handler applied every one (recorded in its inbox)
or refused it for a domain reason — a rule of ours (a ``Problem`` or ``DomainError``, e.g. the
volunteer an ``hours.verified`` names does not exist in this fresh database). A contract break shows
as a parse or type error instead. A handler failure is dead-lettered at once here, so nothing hides
behind retries.

Data: a service started twice on the same database finds its indexes already there and starts
again with the same set (indexes are created idempotently at start-up)."""

from __future__ import annotations

import asyncio
import copy
import importlib
import inspect
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from pydantic import ValidationError

from deploy_harness import ROOT, runner_services
from qingchun_contracts import Envelope
from qingchun_contracts.schemas import load_schemas
from qingchun_plumbing.inbox import Inbox
from qingchun_plumbing.problems import Problem
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.settings import ServiceSettings
from qingchun_plumbing.testing.fixtures import Isolation, serve

SNAPSHOTS = ROOT / "contracts" / "snapshots"
ADDED = "x_added_by_a_later_release"
Schema = dict[str, Any]


def previous_release() -> Path:
    """The newest snapshot: the release before the code under test."""
    versions = sorted(SNAPSHOTS.iterdir(), key=lambda p: tuple(int(n) for n in p.name.split(".")))
    assert versions, "no contract snapshot to test against"
    return versions[-1]


def example(schema: Schema, root: Schema, *, full: bool, name: str = "") -> Any:
    """A value the schema accepts: required fields only, or every field plus an unknown one."""
    if "$ref" in schema:
        return example(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root, full=full, name=name)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"] or schema["anyOf"]
        return example(options[0], root, full=full, name=name)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        required = set(schema.get("required", []))
        properties = schema.get("properties", {})
        value = {
            field: example(sub, root, full=full, name=field)
            for field, sub in properties.items()
            if full or field in required
        }
        if full and properties:
            value[ADDED] = {"note": "a field this consumer has never heard of"}
        return value
    if kind == "array":
        return [example(schema.get("items", {}), root, full=full, name=name)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if "maximum" not in schema else int(schema["maximum"])
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2026-03-05T01:30:00Z"
    if fmt == "date":
        return "2026-03-05"
    return f"{name or 'value'}_{uuid.uuid4().hex[:8]}"


def envelope_body(event_type: str, data: dict[str, Any], *, full: bool) -> tuple[str, bytes]:
    """An envelope as the previous release's producer wrote it (JSON bytes on the wire)."""
    event_id = str(uuid.uuid4())
    envelope: dict[str, Any] = {
        "id": event_id,
        "source": f"/qingchun/{event_type.split('.')[1]}",
        "type": event_type,
        "specversion": "1.0",
        "time": "2026-03-05T01:30:00Z",
        "subject": data.get("organization_id"),
        "datacontenttype": "application/json",
        "data": data,
    }
    if full:
        envelope |= {"correlationid": str(uuid.uuid4()), "causationid": str(uuid.uuid4()), ADDED: "1"}
    return event_id, json.dumps(envelope, ensure_ascii=False).encode()


def old_events(schemas: dict[str, Schema]) -> list[tuple[str, str, bytes]]:
    """(type, event id, body) for each type in both shapes."""
    events = []
    for event_type, schema in sorted(schemas.items()):
        for full in (False, True):
            events.append(
                (event_type, *envelope_body(event_type, example(schema, schema, full=full), full=full))
            )
    return events


def rejections(schemas: dict[str, Schema]) -> list[str]:
    """Every old event today's envelope and contracts refuse to read, with the reason."""
    refused = []
    for event_type, _, body in old_events(schemas):
        try:
            Envelope.model_validate_json(body).payload()
        except (ValidationError, KeyError, LookupError) as error:
            refused.append(f"{event_type}: {error}")
    return refused


def test_todays_contracts_read_every_event_of_the_previous_release() -> None:
    schemas = load_schemas(previous_release())
    assert len(schemas) >= 50
    assert rejections(schemas) == []


def test_a_break_against_the_previous_release_is_caught() -> None:
    schemas = load_schemas(previous_release())
    broken = copy.deepcopy(schemas["qingchun.registry.organization.registered.v1"])
    broken["properties"]["type"] = {"type": "integer", "minimum": 3}  # today's model wants a string
    refused = rejections({"qingchun.registry.organization.registered.v1": broken})
    assert len(refused) == 2
    assert all("type" in reason for reason in refused)


def _consumers() -> list[str]:
    return sorted(name for name in runner_services() if name != "gateway")


def _settings_class(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"qingchun_{name}.settings")
    (cls,) = [
        c
        for c in vars(module).values()
        if inspect.isclass(c) and issubclass(c, ServiceSettings) and c.__module__ == module.__name__
    ]
    return cls


def _app(name: str, isolation: Isolation) -> Any:
    settings = isolation.settings(_settings_class(name), name, consumer_max_attempts=1)
    return importlib.import_module(f"qingchun_{name}.service").create_app(settings)


async def _publish(isolation: Isolation, events: list[tuple[str, str, bytes]]) -> None:
    connection = await aio_pika.connect(isolation.components.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            isolation.topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        for event_type, event_id, body in events:
            message = aio_pika.Message(
                body,
                message_id=event_id,
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await exchange.publish(message, routing_key=event_type.removeprefix("qingchun."))


class DeadLetters(logging.Handler):
    """What the consumer dead-lettered, by event id, with the error's type (from its log record)."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        event_id = getattr(record, "event_id", None)
        if event_id is not None and "dead-lettered" in record.getMessage():
            self.errors[event_id] = str(getattr(record, "error_type", "undecodable"))


@pytest.fixture
def dead_letters() -> Iterator[DeadLetters]:
    handler, logger = DeadLetters(), logging.getLogger("qingchun.consumer")
    logger.addHandler(handler)  # the service's logging setup replaces the root's handlers, not these
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _kinds(*bases: type[Exception]) -> set[str]:
    found, todo = set(), list(bases)
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


async def _outcomes(inbox: Inbox, ids: list[str], dead: DeadLetters, within: float = 30.0) -> dict[str, str]:
    """Each id's fate: "applied", or the type of the error it was dead-lettered with."""
    deadline = asyncio.get_running_loop().time() + within
    outcomes: dict[str, str] = {}
    while True:
        for event_id in ids:
            if event_id not in outcomes:
                if await inbox.seen(event_id):
                    outcomes[event_id] = "applied"
                elif event_id in dead.errors:
                    outcomes[event_id] = dead.errors[event_id]
        if len(outcomes) == len(ids) or asyncio.get_running_loop().time() > deadline:
            return outcomes
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("name", _consumers())
async def test_a_service_applies_the_previous_releases_events(
    name: str, isolation: Isolation, dead_letters: DeadLetters
) -> None:
    schemas = load_schemas(previous_release())
    app = _app(name, isolation)
    async with serve(app):
        runtime = app.state.runtime
        # Wiring.handlers as the consumer holds them: the event types this service consumes.
        consumed = set(runtime.consumer.event_types) if runtime.consumer else set()
        old = {t: s for t, s in schemas.items() if t in consumed}
        if name != "registry":
            assert old, f"{name} consumes none of the previous release's events"
        events = old_events(old)
        await _publish(isolation, events)
        outcomes = await _outcomes(Inbox(runtime.db), [event_id for _, event_id, _ in events], dead_letters)
    accepted = _kinds(Problem, DomainError) | {"applied"}
    broken = [(t, outcomes.get(i, "never handled")) for t, i, _ in events if outcomes.get(i) not in accepted]
    assert broken == []
    if events:  # the registry consumes nothing; the others must have applied some, not refused all
        assert "applied" in outcomes.values()


@pytest.mark.parametrize("name", _consumers())
async def test_a_service_starts_again_on_its_own_data(name: str, isolation: Isolation) -> None:
    async def indexes() -> dict[str, list[tuple[str, Any, bool]]]:
        app = _app(name, isolation)
        async with serve(app) as client:
            assert (await client.get("/readyz")).status_code == 200
            db = app.state.runtime.db
            found = {}
            for collection in sorted(await db.list_collection_names()):
                info = await db[collection].index_information()
                found[collection] = sorted((n, i["key"], bool(i.get("unique"))) for n, i in info.items())
            return found

    first = await indexes()
    assert sum(len(v) for v in first.values()) > len(first)  # more than the _id indexes
    assert await indexes() == first
