"""The 创业报表 on the real store: a month of ventures, loans and nominations in two streets."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from employment_harness import Stack

_phones = itertools.count(13500000001)
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
MONTH_START = TODAY.replace(day=1)
LAST_MONTH_START = (MONTH_START - timedelta(days=1)).replace(day=1)


async def founder(stack: Stack, subject: str, community: str) -> str:
    body = {
        "real_name": "陈刚",
        "phone": str(next(_phones)),
        "birth_year": 1996,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "migrant_worker",
    }
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    seeker_id: str = response.json()["id"]
    return seeker_id


async def venture(stack: Stack, seeker: str, street: str, kind: str, started_on: str, jobs: int) -> str:
    body = {
        "founder_seeker_id": seeker,
        "name": f"孝感{kind}创业项目{jobs}",
        "kind": kind,
        "sector": "餐饮",
        "street_organization_id": street,
        "started_on": started_on,
        "jobs_created": jobs,
    }
    response = await stack.employment.post("/v1/ventures", json=body, headers=stack.staff(street))
    assert response.status_code == 201, response.text
    venture_id: str = response.json()["id"]
    return venture_id


async def loan(stack: Stack, subject: str, amount: int, venture_id: str | None = None) -> str:
    body = {"purpose": "self_employed", "amount_yuan": amount, "term_months": 12, "guarantee": "credit"}
    body |= {"venture_id": venture_id} if venture_id else {}
    response = await stack.employment.post("/v1/loans", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    loan_id: str = response.json()["id"]
    return loan_id


async def run_to_repaying(
    stack: Stack, loan_id: str, staff: dict[str, str], approved: int, repaid: int
) -> None:
    steps: list[tuple[str, dict[str, object] | None]] = [
        ("review", None),
        ("approve", {"approved_amount_yuan": approved}),
        ("disburse", {"disbursed_on": TODAY.isoformat()}),
        ("start_repayment", None),
    ]
    for action, body in steps:
        response = await stack.employment.post(f"/v1/loans/{loan_id}:{action}", json=body, headers=staff)
        assert response.status_code == 200, response.text
    paid = {"amount_yuan": repaid, "paid_on": TODAY.isoformat()}
    response = await stack.employment.post(f"/v1/loans/{loan_id}/repayments", json=paid, headers=staff)
    assert response.status_code == 201, response.text


async def test_the_report_for_a_month_with_ventures_and_loans_in_two_streets(stack: Stack) -> None:
    xinhua = await stack.org("新华街道团工委", "league_working_committee", stack.city_id)
    guangchang = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    wenchangge = await stack.org("文昌阁社区", "community", xinhua)
    chengdong = await stack.org("城东社区", "community", guangchang)
    a, b = await founder(stack, "founder-a", wenchangge), await founder(stack, "founder-b", chengdong)

    homecoming = await venture(stack, a, xinhua, "homecoming", MONTH_START.isoformat(), 3)
    older = await venture(stack, a, xinhua, "self_employed", LAST_MONTH_START.isoformat(), 2)
    grew = {"on": TODAY.isoformat(), "jobs": 5}
    assert (
        await stack.employment.post(f"/v1/ventures/{older}/jobs", json=grew, headers=stack.staff(xinhua))
    ).is_success
    await venture(stack, b, guangchang, "self_employed", TODAY.isoformat(), 4)
    nominated = await stack.employment.post(
        f"/v1/ventures/{homecoming}/nominations",
        json={"year": TODAY.year, "reason": "带动3人就业"},
        headers=stack.staff(xinhua),
    )
    assert nominated.status_code == 201, nominated.text

    await run_to_repaying(
        stack, await loan(stack, "founder-a", 50_000, homecoming), stack.staff(xinhua), 40_000, 10_000
    )
    await loan(stack, "founder-b", 20_000)

    month = TODAY.strftime("%Y-%m")
    response = await stack.employment.get(
        "/v1/reports/entrepreneurship",
        params={"organization_id": stack.city_id, "month": month},
        headers=stack.admin(),
    )
    assert response.status_code == 200, response.text
    rows = {row.pop("street_organization_id"): row for row in response.json()["items"]}
    assert rows[xinhua] == {
        "street_name": "新华街道团工委",
        "ventures_self_employed": 0,
        "ventures_homecoming": 1,
        "jobs_created": 3 + 3,
        "jobs_at_month_end": 3 + 5,
        "loans_applied": 1,
        "loans_applied_yuan": 50_000,
        "loans_approved": 1,
        "loans_approved_yuan": 40_000,
        "loans_disbursed": 1,
        "loans_disbursed_yuan": 40_000,
        "loans_repaying": 1,
        "loans_repaying_balance_yuan": 30_000,
        "nominations": 1,
        "stars_selected": 0,
    }
    assert rows[guangchang] == {
        "street_name": "广场街道团工委",
        "ventures_self_employed": 1,
        "ventures_homecoming": 0,
        "jobs_created": 4,
        "jobs_at_month_end": 4,
        "loans_applied": 1,
        "loans_applied_yuan": 20_000,
        "loans_approved": 0,
        "loans_approved_yuan": 0,
        "loans_disbursed": 0,
        "loans_disbursed_yuan": 0,
        "loans_repaying": 0,
        "loans_repaying_balance_yuan": 0,
        "nominations": 0,
        "stars_selected": 0,
    }

    last_month = await stack.employment.get(
        "/v1/reports/entrepreneurship",
        params={"organization_id": xinhua, "month": LAST_MONTH_START.strftime("%Y-%m")},
        headers=stack.staff(xinhua),
    )
    [row] = last_month.json()["items"]
    assert (row["ventures_self_employed"], row["jobs_created"], row["loans_applied"]) == (1, 2, 0)


async def test_the_report_pages_by_street_and_is_for_league_staff(stack: Stack) -> None:
    streets = [
        await stack.org(f"{n}街道团工委", "league_working_committee", stack.city_id) for n in ("新华", "广场")
    ]
    for position, street in enumerate(streets):
        community = await stack.org(f"社区{position}", "community", street)
        await venture(
            stack, await founder(stack, f"f{position}", community), street, "homecoming", TODAY.isoformat(), 1
        )
    path, month = "/v1/reports/entrepreneurship", TODAY.strftime("%Y-%m")
    query: dict[str, str | int] = {"organization_id": stack.city_id, "month": month, "limit": 1}
    first = (await stack.employment.get(path, params=query, headers=stack.admin())).json()
    second = (
        await stack.employment.get(
            path, params=query | {"cursor": first["next_cursor"]}, headers=stack.admin()
        )
    ).json()
    assert [r["street_organization_id"] for r in first["items"] + second["items"]] == sorted(streets)
    assert second["next_cursor"] is None

    refused = await stack.employment.get(path, params=query, headers=stack.person("f0"))
    assert refused.status_code == 403
    malformed = await stack.employment.get(path, params=query | {"month": "2026-13"}, headers=stack.admin())
    assert (malformed.status_code, malformed.json()["code"]) == (422, "invalid_month")
