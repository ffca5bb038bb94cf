"""Gathering a month's figures from the four services at once, with the caller's own token.

Each service checks the caller's scope itself, so a report is only ever what the caller may see;
one refusal (or outage) fails the whole report with that service's code rather than a report
with a section silently missing. The figures come back in the shape the registry freezes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from qingchun_gateway.services import ServiceClient

SECTIONS = ("registry", "volunteering", "education", "employment")
HEAD = ("organization_id", "month", "generated_at")
"""Fields every service's answer repeats; not figures."""
PATH = "/v1/statistics/monthly"


def as_figures(answer: Mapping[str, Any]) -> dict[str, Any]:
    """A service's answer without its head; breakdown rows keep code, label and count or value."""
    figures: dict[str, Any] = {}
    for key, value in answer.items():
        if key in HEAD:
            continue
        if isinstance(value, bool):
            figures[key] = int(value)
        elif isinstance(value, list):
            figures[key] = [
                {k: v for k, v in row.items() if k in ("code", "label", "count", "value")} for row in value
            ]
        else:
            figures[key] = value
    return figures


async def gather(
    services: Mapping[str, ServiceClient], organization_id: str, month: str
) -> dict[str, dict[str, Any]]:
    """The four services' figures for ``organization_id`` (and below) in ``month``, by service."""
    params = {"organization_id": organization_id, "month": month}
    answers = await asyncio.gather(*(services[name].get(PATH, params) for name in SECTIONS))
    return {name: as_figures(answer) for name, answer in zip(SECTIONS, answers, strict=True)}
