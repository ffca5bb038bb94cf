"""One trace from a GraphQL mutation through the producing service's outbox to every consumer, and
the gateway's own figures on ``GET /metrics``.

The spans are recorded in memory from the real tracer provider while the four services and the
gateway run on the real store and broker; the trace travels only as it does in production: the
``traceparent`` header on the gateway's call, the envelope in the outbox, the AMQP message header.
"""

from __future__ import annotations

import asyncio

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from gateway_harness import SERVICES, GatewayStack
from qingchun_contracts.registry import OrganizationRegistered
from qingchun_plumbing.testing.probe import figure
from qingchun_plumbing.testing.spans import SpanRecorder

CREATE = "mutation ($input: OrganizationInput!) { createOrganization(input: $input) { id name } }"
CONSUMERS = SERVICES[1:]


def parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def span_id(span: ReadableSpan) -> int:
    assert span.context is not None
    return span.context.span_id


async def consumer_spans(spans: SpanRecorder, trace_id: str, within: float = 10) -> dict[str, ReadableSpan]:
    """The consumer span of the registration in each consuming service, waiting until all ended."""
    name = f"process {OrganizationRegistered.event_type}"
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found = {
            service: s
            for service in CONSUMERS
            for s in spans.of(service)
            if s.name == name and spans.trace_id(s) == trace_id
        }
        if len(found) == len(CONSUMERS):
            return found
        assert asyncio.get_running_loop().time() < deadline, f"consumer spans seen only for {sorted(found)}"
        await asyncio.sleep(0.05)


async def test_one_trace_id_joins_gateway_producer_and_consumers(
    stack: GatewayStack, spans: SpanRecorder
) -> None:
    answer = await stack.query(
        CREATE,
        {"input": {"name": "新华街道团工委", "type": "league_working_committee", "parentId": stack.city_id}},
    )
    assert "errors" not in answer, answer
    org_id = answer["data"]["createOrganization"]["id"]
    await stack.known(org_id)

    (graphql,) = [s for s in spans.of("gateway") if s.name == "POST /graphql" and s.kind == SpanKind.SERVER]
    trace_id = spans.trace_id(graphql)
    assert graphql.parent is None, "the front end sent no traceparent: the gateway starts the trace"

    (registered,) = [s for s in spans.in_trace(trace_id) if s.name == "POST /v1/organizations"]
    assert registered.resource.attributes["service.name"] == "registry"
    assert registered.attributes is not None
    assert registered.attributes["http.response.status_code"] == 201
    gateway_spans = {span_id(s) for s in spans.of("gateway") if spans.trace_id(s) == trace_id}
    assert parent_id(registered) in gateway_spans, "the registry continues the gateway's trace"

    (published,) = [s for s in spans.in_trace(trace_id) if s.kind == SpanKind.PRODUCER]
    assert published.resource.attributes["service.name"] == "registry"
    registry_spans = {span_id(s) for s in spans.of("registry") if spans.trace_id(s) == trace_id}
    assert parent_id(published) in registry_spans - {span_id(published)}, "published under the request"

    consumed = await consumer_spans(spans, trace_id)
    for service, span in consumed.items():
        assert span.kind == SpanKind.CONSUMER, service
        assert parent_id(span) == span_id(published), f"{service} must hang under the relay's publish"


async def test_the_gateway_exposes_its_request_figures(stack: GatewayStack) -> None:
    count = "qingchun_http_request_duration_seconds_count"
    labels = {"service": "gateway", "route": "/graphql", "method": "POST", "status": "200"}
    before = figure((await stack.gateway.get("/metrics")).text, count, **labels)
    answer = await stack.query("{ __typename }")
    assert "errors" not in answer, answer
    after = await stack.gateway.get("/metrics")
    assert after.status_code == 200
    assert figure(after.text, count, **labels) - before == 1
    assert figure(after.text, "qingchun_http_errors_total", service="gateway") == 0
