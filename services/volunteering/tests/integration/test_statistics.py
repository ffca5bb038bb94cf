"""Volunteering's monthly figures (月报) and activity ledger on the real store and bus."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hours_harness import T0, at, code, community, running_activity, signed_up

from volunteering_harness import Stack

M = timedelta(minutes=1)


def month_of(stack: Stack) -> str:
    return T0.astimezone(ZoneInfo(stack.context.settings.local_timezone)).strftime("%Y-%m")


async def figures(stack: Stack, org: str, headers: dict[str, str], path: str = "") -> Any:
    return await stack.volunteering.get(
        f"/v1/statistics/monthly{path}",
        params={"organization_id": org, "month": month_of(stack)},
        headers=headers,
    )


async def test_sessions_attendance_and_verified_minutes_of_a_month(stack: Stack) -> None:
    host = await community(stack)
    other = await community(stack, "西湖社区")
    activity = await running_activity(stack, host)
    await running_activity(stack, other)  # another street's activity never counts here
    shift_id = activity["shift_ids"][0]
    first = await signed_up(stack, "v1", shift_id, home_community_id=host)
    await signed_up(stack, "v2", shift_id, home_community_id=host)
    at(stack, T0 + 5 * M)
    shown = await code(stack, shift_id)
    for subject in ("v1", "v2"):
        checked = await stack.volunteering.post(
            f"/v1/shifts/{shift_id}/checkins", json={"code": shown["code"]}, headers=stack.person(subject)
        )
        assert checked.status_code == 200, checked.text
    at(stack, T0 + 120 * M)
    out = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{first['id']}:check-out", headers=stack.person("v1")
    )
    assert out.status_code == 200, out.text
    [entry] = await stack.context.hours.find_entries({"volunteer_id": first["id"]}, None, 10)
    verified = await stack.volunteering.post(f"/v1/hour-entries/{entry['_id']}:verify", headers=stack.admin())
    assert verified.status_code == 200, verified.text

    answer = await figures(stack, host, stack.staff(host))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["activities"], body["sessions"], body["participants"], body["verified_minutes"]) == (
        1,
        1,
        2,
        90,
    )
    assert body["sessions_by_category"] == [
        {"code": "colourful_holiday", "label": "七彩假期志愿服务", "count": 1}
    ]
    assert body["participants_by_brand"] == [{"code": "七彩假期", "label": "七彩假期", "count": 2}]
    assert (body["registered_volunteers"], body["new_volunteers"]) == (2, 2)

    city = (await figures(stack, stack.city_id, stack.admin())).json()
    assert (city["activities"], city["sessions"], city["participants"]) == (2, 2, 2)

    ledger = await figures(stack, host, stack.staff(host), "/activities")
    [row] = ledger.json()["items"]
    assert (row["title"], row["category_label"], row["brand"]) == (
        "七彩假期·暑期课业辅导",
        "七彩假期志愿服务",
        "七彩假期",
    )
    assert (row["sessions"], row["participants"], row["verified_minutes"]) == (1, 2, 90)
    assert row["dates"] == [T0.astimezone(ZoneInfo(stack.context.settings.local_timezone)).date().isoformat()]

    later = await stack.volunteering.get(
        "/v1/statistics/monthly", params={"organization_id": host, "month": "2020-01"}, headers=stack.admin()
    )
    assert (later.json()["sessions"], later.json()["participants"]) == (0, 0)


async def test_the_figures_keep_to_the_callers_scope(stack: Stack) -> None:
    host = await community(stack)
    other = await community(stack, "西湖社区")
    outside = await figures(stack, host, stack.staff(other))
    assert (outside.status_code, outside.json()["code"], outside.json()["field"]) == (
        403,
        "out_of_scope",
        "organization_id",
    )
    volunteer = await figures(stack, host, stack.person("v9"))
    assert (volunteer.status_code, volunteer.json()["code"]) == (403, "role_required")
    bad = await stack.volunteering.get(
        "/v1/statistics/monthly", params={"organization_id": host, "month": "2026-13"}, headers=stack.admin()
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "month")
