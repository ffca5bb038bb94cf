"""Demo data for volunteering, from the 灵武 seed: 育才街社区's 青年人才库, a "七彩假期" series and a
"福娃福地书香国学" parent–child session with sign-ups, the 福娃福地书香国学 team, a 一帮一 pairing,
a 补录 of verified hours with its certificate, and a 社区报到 round (copied from the 台账) in which
one member is overdue.

The organisations come from the registry demo; volunteering knows them from the registry's
events, so this waits until its read model has heard of 育才街社区.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from deploy.local.demo_http import call, create_when_known, org_id

Issue = Callable[[list[str], list[str], str], str]  # roles, scope, subject -> token
SERIES = "七彩假期"
TALENT_POOL = [  # 育才街社区青年人才库: (subject, name, type, born, specialties)
    ("yc-01", "马晓燕", "league_member", "1999-03-12", ["课业辅导", "国学诵读"]),
    ("yc-02", "李文博", "returning_student", "2003-07-01", ["课业辅导", "科普"]),
    ("yc-03", "王静", "league_member", "1996-11-23", ["心理疏导", "课业辅导"]),
    ("yc-04", "张磊", "university_student", "2004-02-18", ["手工", "科普"]),
    ("yc-05", "杨帆", "returning_student", "2002-09-09", ["摄影", "课业辅导"]),
    ("yc-06", "刘洋", "young_owner", "1994-05-30", ["法律咨询"]),
]
WEEKENDS = [
    {"weekday": 6, "starts": "08:30", "ends": "12:00"},
    {"weekday": 7, "starts": "14:00", "ends": "18:00"},
]
SENDING_UNIT = "灵武市总工会"
PARTY_MEMBERS = [  # 在职党员 reporting to 育才街社区: (subject, name, days before the deadline)
    ("dy-01", "周建华", 6),
    ("dy-02", "孙丽", 4),
    ("dy-03", "何志强", 2),
    ("dy-04", "陈海燕", None),  # never reported: overdue
]


def _shift(start: datetime, hours: int, capacity: int, **extra: Any) -> dict[str, Any]:
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(),
        "capacity": capacity,
    } | extra


async def load_volunteering_demo(registry_url: str, volunteering_url: str, issue: Issue) -> dict[str, int]:
    """Idempotent: skipped when the 七彩假期 series already exists."""
    async with (
        httpx.AsyncClient(base_url=registry_url, timeout=30) as registry,
        httpx.AsyncClient(base_url=volunteering_url, timeout=30) as volunteering,
    ):
        reader = issue(["city_admin"], [], "dev-demo-loader")
        yucai = await org_id(registry, reader, "育才街社区")
        home = await org_id(registry, reader, "育才街社区青年之家")
        organiser = issue(["community_staff"], [yucai], "dev-yucai-staff")
        existing = await call(volunteering, "GET", f"/v1/activities?host_organization_id={home}", organiser)
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
            activities.append(await create_when_known(volunteering, "/v1/activities", organiser, body))
        classics = {
            "title": "福娃福地书香国学·国学经典亲子诵读",
            "host_organization_id": home,
            "category": "culture_education",
            "brand": "福娃福地书香国学",
            "shifts": [_shift(summer + timedelta(days=2), 1, 30, family_only=True)],
        }
        activities.append(await create_when_known(volunteering, "/v1/activities", organiser, classics))
        for body in _coming_weekend_activities(yucai, home):
            activities.append(await create_when_known(volunteering, "/v1/activities", organiser, body))
        for activity in activities:
            await call(volunteering, "POST", f"/v1/activities/{activity['id']}:publish", organiser)
        pool = {}
        for subject, name, kind, born, specialties in TALENT_POOL:
            token = issue(["volunteer"], [], subject)
            profile = {
                "display_name": name,
                "birth_date": born,
                "volunteer_type": kind,
                "talent_pool": True,
                "home_community_id": yucai,
                "specialties": specialties,
                "availability": WEEKENDS,
                "teaching_opt_in": kind != "young_owner",
            }
            pool[subject] = (await call(volunteering, "POST", "/v1/volunteers", token, profile))["id"]
            await call(volunteering, "POST", f"/v1/shifts/{activities[0]['shift_ids'][0]}/signups", token, {})
        await _team(volunteering, organiser, home, list(pool.values()))
        await _pairing(volunteering, organiser, yucai, pool["yc-03"])
        await _verified_hours(volunteering, issue, yucai, pool["yc-01"])
        unit = await org_id(registry, reader, SENDING_UNIT)
        overdue = await _checkin_round(volunteering, issue, unit, yucai)
        return {
            "volunteers": len(TALENT_POOL),
            "activities": len(activities),
            "sign-ups": len(TALENT_POOL),
            "teams": 1,
            "pairings": 1,
            "certificates": 1,
            "报到 members": len(PARTY_MEMBERS),
            "overdue": overdue,
        }


def _coming_weekend_activities(yucai: str, home: str) -> list[dict[str, Any]]:
    """Two weekend activities in the coming weeks, so matching has something near to rank."""
    today = date.today()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    at_nine = datetime(saturday.year, saturday.month, saturday.day, 1, 0, tzinfo=UTC)  # 09:00 local
    return [
        {
            "title": "学雷锋志愿服务·社区环境卫生整治",
            "host_organization_id": yucai,
            "category": "sanitation",
            "shifts": [_shift(at_nine, 2, 12, place="育才街社区党群服务中心")],
        },
        {
            "title": "周末课业辅导",
            "host_organization_id": home,
            "category": "culture_education",
            "brand": "福娃福地书香国学",
            "shifts": [_shift(at_nine + timedelta(days=1, hours=5), 3, 6, required_skills=["课业辅导"])],
        },
    ]


async def _team(client: httpx.AsyncClient, organiser: str, home: str, members: list[str]) -> None:
    team = {
        "name": "福娃福地书香国学志愿服务队",
        "host_organization_id": home,
        "type": "service_squad",
        "brand": "福娃福地书香国学",
        "leader_volunteer_id": members[0],
        "member_volunteer_ids": members[1:4],
    }
    await call(client, "POST", "/v1/teams", organiser, team)


async def _pairing(client: httpx.AsyncClient, organiser: str, yucai: str, helper: str) -> None:
    """一帮一: 王静 helps a pupil of a care case (only its pseudonymous id is known here)."""
    body = {
        "type": "one_mentors_one",
        "host_organization_id": yucai,
        "beneficiary": {"kind": "care_case", "ref": "case_LW2024YC07"},
        "helper_volunteer_ids": [helper],
    }
    pairing = await call(client, "POST", "/v1/pairings", organiser, body)
    signed_on = date.today() - timedelta(days=40)
    agreement = {
        "signed_on": signed_on.isoformat(),
        "document_ref": "育才街社区结对档案（一帮一）",
        "terms_summary": "每周一次学业辅导，每月一次到户走访，直至完成学业",
    }
    await call(client, "POST", f"/v1/pairings/{pairing['id']}:sign", organiser, agreement)
    visit = {
        "visited_on": (signed_on + timedelta(days=7)).isoformat(),
        "kind": "tutoring",
        "notes": "数学作业辅导",
    }
    await call(client, "POST", f"/v1/pairings/{pairing['id']}/visits", organiser, visit)


async def _verified_hours(client: httpx.AsyncClient, issue: Issue, yucai: str, volunteer: str) -> None:
    """A 补录 of last summer's service, approved by a second organiser, then certified by the community."""
    served_on = date.today() - timedelta(days=30)
    entry = {
        "host_organization_id": yucai,
        "served_on": served_on.isoformat(),
        "minutes": 180,
        "activity_title": "七彩假期·暑期课业辅导（纸质签到）",
        "evidence": {"description": "纸质签到表与活动照片，社区书记确认", "refs": ["photo-yc-2024-07-13-01"]},
    }
    created = await call(client, "POST", "/v1/hour-entries", issue(["volunteer"], [], "yc-01"), entry)
    approver = issue(["community_staff"], [yucai], "dev-yucai-secretary")
    await call(client, "POST", f"/v1/hour-entries/{created['id']}:verify", approver)
    certificate = {
        "volunteer_id": volunteer,
        "issuer_organization_id": yucai,
        "period_from": (served_on - timedelta(days=1)).isoformat(),
        "period_to": date.today().isoformat(),
    }
    await call(client, "POST", "/v1/certificates", approver, certificate)


async def _checkin_round(client: httpx.AsyncClient, issue: Issue, unit: str, yucai: str) -> int:
    """The union's round copied from its 台账: three members reported, one did not and is overdue."""
    deadline = date.today() - timedelta(days=3)
    members = [
        {"subject_id": subject, "community_id": yucai, "display_name": name}
        | ({"reported_on": (deadline - timedelta(days=days)).isoformat()} if days is not None else {})
        for subject, name, days in PARTY_MEMBERS
    ]
    body = {
        "title": f"{SENDING_UNIT}在职党员进社区报到",
        "sending_organization_id": unit,
        "required_documents": ["introduction_letter", "checkin_card", "registration_form", "receipt"],
        "checkin_deadline": deadline.isoformat(),
        "receipt_deadline": (deadline + timedelta(days=7)).isoformat(),
        "members": members,
        "backfill": True,
    }
    branch = issue(["org_admin"], [unit], "dev-union-branch")
    round_ = await call(client, "POST", "/v1/checkin-rounds", branch, body)
    staff = issue(["community_staff"], [yucai], "dev-yucai-staff")
    checkins = await call(client, "GET", f"/v1/checkin-rounds/{round_['id']}/checkins?limit=50", branch)
    first = next(c for c in checkins["items"] if c["subject_id"] == PARTY_MEMBERS[0][0])
    await call(client, "POST", f"/v1/community-checkins/{first['id']}:confirm", staff)
    post = {"community_id": yucai, "post_type": "culture_sports", "capacity": 17}
    created = await call(client, "POST", "/v1/service-posts", staff, post)
    await call(
        client,
        "POST",
        f"/v1/service-posts/{created['id']}:claim",
        issue(["volunteer"], [], first["subject_id"]),
    )
    overdue = await call(client, "GET", f"/v1/checkin-rounds/{round_['id']}/overdue", branch)
    return len(overdue["items"])
