"""Demo data for employment (青年创业者行动), from the 孝感 seed: three employers of the city's streets
and zones and their postings (用工信息), each drafted by the employer, sent up (报送) by its community's
league branch and published by 孝感团市委 on the city platform (孝感青年创业网), a 就业见习 post with
its allowance and insurance among them, and one held for moderation because it asks for a deposit;
real-name job seekers (实名制) of the first-batch communities, returnees and 返乡大学生 among them,
taken through the community's intake (四知四清四掌握) and services; applications, a referral
(职业介绍) accepted and a hire; and a 返乡创业 venture whose 小额担保贷款 is in repayment.

The seeds name no employer, seeker or founder: every such name, phone and figure is invented. The
employers are registered in the registry (once, found by name afterwards); employment knows them,
like the communities, from the registry's events, so the first writes wait until it has heard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import httpx

from deploy.local.demo_http import call, create_when_known, org_id

Issue = Callable[[list[str], list[str], str], str]  # roles, scope, subject -> token
LOCAL = ZoneInfo("Asia/Shanghai")  # the service judges service, loan and venture dates in local time
CITY = "孝感团市委"
EMPLOYERS = {  # enterprise -> the street or zone 团工委 it trades under (registry demo names)
    "孝感市楚澴纺织有限公司": "高新区团工委",
    "孝感市槐荫物流有限公司": "广场街道团工委",
    "孝感市澴川电子商务有限公司": "新华街道团工委",
}
TEXTILES, LOGISTICS, ECOMMERCE = EMPLOYERS
POSTINGS = [  # (employer, community where the work is and whose branch sends it up, the posting)
    (
        TEXTILES,
        "汉光社区",
        {
            "title": "纺织车间操作工",
            "category": "manufacturing",
            "kind": "full_time",
            "headcount": 8,
            "skills": ["sewing", "textile"],
            "requirements": "18至40周岁，身体健康，能适应两班倒；有纺织或缝纫经验者优先；包住宿，缴纳五险。",
            "pay_min": 3800,
            "pay_max": 5200,
        },
    ),
    (
        LOGISTICS,
        "城东社区",
        {
            "title": "快递分拣员（灵活用工）",
            "category": "logistics",
            "kind": "flexible",
            "headcount": 6,
            "skills": ["sorting", "forklift"],
            "requirements": "按件计酬，可选早班或晚班；持叉车证者优先。",
            "pay_min": 2800,
            "pay_max": 4800,
        },
    ),
    (
        ECOMMERCE,
        "文昌阁社区",
        {
            "title": "电商运营就业见习岗",
            "category": "information_technology",
            "kind": "traineeship",
            "headcount": 3,
            "skills": ["e-commerce", "livestreaming", "photography"],
            "requirements": "离校两年内未就业的高校毕业生或16至24岁失业青年；见习期6个月，学习网店运营、"
            "直播带货和产品拍摄；见习期间不收取任何费用。",
            "traineeship": {"allowance_yuan": 1800, "insurance": True},
        },
    ),
]
HELD_POSTING = (  # what moderation is for: a deposit asked of applicants holds it on submission
    LOGISTICS,
    "城东社区",
    {
        "title": "仓库理货员",
        "category": "logistics",
        "kind": "full_time",
        "headcount": 2,
        "requirements": "吃苦耐劳，服从安排；入职需交押金300元。",
        "pay_min": 3000,
        "pay_max": 3600,
    },
)


class Seeker(NamedTuple):
    """A youth who registers herself or himself (实名制); the community's window does the rest."""

    subject: str
    name: str
    community: str
    category: str
    born: int
    skills: list[str]
    wanted_categories: list[str]
    wanted_kinds: list[str]
    intent: str


SEEKERS = [
    Seeker(
        "xg-01",
        "陈思远",
        "文昌阁社区",
        "returning_student",
        2003,
        ["e-commerce", "photography"],
        ["information_technology", "sales"],
        ["traineeship", "homecoming_internship"],
        "毕业回孝感，想做电商运营",
    ),
    Seeker(
        "xg-02",
        "张雨涵",
        "书院社区",
        "returning_student",
        2004,
        ["tutoring"],
        ["education_training", "community_service"],
        ["homecoming_internship", "part_time"],
        "暑期回家乡实习",
    ),
    Seeker(
        "xg-03",
        "黄俊杰",
        "城东社区",
        "returnee",
        1997,
        ["forklift", "sorting"],
        ["logistics"],
        ["full_time", "flexible"],
        "在武汉做过三年仓储，想回家附近工作",
    ),
    Seeker(
        "xg-04",
        "胡春燕",
        "民主社区",
        "returnee",
        1995,
        ["food_processing", "e-commerce"],
        ["catering"],
        [],
        "从东莞返乡，想做孝感米酒生意",
    ),
    Seeker(
        "xg-05",
        "李梦瑶",
        "中山社区",
        "graduate",
        2002,
        ["office", "accounting"],
        ["clerical", "information_technology"],
        ["full_time", "traineeship"],
        "文员或见习岗位",
    ),
    Seeker(
        "xg-06",
        "王志刚",
        "汉光社区",
        "laid_off",
        1991,
        ["sewing", "textile"],
        ["manufacturing"],
        ["full_time"],
        "原纺织厂挡车工，想找稳定的车间工作",
    ),
]
PHONES = {s.subject: f"1597120{index:04d}" for index, s in enumerate(SEEKERS, start=1)}  # invented
SERVICES = {  # subject -> (service type, days ago, note): what the community's window did for them
    "xg-01": ("skills_training", 20, "电商直播带货培训（社区创业指导服务窗口）"),
    "xg-02": ("information", 12, "“大学生返家乡”社区实践岗位信息"),
    "xg-03": ("outreach_jobs", 9, "送岗位上门：物流、仓储岗位"),
    "xg-04": ("project_recommendation", 60, "推荐孝感米酒作坊项目，讲解小额担保贷款政策"),
    "xg-05": ("policy_consulting", 7, "高校毕业生就业见习补贴政策"),
    "xg-06": ("job_referral", 5, "推荐至孝感市楚澴纺织有限公司"),
}
FOUNDER = "xg-04"
VENTURE_STREET = "车站街道团工委"


def _staff(issue: Issue, org: str, who: str) -> str:
    """League staff of one organisation (a community's branch, a street's 团工委)."""
    return issue(["community_staff"], [org], f"dev-{who}")


async def load_employment_demo(registry_url: str, employment_url: str, issue: Issue) -> dict[str, int]:
    """Idempotent: the employers are registered once, and the rest is skipped when their postings exist."""
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=30) as registry,
        httpx.AsyncClient(base_url=employment_url, timeout=30) as client,
    ):
        reader = issue(["city_admin"], [], "dev-demo-loader")
        city = await org_id(registry, reader, CITY)
        employers = {
            name: await _employer(registry, issue, city, name, parent) for name, parent in EMPLOYERS.items()
        }
        if await _has_postings(client, issue, employers[TEXTILES]):
            return {}
        places = {name: await org_id(registry, reader, name) for name in _communities()}
        league = issue(["city_admin"], [city], "dev-xiaogan-league")
        postings = [
            await _posting(client, issue, league, employers[employer], places[community], community, body)
            for employer, community, body in [*POSTINGS, HELD_POSTING]
        ]
        held = sum(p["status"] == "held" for p in postings)
        seekers = {s.subject: await _seeker(client, issue, places, s) for s in SEEKERS}
        applied = await _applications(client, issue, places, employers, postings, seekers)
        street = await org_id(registry, reader, VENTURE_STREET)
        repaid = await _venture_and_loan(client, issue, street, seekers[FOUNDER])
        return {
            "employers": len(EMPLOYERS),
            "postings published": len(postings) - held,
            "held for moderation (押金)": held,
            "job seekers": len(SEEKERS),
            "of them returnees and 返乡大学生": sum(
                s.category in ("returnee", "returning_student") for s in SEEKERS
            ),
            "applications": applied,
            "hires": 1,
            "ventures": 1,
            "loans in repayment": 1,
            "元 repaid": repaid,
        }


def _communities() -> list[str]:
    return sorted({c for _, c, _ in POSTINGS} | {HELD_POSTING[1]} | {s.community for s in SEEKERS})


async def _employer(registry: httpx.AsyncClient, issue: Issue, city: str, name: str, parent: str) -> str:
    """The enterprise, registered under its 团工委 unless an earlier load did (the registry allows twins)."""
    token = issue(["city_admin"], [city], "dev-demo-loader")
    found = await call(registry, "GET", f"/v1/organizations?type=enterprise&name_prefix={name}", token)
    for item in found["items"]:
        if item["name"] == name:
            return str(item["id"])
    body = {"name": name, "type": "enterprise", "parent_id": await org_id(registry, token, parent)}
    created = await call(registry, "POST", "/v1/organizations", token, body)
    return str(created["id"])


async def _has_postings(client: httpx.AsyncClient, issue: Issue, employer: str) -> bool:
    """Any posting of the first employer in any status: its own staff see drafts and closed ones too."""
    statuses = "&".join(
        f"status={s}"
        for s in ("draft", "submitted", "held", "published", "rejected", "filled", "expired", "withdrawn")
    )
    token = issue(["org_admin"], [employer], "dev-employer-hr")
    found = await call(client, "GET", f"/v1/postings?employer_organization_id={employer}&{statuses}", token)
    return bool(found["items"])


async def _posting(
    client: httpx.AsyncClient,
    issue: Issue,
    league: str,
    employer: str,
    community: str,
    community_name: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    """The employer drafts, the community's branch sends it up, 孝感团市委 publishes it (unless held)."""
    draft = body | {
        "employer_organization_id": employer,
        "place_organization_id": community,
        "origin_community_id": community,
    }
    created = await create_when_known(
        client, "/v1/postings", issue(["org_admin"], [employer], "dev-employer-hr"), draft
    )
    branch = _staff(issue, community, f"{community_name}-branch")
    submitted = await call(client, "POST", f"/v1/postings/{created['id']}:submit", branch)
    if submitted["status"] == "held":
        return dict(submitted)
    return dict(await call(client, "POST", f"/v1/postings/{created['id']}:publish", league))


async def _seeker(client: httpx.AsyncClient, issue: Issue, places: dict[str, str], who: Seeker) -> str:
    """Self-registration with consent, then the community's intake and a first service."""
    profile = {
        "real_name": who.name,
        "phone": PHONES[who.subject],
        "birth_year": who.born,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": places[who.community],
        "category": who.category,
        "skills": who.skills,
        "wanted_categories": who.wanted_categories,
        "wanted_kinds": who.wanted_kinds,
        "entrepreneurial_intent": who.subject == FOUNDER,
        "employment_intent": who.intent,
    }
    seeker = await create_when_known(client, "/v1/seekers", issue(["volunteer"], [], who.subject), profile)
    staff = _staff(issue, places[who.community], f"{who.community}-window")
    notes = {"notes": "四知四清四掌握：家庭情况、技能特长、求职意向和培训需求已登记"}
    await call(client, "POST", f"/v1/seekers/{seeker['id']}:assess", staff, notes)
    kind, days_ago, note = SERVICES[who.subject]
    served_on = (datetime.now(LOCAL).date() - timedelta(days=days_ago)).isoformat()
    service = {"type": kind, "date": served_on, "note": note}
    await call(client, "POST", f"/v1/seekers/{seeker['id']}/services", staff, service)
    return str(seeker["id"])


async def _applications(
    client: httpx.AsyncClient,
    issue: Issue,
    places: dict[str, str],
    employers: dict[str, str],
    postings: list[dict[str, Any]],
    seekers: dict[str, str],
) -> int:
    """Two seekers apply themselves; 汉光社区 refers 王志刚, who accepts and is hired (a placement)."""
    textiles, logistics, traineeship = postings[:3]
    note = {"cover_note": "在校期间做过网店客服和产品拍摄，可随时到岗"}
    await call(
        client,
        "POST",
        f"/v1/postings/{traineeship['id']}/applications",
        issue(["volunteer"], [], "xg-01"),
        note,
    )
    await call(
        client, "POST", f"/v1/postings/{logistics['id']}/applications", issue(["volunteer"], [], "xg-03")
    )
    staff = _staff(issue, places["汉光社区"], "汉光社区-window")
    referral = {
        "seeker_id": seekers["xg-06"],
        "posting_id": textiles["id"],
        "note": "下岗前在纺织厂做过八年挡车工，熟悉设备",
    }
    proposed = await call(client, "POST", "/v1/referrals", staff, referral)
    accepted = await call(
        client, "POST", f"/v1/referrals/{proposed['id']}:accept", issue(["volunteer"], [], "xg-06")
    )
    hr = issue(["org_admin"], [employers[TEXTILES]], "dev-employer-hr")
    for step in ("review", "invite", "offer", "hire"):
        await call(client, "POST", f"/v1/applications/{accepted['application_id']}:{step}", hr)
    return 3


async def _venture_and_loan(client: httpx.AsyncClient, issue: Issue, street: str, founder: str) -> int:
    """胡春燕's 返乡创业 米酒 workshop, registered by 车站街道's guidance station; her loan is reviewed,
    approved for less than asked, paid out and in repayment, the first instalment recorded."""
    today = datetime.now(LOCAL).date()
    staff = _staff(issue, street, "chezhan-guidance-station")
    venture = await create_when_known(
        client,
        "/v1/ventures",
        staff,
        {
            "founder_seeker_id": founder,
            "name": "孝感市春燕米酒工坊",
            "kind": "homecoming",
            "sector": "食品加工（孝感米酒）",
            "street_organization_id": street,
            "started_on": (today - timedelta(days=240)).isoformat(),
            "jobs_created": 3,
        },
    )
    jobs = {"on": (today - timedelta(days=30)).isoformat(), "jobs": 6}
    await call(client, "POST", f"/v1/ventures/{venture['id']}/jobs", staff, jobs)
    application = {
        "venture_id": venture["id"],
        "purpose": "homecoming",
        "amount_yuan": 100_000,
        "term_months": 24,
        "guarantee": "guarantee_agency",
        "subsidised_interest": True,
    }
    loan = await call(client, "POST", "/v1/loans", issue(["volunteer"], [], FOUNDER), application)
    path = f"/v1/loans/{loan['id']}"
    await call(client, "POST", f"{path}:review", staff)
    await call(client, "POST", f"{path}:approve", staff, {"approved_amount_yuan": 80_000})
    await call(client, "POST", f"{path}:disburse", staff, {"disbursed_on": today.isoformat()})
    await call(client, "POST", f"{path}:start_repayment", staff)
    repaid = await call(
        client, "POST", f"{path}/repayments", staff, {"amount_yuan": 3_500, "paid_on": today.isoformat()}
    )
    return int(repaid["repaid_yuan"])
