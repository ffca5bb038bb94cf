"""What keeps one query from costing the services too much, besides Strawberry's depth, alias and
token limits: a cost limit on connections (each connection asks for ``first`` nodes of every node
above it, so nesting multiplies), the persisted-query allow-list for production, and introspection
off there."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from qingchun_gateway.connections import DEFAULT_FIRST

PERSISTED_QUERIES = Path(__file__).with_name("persisted_queries.json")


@functools.lru_cache(maxsize=8)
def connection_fields(schema: GraphQLSchema) -> frozenset[str]:
    """Names of the fields that return a connection, so one that omits ``first`` still counts at
    its default page size (once per schema: it walks every type)."""
    return frozenset(
        name
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType)
        for name, field in graphql_type.fields.items()
        if getattr(get_named_type(field.type), "name", "").endswith("Connection")
    )


def _first(field: FieldNode, variables: Mapping[str, Any], connections: frozenset[str]) -> int | None:
    """The ``first`` a connection field asks for (its default when omitted); None for other fields."""
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return given if isinstance(given, int) else DEFAULT_FIRST
        return DEFAULT_FIRST
    return DEFAULT_FIRST if field.name.value in connections else None


def cost(
    selection: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    connections: frozenset[str],
    multiplier: int = 1,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Nodes the selection may return: each connection field costs ``first`` × the nodes above it."""
    if selection is None:
        return 0
    total = 0
    for node in selection.selections or ():
        if isinstance(node, FieldNode):
            first = _first(node, variables, connections)
            inner = multiplier * first if first is not None else multiplier
            total += (inner if first is not None else 0) + cost(
                node.selection_set, fragments, variables, connections, inner, seen
            )
        elif isinstance(node, InlineFragmentNode):
            total += cost(node.selection_set, fragments, variables, connections, multiplier, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                total += cost(
                    fragment.selection_set,
                    fragments,
                    variables,
                    connections,
                    multiplier,
                    seen | {node.name.value},
                )
    return total


def limit_error(code: str, detail: str) -> GraphQLError:
    return GraphQLError(detail, extensions={"code": code})


class CostLimiter(SchemaExtension):
    """Refuses, before anything is called, an operation whose connections may return more than
    ``max_cost`` nodes."""

    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            fragments = {
                d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
            }
            variables = context.variables or {}
            connections = connection_fields(context.schema._schema)
            for operation in document.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                if (
                    context.operation_name
                    and operation.name
                    and operation.name.value != context.operation_name
                ):
                    continue
                asked = cost(operation.selection_set, fragments, variables, connections)
                if asked > self.max_cost:
                    context.pre_execution_errors = [
                        limit_error(
                            "query_too_costly",
                            f"this query may return {asked} nodes; the limit is {self.max_cost} "
                            "(lower `first` or nest fewer connections)",
                        )
                    ]
        yield


def document_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def load_allow_list(path: Path | None = None) -> frozenset[str]:
    """The sha256 of every document the front end ships (``{"name": "query", …}`` on disk); none
    when the file is absent, so allow-list mode without it refuses everything."""
    path = path or PERSISTED_QUERIES
    if not path.exists():
        return frozenset()
    documents: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(document_hash(q) for q in documents.values())


class PersistedQueriesOnly(SchemaExtension):
    """Production's allow-list mode: only documents known in advance are run."""

    def __init__(self, *, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and document_hash(context.query or "") not in self.allowed:
            context.pre_execution_errors = [
                limit_error("persisted_query_required", "only persisted queries are accepted here")
            ]
        yield
