"""Employment's monthly figures (月报) on the real store and bus: postings, seekers, applications
and hires counted for the place asked about and nothing else."""

from __future__ import annotations

import itertools
from typing import Any
from zoneinfo import ZoneInfo

from employment_harness import Stack

_phones = itertools.count(13900001000)


async def seeker(stack: Stack, subject: str, community: str, category: str = "graduate") -> str:
    body = {
        "real_name": "李晓燕",
        "phone": str(next(_phones)),
        "birth_year": 2001,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": category,
    }
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    seeker_id: str = response.json()["id"]
    return seeker_id


async def posting(stack: Stack, employer: str, community: str) -> str:
    body = {
        "employer_organization_id": employer,
        "title": "纺织车间操作工",
        "category": "manufacturing",
        "kind": "full_time",
        "headcount": 1,
        "requirements": "身体健康, 能适应倒班",
        "place_organization_id": community,
        "pay_min": 3500,
        "pay_max": 4500,
    }
    created = await stack.employment.post("/v1/postings", json=body, headers=stack.admin())
    assert created.status_code == 201, created.text
    posting_id: str = created.json()["id"]
    for step in ("submit", "publish"):
        moved = await stack.employment.post(f"/v1/postings/{posting_id}:{step}", headers=stack.admin())
        assert moved.status_code == 200, moved.text
    return posting_id


async def figures(stack: Stack, org: str, headers: dict[str, str]) -> Any:
    month = stack.context.now().astimezone(ZoneInfo(stack.context.settings.local_timezone)).strftime("%Y-%m")
    return await stack.employment.get(
        "/v1/statistics/monthly", params={"organization_id": org, "month": month}, headers=headers
    )


async def test_postings_seekers_applications_and_hires_of_a_month(stack: Stack) -> None:
    community = await stack.community()
    other = await stack.community("西湖社区", "城南街道团工委")
    employer = await stack.employer()
    posted = await posting(stack, employer, community)
    await posting(stack, employer, other)
    await seeker(stack, "youth-1", community)
    await seeker(stack, "youth-2", community, category="returnee")
    await seeker(stack, "youth-3", other)
    applied = await stack.employment.post(
        f"/v1/postings/{posted}/applications", headers=stack.person("youth-1")
    )
    assert applied.status_code == 201, applied.text
    staff = stack.staff(employer, "org_admin")
    for step in ("review", "invite", "offer", "hire"):
        moved = await stack.employment.post(f"/v1/applications/{applied.json()['id']}:{step}", headers=staff)
        assert moved.status_code == 200, moved.text

    answer = await figures(stack, community, stack.staff(community))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["postings_published"], body["postings_filled"]) == (1, 1)
    assert (body["applications"], body["hires"]) == (1, 1)
    assert (body["seekers"], body["seekers_registered"]) == (2, 2)
    assert {t["code"]: t["count"] for t in body["seekers_by_category"]} == {"graduate": 1, "returnee": 1}
    assert "李晓燕" not in answer.text
    city = (await figures(stack, stack.city_id, stack.admin())).json()
    assert (city["postings_published"], city["seekers"]) == (2, 3)


async def test_the_figures_keep_to_the_callers_scope(stack: Stack) -> None:
    community = await stack.community()
    other = await stack.community("西湖社区", "城南街道团工委")
    outside = await figures(stack, community, stack.staff(other))
    assert (outside.status_code, outside.json()["code"], outside.json()["field"]) == (
        403,
        "out_of_scope",
        "organization_id",
    )
    employer_admin = await figures(stack, community, stack.staff(community, "org_admin"))
    assert (employer_admin.status_code, employer_admin.json()["code"]) == (403, "role_required")
