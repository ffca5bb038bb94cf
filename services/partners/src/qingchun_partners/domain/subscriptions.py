"""What a partner may subscribe to and which events reach it.

Only partner-audience contracts can be subscribed to: an internal event type is refused by name, so
a partner can never be given an event that was not written to be seen outside the platform. Filters
are subtrees of the registry's organisation tree (its district, its own organisations): an event
reaches a filtered partner when one of the organisations it is about lies in one of those subtrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qingchun_contracts import Audience, all_contracts
from qingchun_contracts.catalog import UnknownEventType, contract_for
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError

DISTRICT_TYPES = frozenset({"league_district_committee", "league_working_committee"})
"""Organisation types a district filter may name (团区委, 街道/园区团工委)."""
MAX_EVENT_TYPES = 64
MAX_FILTER_ORGS = 50


class Delivery(LabelledEnum):
    AMQP = ("amqp", "消息队列（AMQP）")
    WEBHOOK = ("webhook", "网络回调（Webhook）")


class PartnerStatus(LabelledEnum):
    ACTIVE = ("active", "已开通")
    DEREGISTERED = ("deregistered", "已注销")


def partner_event_types() -> list[str]:
    """Every event type a partner may receive."""
    return [c.event_type for c in all_contracts(Audience.PARTNER)]


def check_event_types(requested: Sequence[str]) -> list[str]:
    """The requested types, deduplicated in order; an unknown or internal one is refused by index."""
    if not requested:
        raise DomainError("no_event_types", "name at least one partner event type", "event_types")
    chosen: list[str] = []
    for index, event_type in enumerate(requested):
        field = f"event_types.{index}"
        try:
            contract = contract_for(event_type)
        except UnknownEventType:
            raise DomainError("unknown_event_type", "no contract declares this event type", field) from None
        if contract.audience is not Audience.PARTNER:
            raise DomainError(
                "internal_event_type",
                "this event type is internal to the platform; partners receive partner-audience events only",
                field,
            )
        if event_type not in chosen:
            chosen.append(event_type)
    return chosen


ORG_FIELDS = ("organization_id", "party_ids", "origin_community_id")


def organizations_in(data: Mapping[str, Any]) -> list[str]:
    """The organisations an event's data is about: ``organization_id``, every ``*_organization_id``,
    agreement parties and a posting's community (each id once, in field order)."""
    found: list[str] = []
    for name, value in data.items():
        if not (name in ORG_FIELDS or name.endswith("_organization_id")):
            continue
        for org_id in value if isinstance(value, list) else [value]:
            if isinstance(org_id, str) and org_id and org_id not in found:
                found.append(org_id)
    return found


def passes(roots: Iterable[str], chains: Iterable[Sequence[str]]) -> bool:
    """Whether an event passes a partner's filter: no roots means everything; else one of the event's
    organisations (given as itself-then-ancestors chains) lies under one of the roots."""
    wanted = set(roots)
    if not wanted:
        return True
    return any(wanted.intersection(chain) for chain in chains)
