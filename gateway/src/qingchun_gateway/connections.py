"""Relay-style connections over the services' opaque ``cursor``/``limit`` pages.

A service's cursor marks where a page starts, not an item, so an edge's cursor is the start of the
page it came from plus its index there; the last edge's cursor is simply the service's
``next_cursor``, so walking forward with ``pageInfo.endCursor`` never re-reads an item.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from qingchun_gateway.services import Params, ServiceClient

T = TypeVar("T")
DEFAULT_FIRST = 20
MAX_FIRST = 100


@strawberry.type(description="分页信息 — where this page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="一条记录及其游标 — one item and the cursor to continue after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="分页列表 — a page of items; pass `pageInfo.endCursor` as `after` for the next.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field(description="本页记录 — the page's items without their cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def _encode(start: str | None, index: int) -> str:
    raw = json.dumps([start, index], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str | None, int]:
    try:
        start, index = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise bad_argument("after", "this cursor was not issued by the gateway") from None
    if not (start is None or isinstance(start, str)) or not isinstance(index, int) or index < -1:
        raise bad_argument("after", "this cursor was not issued by the gateway")
    return start, index


def bad_argument(field: str, detail: str) -> GraphQLError:
    return GraphQLError(detail, extensions={"code": "invalid_input", "field": field})


def page_size(first: int | None) -> int:
    size = DEFAULT_FIRST if first is None else first
    if not 1 <= size <= MAX_FIRST:
        raise bad_argument("first", f"first must be between 1 and {MAX_FIRST}")
    return size


async def fetch(
    client: ServiceClient,
    path: str,
    params: Params,
    first: int | None,
    after: str | None,
    build: Callable[[Mapping[str, Any]], T],
) -> Connection[T]:
    """One page of ``path`` as a connection, each item built into its GraphQL type."""
    size = page_size(first)
    start, index = _decode(after) if after else (None, -1)
    skip = index + 1
    page = await client.get(path, {**params, "cursor": start, "limit": skip + size})
    items = page["items"][skip:]
    following: str | None = page.get("next_cursor")
    edges = [
        Edge(
            cursor=_encode(following, -1) if n == len(items) - 1 and following else _encode(start, skip + n),
            node=build(item),
        )
        for n, item in enumerate(items)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=following is not None, end_cursor=edges[-1].cursor if edges else None
        ),
    )
