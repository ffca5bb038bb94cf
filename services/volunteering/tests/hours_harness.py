"""Helpers for the hours tests: a running shift, a test clock, codes and polling."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from volunteering_harness import Stack

T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
"""Start of the test shifts: an hour ago, so check-in is open now."""
RECENT = (T0 - timedelta(days=3)).date().isoformat()
"""A past service date for 补录."""


def at(stack: Stack, moment: datetime) -> None:
    """Set the service's clock (the context is rebuilt, as the composition root would)."""
    stack.volunteering_app.state.volunteering = replace(stack.context, now=lambda: moment)


async def community(stack: Stack, name: str = "育才街社区") -> str:
    street = await stack.org(f"{name}街道团工委", "league_working_committee", stack.city_id)
    return await stack.org(name, "community", street)


async def running_activity(stack: Stack, host: str, shifts: int = 1, capacity: int = 5) -> dict[str, Any]:
    """An activity whose shifts run T0 … T0+3h (one after another), published and started."""
    given = [
        {
            "starts_at": (T0 + timedelta(hours=3 * i)).isoformat(),
            "ends_at": (T0 + timedelta(hours=3 * i + 3)).isoformat(),
            "capacity": capacity,
        }
        for i in range(shifts)
    ]
    activity = await stack.activity(host, shifts=given)
    started = await stack.volunteering.post(f"/v1/activities/{activity['id']}:start", headers=stack.admin())
    assert started.status_code == 200, started.text
    return activity


async def signed_up(stack: Stack, subject: str, shift_id: str, **fields: Any) -> dict[str, Any]:
    volunteer = await stack.volunteer(subject, **fields)
    response = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person(subject)
    )
    assert response.status_code == 201, response.text
    return volunteer


async def code(stack: Stack, shift_id: str) -> dict[str, Any]:
    response = await stack.volunteering.get(f"/v1/shifts/{shift_id}/checkin-code", headers=stack.admin())
    assert response.status_code == 200, response.text
    shown: dict[str, Any] = response.json()
    return shown


async def eventually(check: Callable[[], Awaitable[bool]], what: str, within: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


def evidence() -> dict[str, Any]:
    return {
        "description": "社区环境卫生整治，社区书记在场",
        "refs": ["file_photo_01", "https://img.example/p/1.jpg"],
    }
