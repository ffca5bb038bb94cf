"""What every part of the graph shares: coded values with their Chinese labels, and building a
type from a service's JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional

from qingchun_gateway.context import GatewayContext

T = TypeVar("T")
GatewayInfo = Info[GatewayContext, None]


@strawberry.type(
    description="编码值及中文标签 — a coded value (stable, English) and its Chinese label for staff."
)
class Coded:
    code: str
    label: str


def coded(data: Mapping[str, Any], name: str) -> Coded | None:
    """``status`` and ``status_label`` of a service's JSON as one value."""
    value = data.get(name)
    if value is None:
        return None
    return Coded(code=str(value), label=str(data.get(f"{name}_label") or value))


@cache
def _plain_fields(cls: Any) -> tuple[tuple[str, bool], ...]:
    """The type's fields without resolvers, each with whether it is ``Coded``."""
    definition = cls.__strawberry_definition__
    found = []
    for f in definition.fields:
        if f.base_resolver is not None:
            continue
        of = f.type.of_type if isinstance(f.type, StrawberryOptional) else f.type
        found.append((f.python_name, of is Coded))
    return tuple(found)


def build(cls: type[T], data: Mapping[str, Any], **given: Any) -> T:
    """An object type from a service's JSON: each declared field taken by its name (a ``Coded``
    field from the value and its ``_label``), ``given`` ones as passed, the rest left to resolvers;
    a ``raw`` field keeps the whole JSON for them."""
    values: dict[str, Any] = {}
    for name, is_coded in _plain_fields(cast(Hashable, cls)):
        if name in given:
            values[name] = given[name]
        elif is_coded:
            values[name] = coded(data, name)
        elif name in data:
            values[name] = data[name]
    if "raw" in {f.name for f in dataclasses.fields(cast(Any, cls))}:
        values["raw"] = data
    return cls(**values)
