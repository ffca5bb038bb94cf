"""Demo data drawn from the seeds' real places (DOMAIN.md §5.1 孝感, §5.2 灵武), loaded through the
registry's REST API.

It goes through the API rather than straight into the store so that the demo obeys the same tree
rules, stage guards, data scopes and events a real user meets, and never drifts from the store's
layout. Roots are registered with an unscoped city_admin token (only a city admin may create a
tree); everything below with a token scoped to the root, as a city committee's own staff would.

Idempotent: when 孝感团市委 already carries the completion tag, the load is skipped and the ids found
are returned. A tag is written last, so a load that stopped half-way is reported, not doubled.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from qingchun_registry.domain.creation import SurveyItem

TokenFor = Callable[[list[str]], str]
Json = dict[str, Any]

XIAOGAN_ROOT = "孝感团市委"
LINGWU_ROOT = "灵武团市委"
DEMO_ROOTS = (XIAOGAN_ROOT, LINGWU_ROOT)
COMPLETE_TAG = "演示数据"
CITY_COMMITTEE = "league_city_committee"

# 孝感's first batch (DOMAIN.md §5.1): community -> the working committee it sits under.
XIAOGAN_STREETS = ("新华街道", "广场街道", "书院街道", "车站街道")
XIAOGAN_COMMUNITIES: dict[str, str] = {
    "文昌阁社区": "新华街道团工委",
    "中山社区": "新华街道团工委",
    "城东社区": "广场街道团工委",
    "一宫社区": "广场街道团工委",
    "书院社区": "书院街道团工委",
    "后湖社区": "书院街道团工委",
    "民主社区": "车站街道团工委",
    "胜利社区": "车站街道团工委",
    "汉光社区": "高新区团工委",
    "红光社区": "高新区团工委",
}
DEMONSTRATION_POINTS = ("文昌阁社区", "城东社区")  # 团市委重点抓两个社区作为示范点
TERM_OVERDUE = "中山社区"  # branch terms chosen so the 按期换届 view shows every status
TERM_DUE_SOON = "后湖社区"
SURVEY_ITEMS = [item.value for item in SurveyItem]  # all six "…清" clauses

LINGWU_COMMUNITIES = ("育才街社区", "西湖社区")
LINGWU_SITES = {
    "青年之家": "youth_home",
    "儿童之家": "children_home",
    "邻里驿家": "neighbourhood_station",
    "文娱活动室": "recreation_room",
}
LINGWU_PARTNERS = {
    "灵武市总工会": "resident_unit",
    "灵武市青少年公益协会": "association",
    "灵武市机器人协会": "association",
}


class DemoError(RuntimeError):
    """The registry refused a demo write; the message carries the request and the response text."""


@dataclass
class Registry:
    """A thin client of the registry API that fails loudly and counts what it created."""

    client: httpx.AsyncClient
    token_for: TokenFor
    scope: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    _tokens: dict[tuple[str, ...], str] = field(default_factory=dict)

    def _headers(self) -> dict[str, str]:
        key = tuple(self.scope)
        if key not in self._tokens:  # signing is RSA work: one token per scope is plenty
            self._tokens[key] = self.token_for(list(key))
        return {"Authorization": f"Bearer {self._tokens[key]}"}

    async def call(
        self, method: str, path: str, body: Json | None = None, params: Json | None = None
    ) -> Json:
        response = await self.client.request(method, path, json=body, params=params, headers=self._headers())
        if not response.is_success:
            raise DemoError(f"{method} {path} answered {response.status_code}: {response.text}")
        result: Json = response.json()
        return result

    async def org(self, name: str, type_: str, parent: str | None = None, **extra: Any) -> str:
        """Register an organisation and remember its id under its (demo-unique) name."""
        body: Json = {"name": name, "type": type_, "parent_id": parent} | extra
        created = await self.call("POST", "/v1/organizations", body)
        self.ids[name] = created["id"]
        self.counts["organisations"] += 1
        return str(created["id"])

    async def act(self, org_id: str, action: str, body: Json) -> Json:
        return await self.call("POST", f"/v1/organizations/{org_id}:{action}", body)

    async def designate(self, org_id: str, kind: str, issuer: str | None, granted_on: date) -> None:
        body = {"kind": kind, "issuer_organization_id": issuer, "granted_on": granted_on.isoformat()}
        await self.call("POST", f"/v1/organizations/{org_id}/designations", body)
        self.counts["designations"] += 1

    async def agreement(self, body: Json, signed_on: date, plaque_on: date) -> str:
        """Draft, sign and activate (挂牌) an agreement: the demo shows them being carried out."""
        path = f"/v1/agreements/{(await self.call('POST', '/v1/agreements', body))['id']}"
        await self.call("POST", f"{path}:sign", {"signed_on": signed_on.isoformat()})
        created = await self.call("POST", f"{path}:activate", {"plaque_on": plaque_on.isoformat()})
        self.counts["agreements"] += 1
        return str(created["id"])

    async def all_organisations(self) -> list[Json]:
        items: list[Json] = []
        cursor: str | None = None
        while True:
            params: Json = {"limit": 200} | ({"cursor": cursor} if cursor else {})
            page = await self.call("GET", "/v1/organizations", params=params)
            items += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return items


def years_before(day: date, years: int) -> date:
    """Same day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def term_start_for(name: str, today: date, rng: random.Random) -> date:
    """Three-year terms: one overdue, one due within the warning window, the rest comfortably current."""
    three_years_ago = years_before(today, 3)
    if name == TERM_OVERDUE:
        return three_years_ago - timedelta(days=120)
    if name == TERM_DUE_SOON:
        return three_years_ago + timedelta(days=30)
    return today - timedelta(days=rng.randint(60, 700))


def survey_for(rng: random.Random) -> Json:
    """A complete 调查摸底 (all six 清) with plausible head counts for an urban community."""
    return {
        "checked": SURVEY_ITEMS,
        "youth_count": rng.randint(320, 1200),
        "hardship_household_count": rng.randint(12, 60),
        "dropout_youth_count": rng.randint(0, 6),
        "unemployed_youth_count": rng.randint(10, 70),
        "juvenile_offence_count": rng.randint(0, 2),
        "volunteer_project_count": rng.randint(3, 12),
    }


async def community(
    api: Registry,
    name: str,
    parent: str,
    *,
    batch: str,
    plan_title: str,
    today: date,
    area: Json | None = None,
) -> str:
    """A community with its league branch and term, taken through survey and plan to `creating`."""
    rng = random.Random(name)  # same numbers on every machine and every reload
    community_id = await api.org(name, "community", parent, **({"area": area} if area else {}))
    branch = await api.org(f"{name}团支部", "league_branch", community_id)
    members = rng.randint(18, 60)
    await api.call(
        "PUT",
        f"/v1/organizations/{branch}/term",
        {
            "term_start": term_start_for(name, today, rng).isoformat(),
            "term_years": 3,
            "member_count": members,
            "resident_member_count": rng.randint(6, members // 2),
        },
    )
    await api.call("PUT", f"/v1/organizations/{community_id}/survey", survey_for(rng))
    plan = {"plan_title": plan_title, "batch": batch}
    await api.call("PUT", f"/v1/organizations/{community_id}/plan", plan)
    for stage in ("planning", "creating"):
        await api.act(community_id, "change-stage", {"to_stage": stage})
    api.counts["communities"] += 1
    return community_id


async def xiaogan_tree(api: Registry) -> str:
    """孝感团市委 → 孝南团区委 / 开发区 / 高新区 → the four street 团工委 (DOMAIN.md §5.1)."""
    city = await api.org(XIAOGAN_ROOT, CITY_COMMITTEE, area={"city": "孝感市"})
    api.scope = [city]
    xiaonan = await api.org("孝南团区委", "league_district_committee", city, area={"district": "孝南区"})
    await api.org("市开发区团工委", "league_working_committee", city, area={"district": "市开发区"})
    await api.org("高新区团工委", "league_working_committee", city, area={"district": "高新区"})
    for street in XIAOGAN_STREETS:
        await api.org(f"{street}团工委", "league_working_committee", xiaonan, area={"street": street})
    return city


async def xiaogan_communities(api: Registry, city: str, today: date) -> None:
    """The ten first-batch communities; two become the city's demonstration points."""
    # The seed names no street for 高新区's two communities; the registry needs one below a district.
    areas = {"高新区团工委": {"street": "高新区"}}
    created = await asyncio.gather(
        *(
            community(
                api,
                name,
                api.ids[parent],
                batch="首批",
                plan_title=f"{name}创建青年文明社区实施方案",
                today=today,
                area=areas.get(parent),
            )
            for name, parent in XIAOGAN_COMMUNITIES.items()
        )
    )
    for community_id in created:
        await api.designate(community_id, "first_batch", city, today - timedelta(days=330))
    for name in DEMONSTRATION_POINTS:
        await api.act(api.ids[name], "change-stage", {"to_stage": "demonstration"})
        await api.designate(api.ids[name], "demonstration_point", city, today - timedelta(days=300))


async def xiaogan_schools(api: Registry, city: str, today: date) -> None:
    """Two universities, their league committees, and the street–university practice bases (结对挂牌)."""
    pairs = {"广场街道": "孝感学院", "新华街道": "湖北职院"}
    for street, school in pairs.items():
        school_id = await api.org(school, "school", city)
        await api.org(f"{school}团委", "league_school_committee", school_id)
        committee = api.ids[f"{street}团工委"]
        base_name = f"{street}——{school}大学生社会实践教育基地"
        base = await api.org(base_name, "college_practice_base", committee)
        signed = today - timedelta(days=320)
        await api.agreement(
            {
                "type": "street_university_base",
                "title": base_name,
                "party_ids": [committee, school_id],
                "site_ids": [base],
                "commitments": [
                    f"{school}组织大学生到{street}开展社会实践和志愿服务",
                    f"{street}提供实践岗位和活动场地",
                ],
                "meeting_schedule": ["每学期开学初召开一次联席会议"],
            },
            signed,
            signed + timedelta(days=10),
        )


async def xiaogan_center_and_venues(api: Registry, city: str) -> None:
    """文昌阁社区青年中心 built to all five requirements (达标), and the city's reading venues."""
    center = await api.org("文昌阁社区青年中心", "youth_center", api.ids["文昌阁社区"])
    await api.call(
        "PUT",
        f"/v1/organizations/{center}/youth-center",
        {
            "build_mode": "conversion",
            "indoor_area_m2": 120,
            "full_time_staff_count": 2,
            "org_form": "council",
            "projects": [
                "青年志愿者社区发展计划",
                "中国青少年新世纪读书计划",
                "社区青年文化节",
                "协助政府管理青少年事务：失业青年就业援助",
            ],
            "operating_models": ["project_based", "brand_based"],
            "plaque_installed": True,
        },
    )
    result: Json = {}
    for status in ("pilot", "built"):
        result = await api.act(center, "change-center-status", {"to_status": status})
    if result["youth_center"]["status"] != "compliant":
        raise DemoError(f"文昌阁社区青年中心 should be compliant (达标) but is {result['youth_center']}")
    api.counts["youth centres"] += 1
    await api.org("市图书馆", "library", city)
    await api.org("新华书店", "bookstore", city)


async def lingwu(api: Registry, today: date) -> None:
    """灵武's two regional pilots (2022-12), 育才街社区's sites and its venue co-building partners."""
    api.scope = []
    city = await api.org(LINGWU_ROOT, CITY_COMMITTEE, area={"city": "灵武市"})
    api.scope = [city]
    # 灵武 is a county-level city with no districts: the district level repeats its name.
    street = await api.org(
        "城区街道团工委", "league_working_committee", city, area={"district": "灵武市", "street": "城区街道"}
    )
    for name in LINGWU_COMMUNITIES:
        community_id = await community(
            api,
            name,
            street,
            batch="自治区试点",
            plan_title=f"{name}“社区青春行动”自治区试点实施方案",
            today=today,
        )
        await api.designate(community_id, "regional_pilot", city, date(2022, 12, 1))
    yucai = api.ids["育才街社区"]
    sites = [await api.org(f"育才街社区{label}", kind, yucai) for label, kind in LINGWU_SITES.items()]
    for partner, kind in LINGWU_PARTNERS.items():
        partner_id = await api.org(partner, kind, city)
        await api.agreement(
            {
                "type": "venue_co_building",
                "title": f"育才街社区与{partner}阵地共建协议",
                "party_ids": [yucai, partner_id],
                "site_ids": sites,
                "commitments": [
                    "共享青年之家、儿童之家、邻里驿家、文娱活动室",
                    "共同开展“七彩假期”和“社区青春行动”活动",
                ],
                "meeting_schedule": ["每季度召开一次共建联席会议"],
                "funding_split": "社区提供场地，共建单位提供活动经费和志愿者",
            },
            date(2023, 1, 6),
            date(2023, 1, 16),
        )
    await api.org("灵武市图书馆", "library", city)


async def existing(api: Registry) -> Json | None:
    """孝感团市委 if the demo was loaded before; a half-finished load is an error, not a skip."""
    page = await api.call(
        "GET", "/v1/organizations", params={"type": CITY_COMMITTEE, "name_prefix": XIAOGAN_ROOT, "limit": 200}
    )
    root = next((item for item in page["items"] if item["name"] == XIAOGAN_ROOT), None)
    if root is not None and COMPLETE_TAG not in root["tags"]:
        raise DemoError(
            f"{XIAOGAN_ROOT} exists but the demo load never finished (no tag {COMPLETE_TAG!r}); "
            "reset the data: make down && rm -rf .data/secantus && make up"
        )
    return root


async def load_demo(
    base_url: str, token_for: TokenFor, report: Callable[[str], None] = print
) -> dict[str, str]:
    """Load the demo once; returns organisation name -> id (of everything found when skipped)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as client:
        api = Registry(client, token_for)
        if await existing(api) is not None:
            found = await api.all_organisations()
            communities = sum(1 for item in found if item["type"] == "community")
            report(
                f"Demo data already loaded ({len(found)} organisations, {communities} communities): skipped."
            )
            return {item["name"]: item["id"] for item in reversed(found)}
        today = datetime.now(UTC).date()  # the registry judges dates in UTC
        city = await xiaogan_tree(api)
        await xiaogan_communities(api, city, today)
        await xiaogan_schools(api, city, today)
        await xiaogan_center_and_venues(api, city)
        await lingwu(api, today)
        api.scope = [city]
        await api.call("PATCH", f"/v1/organizations/{city}", {"tags": [COMPLETE_TAG]})  # written last: "done"
        summary = ", ".join(f"{count} {what}" for what, count in api.counts.items())
        report(f"Demo data loaded: {summary}.")
        return dict(api.ids)
