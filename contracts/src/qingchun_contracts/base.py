"""The base class every event payload derives from, and the decorator that names it."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

_TYPE_PATTERN = re.compile(r"^qingchun\.[a-z]+(\.[a-z_]+)+\.v[1-9][0-9]*$")


class Audience(StrEnum):
    """Who may receive an event: platform services only, or partner agencies too."""

    INTERNAL = "internal"
    PARTNER = "partner"


class EventData(BaseModel):
    """Payload of one event type.

    Consumers ignore fields they do not know, so a producer may add optional fields to a
    version without breaking anyone; anything else needs a new version (``.v2``).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    audience: ClassVar[Audience]
    summary: ClassVar[str]

    @classmethod
    def routing_key(cls) -> str:
        """The AMQP routing key: the type without its ``qingchun.`` prefix."""
        return cls.event_type.removeprefix("qingchun.")


E = TypeVar("E", bound=type[EventData])


def event_contract(event_type: str, audience: Audience, summary: str) -> Callable[[E], E]:
    """Name an event class and register it in the catalog.

    ``event_type`` reads ``qingchun.<service>.<entity>.<verb>.v<N>``.
    """

    if not _TYPE_PATTERN.match(event_type):
        raise ValueError(f"event type {event_type!r} does not read qingchun.<service>.<entity>.<verb>.v<N>")

    def register(cls: E) -> E:
        from qingchun_contracts.catalog import register_contract

        cls.event_type = event_type
        cls.audience = audience
        cls.summary = summary
        register_contract(cls)
        return cls

    return register
