"""Citizen schools (市民学校) on the real store: setup, roles and who sees them, monthly compliance."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from education_harness import Stack

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLES = [
    {"role": "honorary_principal", "subject_id": "u-hon", "display_name": "王联络", "unit": "街道联络工作站"},
    {"role": "principal", "subject_id": "u-pri", "display_name": "李站长", "unit": "社区工作站"},
    {"role": "vice_principal", "subject_id": "u-vice", "display_name": "赵主任", "unit": "共建单位"},
]


def _school(org_id: str, name: str = "和平社区市民学校", **fields: Any) -> dict[str, Any]:
    return {
        "organization_id": org_id,
        "name": name,
        "kind": "citizen_school",
        "setup_deadline": "2026-07-30",
        "venue": "社区活动室",
        "equipment": ["投影仪", "电脑"],
        "funding_source": "district_subsidy",
        "teaching_time": "每周六晚",
        "roles": ROLES,
    } | fields


async def _communities(stack: Stack) -> tuple[str, str]:
    """Two communities under one street: staff of one are outsiders to the other."""
    street = await stack.org("城北街道团工委", "league_working_committee", stack.city_id)
    return await stack.org("和平社区", "community", street), await stack.org(
        "朔方路社区", "community", street
    )


async def _create(stack: Stack, org_id: str, **fields: Any) -> dict[str, Any]:
    response = await stack.education.post(
        "/v1/citizen-schools", json=_school(org_id, **fields), headers=stack.staff(org_id)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_staff_set_up_a_school_and_only_they_see_who_leads_it(stack: Stack) -> None:
    community, other = await _communities(stack)
    school = await _create(stack, community)
    assert (school["kind_label"], school["funding_source_label"], school["eligibility"]) == (
        "市民学校",
        "区补贴",
        "all_residents",
    )
    assert school["setup_status"] in ("pending", "overdue")
    assert [(r["role_label"], r["display_name"]) for r in school["roles"]] == [
        ("名誉校长", "王联络"),
        ("校长", "李站长"),
        ("副校长", "赵主任"),
    ]

    as_resident = await stack.education.get(f"/v1/citizen-schools/{school['id']}", headers=stack.person("r1"))
    assert as_resident.status_code == 200
    assert [(r["role"], r["display_name"], r["subject_id"]) for r in as_resident.json()["roles"]] == [
        ("honorary_principal", None, None),
        ("principal", None, None),
        ("vice_principal", None, None),
    ]
    as_other_staff = await stack.education.get(
        "/v1/citizen-schools", params={"ids": school["id"]}, headers=stack.staff(other)
    )
    assert as_other_staff.json()["items"][0]["roles"][1]["display_name"] is None
    as_district = await stack.education.get(f"/v1/citizen-schools/{school['id']}", headers=stack.admin())
    assert as_district.json()["roles"][1]["display_name"] == "李站长"


async def test_refusals_write_nothing(stack: Stack) -> None:
    community, other = await _communities(stack)
    out_of_scope = await stack.education.post(
        "/v1/citizen-schools", json=_school(community), headers=stack.staff(other)
    )
    assert (out_of_scope.status_code, out_of_scope.json()["code"]) == (403, "out_of_scope")
    unknown = await stack.education.post(
        "/v1/citizen-schools", json=_school("org_" + "0" * 24), headers=stack.admin()
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_organization")
    two = [*ROLES, {"role": "principal", "subject_id": "u-2", "display_name": "钱校长"}]
    principals = await stack.education.post(
        "/v1/citizen-schools", json=_school(community, roles=two), headers=stack.staff(community)
    )
    assert (principals.status_code, principals.json()["code"], principals.json()["field"]) == (
        422,
        "two_principals",
        "roles.3",
    )
    resident = await stack.education.post(
        "/v1/citizen-schools", json=_school(community), headers=stack.person("r1")
    )
    assert resident.status_code == 403
    listed = await stack.education.get(
        "/v1/citizen-schools", params={"organization_id": community}, headers=stack.staff(community)
    )
    assert listed.json()["items"] == []

    await _create(stack, community)
    again = await stack.education.post(
        "/v1/citizen-schools",
        json=_school(community, name=" 和平社区市民学校 "),
        headers=stack.staff(community),
    )
    assert (again.status_code, again.json()["code"]) == (409, "name_taken")


async def test_roles_are_replaced_by_staff_of_the_school(stack: Stack) -> None:
    community, other = await _communities(stack)
    school = await _create(stack, community)
    url = f"/v1/citizen-schools/{school['id']}/roles"
    new = [{"role": "principal", "subject_id": "u-new", "display_name": "孙校长"}]
    replaced = await stack.education.put(url, json={"roles": new}, headers=stack.staff(community))
    assert replaced.status_code == 200, replaced.text
    assert [(r["role"], r["display_name"]) for r in replaced.json()["roles"]] == [("principal", "孙校长")]
    assert replaced.json()["version"] == school["version"] + 1

    refused = await stack.education.put(url, json={"roles": []}, headers=stack.staff(other))
    assert refused.status_code == 403
    doubled = await stack.education.put(url, json={"roles": new + new}, headers=stack.staff(community))
    assert (doubled.status_code, doubled.json()["code"]) == (422, "duplicate_role_holder")
    kept = await stack.education.get(f"/v1/citizen-schools/{school['id']}", headers=stack.staff(community))
    assert [r["display_name"] for r in kept.json()["roles"]] == ["孙校长"]
    missing = await stack.education.put(
        "/v1/citizen-schools/sch_" + "0" * 24 + "/roles", json={"roles": []}, headers=stack.admin()
    )
    assert missing.status_code == 404


async def test_a_street_lists_the_schools_beneath_it_page_by_page(stack: Stack) -> None:
    street = await stack.org("和平街道团工委", "league_working_committee", stack.city_id)
    first = await stack.org("和平社区", "community", street)
    second = await stack.org("幸福社区", "community", street)
    ids = [(await _create(stack, org))["id"] for org in (first, second)]
    ids.append((await _create(stack, first, name="和平社区老年学校", kind="senior_school"))["id"])
    page = await stack.education.get(
        "/v1/citizen-schools", params={"organization_id": street, "limit": 2}, headers=stack.person("r")
    )
    rest = await stack.education.get(
        "/v1/citizen-schools",
        params={"organization_id": street, "limit": 2, "cursor": page.json()["next_cursor"]},
        headers=stack.person("r"),
    )
    assert [s["id"] for s in page.json()["items"] + rest.json()["items"]] == ids
    assert rest.json()["next_cursor"] is None
    only_second = await stack.education.get(
        "/v1/citizen-schools", params={"organization_id": second}, headers=stack.person("r")
    )
    assert [s["id"] for s in only_second.json()["items"]] == [ids[1]]
    unnamed = await stack.education.get("/v1/citizen-schools", headers=stack.person("r"))
    assert (unnamed.status_code, unnamed.json()["field"]) == (422, "organization_id")


# Compliance over sessions held in September 2026, judged on 10 October 2026.


def _fix_clock(stack: Stack, now: datetime) -> None:
    app_state = stack.education_app.state
    app_state.education = dataclasses.replace(app_state.education, now=lambda: now)


async def _held(
    stack: Stack, org_id: str, school_id: str, sessions: list[tuple[int, int, str]], *actions: str
) -> None:
    """A 市民学校 course of the school with sessions (month, day, kind) at 19:00 local, via the API,
    then the course actions given (a course that ran is scheduled; a draft's sessions do not count)."""
    staff = stack.staff(org_id)
    programme = await stack.education.post(
        "/v1/programmes",
        json={
            "name": "市民学校课程",
            "owner_organization_id": org_id,
            "kind": "citizen_school",
            "target_group": "all_residents",
            "season": "autumn",
            "year": 2026,
        },
        headers=staff,
    )
    assert programme.status_code == 201, programme.text
    times = [
        {
            "starts_at": datetime(2026, month, day, 19, tzinfo=SHANGHAI).isoformat(),
            "ends_at": datetime(2026, month, day, 21, tzinfo=SHANGHAI).isoformat(),
            "venue": "社区活动室",
            "kind": kind,
        }
        for month, day, kind in sessions
    ]
    course = await stack.education.post(
        "/v1/courses",
        json={
            "programme_id": programme.json()["id"],
            "title": "公民道德文明礼仪教育辅导班",
            "category": "patriotism",
            "target_group": "all_residents",
            "mode": "expert_lecture",
            "capacity": 40,
            "citizen_school_id": school_id,
            "sessions": times,
        },
        headers=staff,
    )
    assert course.status_code == 201, course.text
    for action in actions:
        acted = await stack.education.post(f"/v1/courses/{course.json()['id']}:{action}", headers=staff)
        assert acted.status_code == 200, acted.text


SATURDAYS = [(9, d, "teaching") for d in (5, 12, 19, 26)]


async def test_compliance_of_a_school_over_its_held_sessions(stack: Stack) -> None:
    community, other = await _communities(stack)
    school = (await _create(stack, community))["id"]
    await _held(stack, community, school, [*SATURDAYS, (9, 12, "lecture"), (10, 3, "teaching")], "schedule")
    _fix_clock(stack, datetime(2026, 10, 10, tzinfo=SHANGHAI))
    url = f"/v1/citizen-schools/{school}/compliance"
    september = await stack.education.get(url, params={"month": "2026-09"}, headers=stack.staff(community))
    assert september.status_code == 200, september.text
    assert september.json() == {
        "month": "2026-09",
        "status": "compliant",
        "status_label": "达标",
        "activities_or_lectures": 1,
        "teaching_weeks": 4,
        "weeks_required": 4,
        "missing_weeks": [],
        "reasons": [],
    }
    october = (await stack.education.get(url, params={"month": "2026-10"}, headers=stack.admin())).json()
    assert (october["status"], october["teaching_weeks"], october["weeks_required"]) == ("in_progress", 1, 1)

    for headers in (stack.staff(other), stack.person("r1")):
        refused = await stack.education.get(url, params={"month": "2026-09"}, headers=headers)
        assert refused.status_code == 403
    bad = await stack.education.get(url, params={"month": "2026-9"}, headers=stack.admin())
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_month")


async def test_an_organisation_sees_every_school_beneath_it_with_its_status(stack: Stack) -> None:
    street = await stack.org("和平街道团工委", "league_working_committee", stack.city_id)
    heping = await stack.org("和平社区", "community", street)
    xingfu = await stack.org("幸福社区", "community", street)
    good = (await _create(stack, heping))["id"]
    lax = (await _create(stack, xingfu))["id"]
    await _held(stack, heping, good, [*SATURDAYS, (9, 20, "activity")], "schedule")
    await _held(stack, xingfu, lax, [(9, 5, "teaching"), (9, 26, "teaching")], "schedule", "complete")
    await _held(stack, xingfu, lax, [(9, 12, "teaching"), (9, 19, "lecture")])  # a draft never held
    await _held(stack, xingfu, lax, [(9, 13, "teaching"), (9, 20, "activity")], "schedule", "cancel")
    _fix_clock(stack, datetime(2026, 10, 10, tzinfo=SHANGHAI))

    params: dict[str, Any] = {"organization_id": street, "month": "2026-09", "limit": 1}
    first = await stack.education.get(
        "/v1/citizen-schools/compliance", params=params, headers=stack.staff(street)
    )
    assert first.status_code == 200, first.text
    second = await stack.education.get(
        "/v1/citizen-schools/compliance",
        params=params | {"cursor": first.json()["next_cursor"]},
        headers=stack.staff(street),
    )
    rows = first.json()["items"] + second.json()["items"]
    assert {r["school_id"]: r["compliance"]["status"] for r in rows} == {
        good: "compliant",
        lax: "non_compliant",
    }
    lax_row = next(r["compliance"] for r in rows if r["school_id"] == lax)
    assert lax_row["missing_weeks"] == ["2026-W37", "2026-W38"]
    assert [r["code"] for r in lax_row["reasons"]] == ["missing_teaching_week", "no_activity_or_lecture"]
    assert lax_row["reasons"][1]["label"] == "本月未开展活动或讲座"

    as_community = await stack.education.get(
        "/v1/citizen-schools/compliance", params=params, headers=stack.staff(heping)
    )
    assert as_community.status_code == 403


async def test_the_plaque_ceremony_ends_the_setup(stack: Stack) -> None:
    community, other = await _communities(stack)
    school = await _create(stack, community, setup_deadline="2020-07-30")
    assert school["setup_status_label"] == "逾期未挂牌"
    url = f"/v1/citizen-schools/{school['id']}/plaque"
    refused = await stack.education.post(url, json={"plaque_date": "2026-05-20"}, headers=stack.staff(other))
    assert refused.status_code == 403
    ahead = await stack.education.post(
        url, json={"plaque_date": "2999-01-01"}, headers=stack.staff(community)
    )
    assert (ahead.status_code, ahead.json()["code"]) == (422, "plaque_in_future")
    held = await stack.education.post(url, json={"plaque_date": "2026-05-20"}, headers=stack.staff(community))
    assert held.status_code == 200, held.text
    assert (held.json()["plaque_date"], held.json()["setup_status"]) == ("2026-05-20", "established")
