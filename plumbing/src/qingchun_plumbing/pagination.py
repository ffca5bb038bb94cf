"""Opaque cursor pagination shared by every list endpoint."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from qingchun_plumbing.problems import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_BATCH = 200


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[T]
    next_cursor: str | None = Field(default=None, description="null on the last page")


def encode_cursor(position: dict[str, Any]) -> str:
    """Make a position (the sort key of the last item returned) opaque."""
    raw = json.dumps(position, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """Read a cursor back; a forged or damaged one is the caller's error, named as such."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this service issued", field="cursor") from None
    if not isinstance(position, dict):
        raise InvalidInput("cursor is not one this service issued", field="cursor")
    return position


def cursor_after(cursor: str | None) -> str | None:
    """The id after which a page starts (id-ordered lists)."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    after = position.get("after")
    if not isinstance(after, str):
        raise InvalidInput("cursor is not one this service issued", field="cursor")
    return after


def split_page(items: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Items fetched with ``limit + 1``: the page, and the cursor of the next one if there is more."""
    if len(items) > limit:
        return items[:limit], encode_cursor({"after": items[limit - 1]["_id"]})
    return items, None


def batch_ids(raw: str | None) -> list[str] | None:
    """``?ids=a,b,c`` for DataLoaders: None when absent, else 1 to MAX_BATCH ids."""
    if raw is None:
        return None
    ids = [i for i in (p.strip() for p in raw.split(",")) if i]
    if not ids or len(ids) > MAX_BATCH:
        raise InvalidInput(f"give 1 to {MAX_BATCH} comma-separated ids", field="ids")
    return ids
