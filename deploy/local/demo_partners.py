"""Demo partner for the event feed: 灵武市总工会 (a co-building unit of 育才街社区 in the registry demo)
follows the activities and job postings of 灵武's 城区街道 — registered by 灵武团市委's city admin,
delivered to its own read-only AMQP queue and 7-day stream.

Idempotent: a partner of that name already registered is left as it is. Its credentials are answered
once, at registration: the loader writes them to ``.data/partners/`` (git-ignored, development only)
so that the example consumer (contracts/examples/partner_consumer.py) can connect with them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from deploy.local.demo_http import call, create_when_known, org_id

Issue = Callable[[list[str], list[str], str], str]  # roles, scope, subject -> token
PARTNER = "灵武市总工会"
CITY = "灵武团市委"
DISTRICT = "城区街道团工委"
EVENT_TYPES = [
    "qingchun.volunteering.activity.published.v1",
    "qingchun.volunteering.activity.completed.v1",
    "qingchun.volunteering.activity.verified.v1",
    "qingchun.employment.posting.published.v1",
    "qingchun.employment.posting.closed.v1",
]


async def load_partners_demo(
    registry_url: str, partners_url: str, issue: Issue, credentials_dir: Path
) -> dict[str, int]:
    """Register the demo partner once; returns what was created (empty when it existed)."""
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=30.0) as registry,
        httpx.AsyncClient(base_url=partners_url, timeout=30.0) as partners,
    ):
        reader = issue(["city_admin"], [], "dev-demo-loader")
        city = await org_id(registry, reader, CITY)
        district = await org_id(registry, reader, DISTRICT)
        admin = issue(["city_admin"], [city], "dev-demo-loader")
        listed = await call(partners, "GET", "/v1/partners?status=active&limit=200", admin)
        if any(item["name"] == PARTNER for item in listed["items"]):
            return {}
        body = {"name": PARTNER, "event_types": EVENT_TYPES, "filters": {"district_id": district}}
        created = await create_when_known(partners, "/v1/partners", admin, body)
    keep(credentials_dir, created)
    return {"partner": 1}


def keep(credentials_dir: Path, created: dict[str, Any]) -> Path:
    """The registration answer (with its one-time credentials), readable by this user only."""
    credentials_dir.mkdir(parents=True, exist_ok=True)
    path = credentials_dir / f"{created['partner']['id']}.json"
    path.write_text(json.dumps(created, ensure_ascii=False, indent=2) + "\n")
    path.chmod(0o600)
    return path
