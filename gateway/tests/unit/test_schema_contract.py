"""The committed SDL (gateway/schema.graphql) is the graph's contract with the front end: it must
match the code, and a change may not remove or narrow a field unless the committed schema already
marked it deprecated."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import BreakingChangeType, GraphQLObjectType, GraphQLSchema, build_schema, find_breaking_changes

from qingchun_gateway.schema.build import sdl

COMMITTED = Path(__file__).parents[2] / "schema.graphql"


def breaks(old: GraphQLSchema, new: GraphQLSchema) -> list[str]:
    """Breaking changes, less removals of fields the old schema had deprecated."""
    found = []
    for change in find_breaking_changes(old, new):
        removed = re.fullmatch(r"Field (\w+)\.(\w+) was removed\.", change.description)
        if change.type == BreakingChangeType.FIELD_REMOVED and removed:
            owner = old.get_type(removed[1])
            if isinstance(owner, GraphQLObjectType) and owner.fields[removed[2]].deprecation_reason:
                continue
        found.append(change.description)
    return found


def test_the_committed_sdl_is_the_schema_the_code_builds() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == sdl(), (
        "gateway/schema.graphql is stale: run `make schema` and commit it"
    )


def test_no_field_is_removed_or_narrowed_against_the_committed_sdl() -> None:
    assert breaks(build_schema(COMMITTED.read_text(encoding="utf-8")), build_schema(sdl())) == []


def test_the_check_catches_a_removed_and_a_narrowed_field_but_not_a_deprecated_removal() -> None:
    old = build_schema('type Query { a: String, b: Int, n: Int, c: String @deprecated(reason: "use a") }')
    new = build_schema("type Query { b: String, n: Int }")
    assert sorted(breaks(old, new)) == [
        "Field Query.a was removed.",
        "Field Query.b changed type from Int to String.",
    ]
