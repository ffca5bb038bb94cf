"""The registry of every event contract the platform publishes."""

from __future__ import annotations

import importlib

from qingchun_contracts.base import Audience, EventData

_CONTRACTS: dict[str, type[EventData]] = {}

# Modules that declare contracts; importing the catalog loads them all.
_CONTRACT_MODULES = (
    "qingchun_contracts.registry",
    "qingchun_contracts.volunteering",
    "qingchun_contracts.education",
    "qingchun_contracts.employment",
)


class UnknownEventType(LookupError):
    """Raised for an event type no contract declares."""


def register_contract(cls: type[EventData]) -> None:
    """Add one contract; a second class for the same type is a programming error."""
    existing = _CONTRACTS.get(cls.event_type)
    if existing is not None and existing is not cls:
        raise ValueError(f"event type {cls.event_type} is declared twice")
    _CONTRACTS[cls.event_type] = cls


def _load() -> None:
    for name in _CONTRACT_MODULES:
        importlib.import_module(name)


def all_contracts(audience: Audience | None = None) -> list[type[EventData]]:
    """Every contract, sorted by type, optionally only those of one audience."""
    _load()
    return [cls for _, cls in sorted(_CONTRACTS.items()) if audience is None or cls.audience is audience]


def contract_for(event_type: str) -> type[EventData]:
    """The model of one event type."""
    _load()
    try:
        return _CONTRACTS[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None
