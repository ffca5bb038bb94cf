"""Teams (志愿服务队) on the real store: formation, the roster and who may see it, names, pagination."""

from __future__ import annotations

from typing import Any

from qingchun_plumbing.testing.fixtures import EventTap
from volunteering_harness import Stack

FORMED = "qingchun.volunteering.team.formed.v1"


async def _communities(stack: Stack) -> tuple[str, str]:
    street = await stack.org("城区街道团工委", "league_working_committee", stack.city_id)
    return await stack.org("育才街社区", "community", street), await stack.org(
        "朔方路社区", "community", street
    )


def _staff(stack: Stack, community: str, subject: str = "staff") -> dict[str, str]:
    return stack.isolation.headers("community_staff", scope=[community], subject=subject)


def _team(
    host: str, leader: str, members: list[str], name: str = "福娃福地书香国学志愿服务队"
) -> dict[str, Any]:
    return {
        "name": name,
        "host_organization_id": host,
        "type": "teenagers",
        "brand": "福娃福地书香国学",
        "leader_volunteer_id": leader,
        "member_volunteer_ids": members,
    }


async def test_form_a_team_and_read_its_roster(stack: Stack, event_tap: EventTap) -> None:
    yucai, other = await _communities(stack)
    ids = [(await stack.volunteer(s))["id"] for s in ("lead", "m1", "m2")]
    outsider = await stack.volunteer("outsider")
    created = await stack.volunteering.post(
        "/v1/teams", json=_team(yucai, ids[0], ids[1:]), headers=_staff(stack, yucai)
    )
    assert created.status_code == 201, created.text
    team = created.json()
    assert (team["type_label"], team["member_count"], team["leader_volunteer_id"]) == (
        "青少年志愿服务队",
        3,
        ids[0],
    )

    formed = await event_tap.wait_for(FORMED, where=lambda e: e.data["team_id"] == team["id"])
    assert formed.data == {
        "team_id": team["id"],
        "name": "福娃福地书香国学志愿服务队",
        "host_organization_id": yucai,
        "team_type_code": "teenagers",
    }

    members_url = f"/v1/teams/{team['id']}/members"
    first = (
        await stack.volunteering.get(members_url, params={"limit": 2}, headers=_staff(stack, yucai))
    ).json()
    second = (
        await stack.volunteering.get(
            members_url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=_staff(stack, yucai)
        )
    ).json()
    roster = first["items"] + second["items"]
    assert second["next_cursor"] is None
    assert {m["volunteer_id"]: m["role"] for m in roster} == {
        ids[0]: "leader",
        ids[1]: "member",
        ids[2]: "member",
    }
    assert set(roster[0]) == {"volunteer_id", "role", "role_label"}  # ids and roles only, no names

    as_member = await stack.volunteering.get(members_url, headers=stack.person("m2"))
    assert as_member.status_code == 200
    for headers in (stack.person("outsider"), _staff(stack, other), stack.person("p", "partner")):
        refused = await stack.volunteering.get(members_url, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (403, "members_hidden")
    public = (
        await stack.volunteering.get(f"/v1/teams/{team['id']}", headers=stack.person("outsider"))
    ).json()
    assert (public["name"], public["member_count"], public["leader_volunteer_id"]) == (team["name"], 3, None)

    mine = await stack.volunteering.get(
        "/v1/teams", params={"volunteer_id": ids[2]}, headers=stack.person("m2")
    )
    assert [t["id"] for t in mine.json()["items"]] == [team["id"]]
    peeking = await stack.volunteering.get(
        "/v1/teams", params={"volunteer_id": ids[2]}, headers=stack.person("outsider")
    )
    assert peeking.status_code == 404
    assert outsider["id"] not in {m["volunteer_id"] for m in roster}


async def test_a_member_who_is_not_a_volunteer_is_refused_and_nothing_written(
    stack: Stack, event_tap: EventTap
) -> None:
    yucai, _ = await _communities(stack)
    leader = (await stack.volunteer("lead"))["id"]
    member = (await stack.volunteer("m1"))["id"]
    refused = await stack.volunteering.post(
        "/v1/teams",
        json=_team(yucai, leader, [member, "vol_000000000000000000000000"]),
        headers=stack.admin(),
    )
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "not_a_volunteer",
        "member_volunteer_ids.1",
    )
    bad_leader = await stack.volunteering.post(
        "/v1/teams", json=_team(yucai, "vol_nobody", []), headers=stack.admin()
    )
    assert (bad_leader.status_code, bad_leader.json()["field"]) == (422, "leader_volunteer_id")
    listed = await stack.volunteering.get(
        "/v1/teams", params={"host_organization_id": yucai}, headers=stack.admin()
    )
    assert listed.json()["items"] == []
    assert event_tap.of_type(FORMED) == []


async def test_names_are_unique_among_a_hosts_active_teams(stack: Stack) -> None:
    yucai, other = await _communities(stack)
    leader = (await stack.volunteer("lead"))["id"]
    first = await stack.volunteering.post("/v1/teams", json=_team(yucai, leader, []), headers=stack.admin())
    assert first.status_code == 201
    again = await stack.volunteering.post(
        "/v1/teams", json=_team(yucai, leader, [], name=" 福娃福地书香国学志愿服务队 "), headers=stack.admin()
    )
    assert (again.status_code, again.json()["code"], again.json()["field"]) == (409, "name_taken", "name")
    elsewhere = await stack.volunteering.post(
        "/v1/teams", json=_team(other, leader, []), headers=stack.admin()
    )
    assert elsewhere.status_code == 201  # another host may use the same name

    dissolved = await stack.volunteering.post(
        f"/v1/teams/{first.json()['id']}:dissolve", headers=stack.admin()
    )
    assert dissolved.json()["status"] == "dissolved"
    reused = await stack.volunteering.post("/v1/teams", json=_team(yucai, leader, []), headers=stack.admin())
    assert reused.status_code == 201
    frozen = await stack.volunteering.post(
        f"/v1/teams/{first.json()['id']}/members", json={"volunteer_ids": [leader]}, headers=stack.admin()
    )
    assert (frozen.status_code, frozen.json()["code"]) == (409, "invalid_transition")


async def test_roster_changes_by_organisers_in_scope_only(stack: Stack) -> None:
    yucai, other = await _communities(stack)
    lead, m1, m2 = [(await stack.volunteer(s))["id"] for s in ("lead", "m1", "m2")]
    team = (
        await stack.volunteering.post("/v1/teams", json=_team(yucai, lead, [m1]), headers=stack.admin())
    ).json()
    url = f"/v1/teams/{team['id']}"

    out_of_scope = await stack.volunteering.post(
        f"{url}/members", json={"volunteer_ids": [m2]}, headers=_staff(stack, other)
    )
    assert (out_of_scope.status_code, out_of_scope.json()["code"]) == (403, "out_of_scope")
    as_member = await stack.volunteering.post(
        f"{url}:change-leader", json={"volunteer_id": m1}, headers=stack.person("m1")
    )
    assert as_member.status_code == 403
    unknown = await stack.volunteering.post(
        f"{url}/members", json={"volunteer_ids": [m2, "vol_ghost"]}, headers=_staff(stack, yucai)
    )
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (
        422,
        "not_a_volunteer",
        "volunteer_ids.1",
    )

    added = await stack.volunteering.post(
        f"{url}/members", json={"volunteer_ids": [m2]}, headers=_staff(stack, yucai)
    )
    assert added.json()["member_count"] == 3
    not_member = await stack.volunteering.post(
        f"{url}:change-leader", json={"volunteer_id": "vol_ghost"}, headers=_staff(stack, yucai)
    )
    assert (not_member.status_code, not_member.json()["code"]) == (422, "leader_not_member")
    leader_leaving = await stack.volunteering.delete(f"{url}/members/{lead}", headers=_staff(stack, yucai))
    assert (leader_leaving.status_code, leader_leaving.json()["code"]) == (422, "leader_cannot_leave")
    handed = await stack.volunteering.post(
        f"{url}:change-leader", json={"volunteer_id": m1}, headers=_staff(stack, yucai)
    )
    assert handed.json()["leader_volunteer_id"] == m1
    left = await stack.volunteering.delete(f"{url}/members/{lead}", headers=_staff(stack, yucai))
    assert left.json()["member_count"] == 2


async def test_teams_of_a_host_are_paginated_and_batch_readable(stack: Stack) -> None:
    yucai, _ = await _communities(stack)
    leader = (await stack.volunteer("lead"))["id"]
    made = []
    for name in ("雏鹰假日小队一队", "雏鹰假日小队二队", "雏鹰假日小队三队"):
        body = _team(yucai, leader, [], name=name) | {"type": "young_eagle_holiday_squad"}
        made.append(
            (await stack.volunteering.post("/v1/teams", json=body, headers=stack.admin())).json()["id"]
        )
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"host_organization_id": yucai, "limit": 2} | (
            {"cursor": cursor} if cursor else {}
        )
        page = (
            await stack.volunteering.get("/v1/teams", params=params, headers=stack.person("anyone"))
        ).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made
    batch = await stack.volunteering.get(
        "/v1/teams", params={"ids": f"{made[2]},team_missing,{made[0]}"}, headers=stack.person("anyone")
    )
    assert [t["id"] for t in batch.json()["items"]] == [made[2], made[0]]
    missing_filter = await stack.volunteering.get("/v1/teams", headers=stack.person("anyone"))
    assert (missing_filter.status_code, missing_filter.json()["code"]) == (422, "missing")
