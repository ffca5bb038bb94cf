"""Rebuilding a service's read model of the registry's organisations (:mod:`qingchun_plumbing.directory`)
from a replay of the registry's state.

The replay source is the registry's own REST API (``GET /v1/organizations``, every page): the
registry keeps no event history (its outbox entries are removed once published), and its current
state is what every organisation event it ever published adds up to. Each organisation is
remembered with the registry's ``updated_at`` as its time, through the directory's own
newest-wins rule, so an event arriving during the rebuild is never overwritten by an older state.
The deactivation hooks of the service (closing what hangs on an organisation) are not run: a
rebuild restores the read model only, and those effects already happened when the events came.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from qingchun_plumbing.directory import ORGANIZATIONS, OrganizationDirectory
from qingchun_plumbing.mongo import Database
from qingchun_plumbing.ops import Refused

PAGE = 200
FIELDS = ("name", "type", "parent_id", "status")


async def organizations(registry: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every organisation the registry holds, active or not, page by page."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": PAGE} | ({"cursor": cursor} if cursor else {})
        response = await registry.get("/v1/organizations", params=params, headers=headers)
        if response.status_code != 200:
            raise Refused(f"the registry answered {response.status_code}: {response.text[:300]}")
        page = response.json()
        found.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found


async def rebuild_directory(
    db: Database, registry: httpx.AsyncClient, headers: dict[str, str], wipe: bool = False
) -> int:
    """Replay the registry's organisations into ``db``'s directory; ``wipe`` drops it first (for a
    lost or corrupt read model; the service refuses unknown organisations until the replay ends).
    Returns the number of organisations replayed."""
    replay = await organizations(registry, headers)
    if wipe:
        await db.drop_collection(ORGANIZATIONS)
    directory = OrganizationDirectory(db)
    for organization in replay:
        fields = {name: organization.get(name) for name in FIELDS}
        await directory.remember(
            organization["id"], fields, datetime.fromisoformat(organization["updated_at"])
        )
    return len(replay)
