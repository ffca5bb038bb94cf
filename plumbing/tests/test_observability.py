"""What every service exposes to operations, on the real store and broker: the ``/metrics`` figures
move as work succeeds, fails and waits; log lines are JSON with the request's correlation and trace
ids, and carry no personal data even when a handler's exception message holds some."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from qingchun_contracts.registry import OrganizationDeactivated
from qingchun_plumbing.logs import CORRELATION_HEADER, JsonFormatter
from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_plumbing.testing.probe import PROBE, Probe, eventually, figure

EVENT = OrganizationDeactivated.event_type
EVENTS = "qingchun_consumer_events_total"


async def test_a_failing_handler_moves_the_retry_and_dead_letter_figures(probe: Probe) -> None:
    probe.failing.add("dissolved")
    before = await probe.metrics()

    def moved(after: str, outcome: str) -> float:
        labels = {"service": PROBE, "event_type": EVENT, "outcome": outcome}
        return figure(after, EVENTS, **labels) - figure(before, EVENTS, **labels)

    await probe.note("dissolved")

    async def dead_lettered() -> bool:
        return await probe.figure("qingchun_queue_depth", queue="dead") == 1

    await eventually(dead_lettered, what="one message in the dead-letter queue")
    after = await probe.metrics()
    assert moved(after, "failed") == 2  # consumer_max_attempts=2: the first try and the retry
    assert moved(after, "retried") == 1
    assert moved(after, "dead_lettered") == 1
    assert moved(after, "handled") == 0

    lag_before = figure(before, "qingchun_consumer_lag_seconds_count", service=PROBE, event_type=EVENT)
    note = await probe.note("merged")

    async def applied() -> bool:
        return await probe.applied(note["id"]) == 1

    await eventually(applied, what="the good note applied")
    after = await probe.metrics()
    assert moved(after, "handled") == 1
    lag_after = figure(after, "qingchun_consumer_lag_seconds_count", service=PROBE, event_type=EVENT)
    assert lag_after - lag_before == 1
    assert figure(after, "qingchun_queue_depth", service=PROBE, queue="dead") == 1


async def test_the_outbox_backlog_figure_moves_while_the_relay_cannot_publish(probe: Probe) -> None:
    await probe.runtime.bus.close()  # the broker is gone: the relay's publishes fail
    failures = await probe.figure("qingchun_outbox_publish_failures_total")
    published = await probe.figure("qingchun_outbox_published_total")
    await probe.note()

    async def failed_round() -> bool:
        return await probe.figure("qingchun_outbox_publish_failures_total") > failures

    await eventually(failed_round, what="a failed relay round")
    assert await probe.figure("qingchun_outbox_backlog") == 1
    assert await probe.figure("qingchun_outbox_oldest_age_seconds") > 0

    await probe.runtime.bus.connect()
    probe.runtime.relay.notify()

    async def drained() -> bool:
        return await probe.figure("qingchun_outbox_backlog") == 0

    await eventually(drained, what="the backlog drained once the broker is back")
    assert await probe.figure("qingchun_outbox_oldest_age_seconds") == 0
    assert await probe.figure("qingchun_outbox_published_total") - published == 1


async def test_request_figures_are_labelled_by_route_template_never_by_id_or_person(probe: Probe) -> None:
    route, count = "/v1/notes/{note_id}", "qingchun_http_request_duration_seconds_count"
    found_before = await probe.figure(count, route=route, status="200")
    missing_before = await probe.figure(count, route=route, status="404")
    note = await probe.note(name="李红梅", phone="13700001111")
    await probe.applied(note["id"])
    missing = await probe.client.get("/v1/notes/note_nosuchnote")
    assert missing.status_code == 404
    refused = await probe.client.post("/v1/notes", json={"name": "李红梅"})
    assert refused.status_code == 422

    text = await probe.metrics()
    assert figure(text, count, service=PROBE, route=route, status="200") - found_before == 1
    assert figure(text, count, service=PROBE, route=route, status="404") - missing_before == 1
    assert figure(text, count, service=PROBE, route="/v1/notes", method="POST", status="422") >= 1
    for leak in (note["id"], "note_nosuchnote", "李红梅", "13700001111"):
        assert leak not in text
    assert figure(text, "qingchun_http_errors_total", service=PROBE) == 0


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The JSON lines the root logger writes, formatted as they are emitted (so with their ids)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(PROBE))
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def test_log_lines_are_json_with_the_requests_ids_and_no_personal_data(
    probe: Probe, event_tap: EventTap, log_lines: io.StringIO
) -> None:
    probe.failing.add("dissolved")
    name, phone = "赵晓燕", "13655550000"
    note = await probe.note("dissolved", name=name, phone=phone, **{CORRELATION_HEADER: "corr-probe-1"})
    envelope = await event_tap.wait_for(EVENT, lambda e: e.id == note["event_id"])
    assert envelope.correlationid == "corr-probe-1"
    assert envelope.traceparent is not None
    trace_id = envelope.traceparent.split("-")[1]

    async def dead_lettered() -> bool:
        return await probe.figure("qingchun_queue_depth", queue="dead") == 1

    await eventually(dead_lettered, what="the note's event dead-lettered")
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    consumer = [line for line in lines if line["logger"] == "qingchun.consumer"]
    assert [line["message"] for line in consumer] == [
        "event handling failed; retry scheduled",
        "event dead-lettered after last attempt",
    ]
    for line in consumer:
        assert line["correlation_id"] == "corr-probe-1"
        assert line["trace_id"] == trace_id
        assert line["event_id"] == note["event_id"]
        assert line["error_type"] == "ValueError"
    text = log_lines.getvalue()
    assert name not in text
    assert phone not in text
