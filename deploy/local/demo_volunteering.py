"""Demo data for volunteering, from the 灵武 seed: 育才街社区's 青年人才库, a "七彩假期" series and a
"福娃福地书香国学" parent–child session, with sign-ups.

The organisations come from the registry demo; volunteering knows them from the registry's
events, so this waits until its read model has heard of 育才街社区.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

Issue = Callable[[list[str], list[str], str], str]  # roles, scope, subject -> token
SERIES = "七彩假期"
TALENT_POOL = [  # 育才街社区青年人才库: league members and returning students (subject, name, type, born)
    ("yc-01", "马晓燕", "league_member", "1999-03-12"),
    ("yc-02", "李文博", "returning_student", "2003-07-01"),
    ("yc-03", "王静", "league_member", "1996-11-23"),
    ("yc-04", "张磊", "university_student", "2004-02-18"),
    ("yc-05", "杨帆", "returning_student", "2002-09-09"),
    ("yc-06", "刘洋", "young_owner", "1994-05-30"),
]


class VolunteeringDemoError(RuntimeError):
    """A demo write was refused; the message carries the response."""


async def _call(client: httpx.AsyncClient, method: str, path: str, token: str, body: Any = None) -> Any:
    response = await client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
    if not response.is_success:
        raise VolunteeringDemoError(f"{method} {path} answered {response.status_code}: {response.text}")
    return response.json()


async def _org_id(registry: httpx.AsyncClient, token: str, name: str) -> str:
    found = await _call(registry, "GET", f"/v1/organizations?name_prefix={name}", token)
    for item in found["items"]:
        if item["name"] == name:
            return str(item["id"])
    raise VolunteeringDemoError(f"the registry demo has no {name}; run the registry demo first")


def _shift(start: datetime, hours: int, capacity: int, **extra: Any) -> dict[str, Any]:
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(),
        "capacity": capacity,
    } | extra


async def _create_when_known(client: httpx.AsyncClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    """Volunteering learns organisations from events: retry while it has not heard of the host yet."""
    for _ in range(100):
        response = await client.post(
            "/v1/activities", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code == 201:
            created: dict[str, Any] = response.json()
            return created
        if response.json().get("code") != "unknown_organization":
            raise VolunteeringDemoError(
                f"POST /v1/activities answered {response.status_code}: {response.text}"
            )
        await asyncio.sleep(0.1)
    raise VolunteeringDemoError(
        "volunteering never heard of the demo organisations: it missed the registry's events. "
        "Reset the demo data: make down && rm -rf .data/secantus && make up"
    )


async def load_volunteering_demo(registry_url: str, volunteering_url: str, issue: Issue) -> dict[str, int]:
    """Idempotent: skipped when the 七彩假期 series already exists."""
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=30) as registry,
        httpx.AsyncClient(base_url=volunteering_url, timeout=30) as volunteering,
    ):
        reader = issue(["city_admin"], [], "dev-demo-loader")
        yucai = await _org_id(registry, reader, "育才街社区")
        home = await _org_id(registry, reader, "育才街社区青年之家")
        organiser = issue(["community_staff"], [yucai], "dev-yucai-staff")
        existing = await _call(volunteering, "GET", f"/v1/activities?host_organization_id={home}", organiser)
        if any(a.get("brand") == SERIES for a in existing["items"]):
            return {}
        summer = datetime(datetime.now(UTC).year + 1, 7, 13, 1, 0, tzinfo=UTC)  # 09:00 in Ningxia
        activities = []
        for week, topic in enumerate(("暑期课业辅导", "安全自护讲座", "手工与科普")):
            body = {
                "title": f"七彩假期·{topic}",
                "host_organization_id": home,
                "category": "colourful_holiday",
                "brand": SERIES,
                "shifts": [_shift(summer + timedelta(weeks=week), 3, 4)],
            }
            activities.append(await _create_when_known(volunteering, organiser, body))
        classics = {
            "title": "福娃福地书香国学·国学经典亲子诵读",
            "host_organization_id": home,
            "category": "culture_education",
            "brand": "福娃福地书香国学",
            "shifts": [_shift(summer + timedelta(days=2), 1, 30, family_only=True)],
        }
        activities.append(await _create_when_known(volunteering, organiser, classics))
        for activity in activities:
            await _call(volunteering, "POST", f"/v1/activities/{activity['id']}:publish", organiser)
        for subject, name, kind, born in TALENT_POOL:
            token = issue(["volunteer"], [], subject)
            profile = {
                "display_name": name,
                "birth_date": born,
                "volunteer_type": kind,
                "talent_pool": True,
                "home_community_id": yucai,
                "specialties": ["课业辅导"],
                "teaching_opt_in": kind != "young_owner",
            }
            await _call(volunteering, "POST", "/v1/volunteers", token, profile)
            await _call(
                volunteering, "POST", f"/v1/shifts/{activities[0]['shift_ids'][0]}/signups", token, {}
            )
        return {"volunteers": len(TALENT_POOL), "activities": len(activities), "sign-ups": len(TALENT_POOL)}
