"""Nested inputs as a service's JSON body. ``mutation.body`` leaves out unset top-level fields;
inputs that hold other inputs (an activity's shifts, a badge's rule) need the same at every level,
because a service takes a missing field as its default but refuses an explicit ``null`` for a
list or a flag."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value.value if isinstance(value, Enum) else value


def payload(value: Any) -> dict[str, Any]:
    """An input as the service's JSON body: snake_case keys, unset fields left out at every level."""
    pruned: dict[str, Any] = _pruned(strawberry.asdict(value))
    return pruned
