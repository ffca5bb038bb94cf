"""Query cost (first × nesting), cursors and field names, without any service."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, GraphQLError, OperationDefinitionNode, parse

from qingchun_gateway.connections import _decode, _encode, page_size
from qingchun_gateway.limits import connection_fields, cost
from qingchun_gateway.schema.build import build_schema
from qingchun_gateway.services import graphql_name
from qingchun_gateway.settings import GatewaySettings

CONNECTIONS = connection_fields(build_schema(GatewaySettings())._schema)


def cost_of(document: str, variables: dict[str, object] | None = None) -> int:
    parsed = parse(document)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    (operation,) = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return cost(operation.selection_set, fragments, variables or {}, CONNECTIONS)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ organization(id: 1) { name } }", 0),
        ("{ activities(first: 10) { nodes { title } } }", 10),
        ("{ activities { nodes { title } } }", 20),  # the default page size counts
        ("{ organizations(first: 10) { nodes { activities(first: 5) { nodes { id } } } } }", 10 + 50),
        (
            "{ organizations(first: 10) { nodes { children(first: 10) { nodes { activities(first: 10)"
            " { nodes { id } } } } } } }",
            10 + 100 + 1000,
        ),
        ("query { ...F } fragment F on Query { activities(first: 7) { nodes { id } } }", 7),
    ],
)
def test_cost_multiplies_along_nested_connections(document: str, expected: int) -> None:
    assert cost_of(document) == expected


def test_cost_reads_first_from_variables() -> None:
    assert cost_of("query ($n: Int) { postings(first: $n) { nodes { id } } }", {"n": 42}) == 42


def test_the_connection_fields_are_found_from_the_schema() -> None:
    assert {"activities", "children", "postings", "programmes", "loans"} <= CONNECTIONS
    assert "shifts" not in CONNECTIONS  # a bounded list, not a connection


def test_a_cursor_round_trips_and_a_forged_one_is_refused() -> None:
    assert _decode(_encode("abc", 3)) == ("abc", 3)
    assert _decode(_encode(None, -1)) == (None, -1)
    for forged in ("nonsense!", _encode("abc", -5), "W1tdXQ"):
        with pytest.raises(GraphQLError) as refused:
            _decode(forged)
        assert refused.value.extensions == {"code": "invalid_input", "field": "after"}


@pytest.mark.parametrize("first", [0, -1, 101])
def test_page_size_is_bounded(first: int) -> None:
    with pytest.raises(GraphQLError) as refused:
        page_size(first)
    assert refused.value.extensions is not None
    assert refused.value.extensions["field"] == "first"


@pytest.mark.parametrize(
    ("service_field", "graph_field"),
    [("pay_max", "payMax"), ("title", "title"), ("shifts.0.starts_at", "shifts.0.startsAt")],
)
def test_service_field_paths_are_named_as_the_graph_names_them(service_field: str, graph_field: str) -> None:
    assert graphql_name(service_field) == graph_field
