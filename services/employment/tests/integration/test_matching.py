"""Matching over HTTP on the real store and bus: certificates change the ranking, scopes, privacy."""

from __future__ import annotations

from typing import Any

from employment_harness import Stack, certificate, certified, db, posting, register


def by_factor(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["factor"]: r for r in item["reasons"]}


async def test_a_certificate_moves_a_posting_up_the_seekers_ranking(stack: Stack) -> None:
    community = await stack.community()
    employer = await stack.employer()
    sewing = await posting(stack, employer, community)
    computing = await posting(
        stack,
        employer,
        community,
        title="电商客服文员",
        category="information_technology",
        skills=["computer"],
    )
    seeker = await register(stack, "youth-1", community)
    me = stack.person("youth-1")

    before = await stack.employment.get("/v1/seekers/me/matches", headers=me)
    assert before.status_code == 200, before.text
    assert [i["id"] for i in before.json()["items"]] == [sewing, computing]
    assert before.json()["next_cursor"] is None
    assert by_factor(before.json()["items"][1])["skills"]["code"] == "skills_none"

    await stack.publish(certificate("youth-1", community, "JY-2026-000123", "computer"))
    await certified(stack, seeker, "cert:computer")

    after = await stack.employment.get("/v1/seekers/me/matches", headers=me)
    items = after.json()["items"]
    assert [i["id"] for i in items] == [computing, sewing]
    skills = by_factor(items[0])["skills"]
    assert (skills["code"], skills["facts"]["certified"], skills["label"]) == (
        "skills_all",
        ["computer"],
        "具备全部所需技能",
    )
    assert items[0]["score"] > before.json()["items"][0]["score"]
    assert by_factor(items[0])["proximity"]["code"] == "same_community"


async def test_employers_see_only_their_live_applicants_never_names_or_groups(stack: Stack) -> None:
    community = await stack.community()
    employer = await stack.employer()
    job = await posting(stack, employer, community, kind="public_welfare", category="community_service")
    skilled = await register(stack, "youth-1", community, category="hard_to_employ")
    plain = await register(stack, "youth-2", community, skills=[])
    hired = await register(stack, "youth-3", community)
    await db(stack)["seekers"].update_one({"_id": hired}, {"$set": {"status": "employed"}})
    url = f"/v1/postings/{job}/matches?limit=5"
    employer_staff = stack.staff(employer, "org_admin")

    before = await stack.employment.get(url, headers=employer_staff)
    assert (before.status_code, before.json()["items"]) == (200, [])  # nobody applied: nobody shown
    applied = await stack.employment.post(f"/v1/postings/{job}/applications", headers=stack.person("youth-1"))
    assert applied.status_code == 201, applied.text
    response = await stack.employment.get(url, headers=employer_staff)
    items = response.json()["items"]
    assert [i["id"] for i in items] == [skilled]
    priority = by_factor(items[0])["priority"]
    assert (priority["code"], priority["facts"], priority["detail"]) == (
        "priority_group",
        {"kind": "public_welfare"},
        "属岗位优先安置群体",
    )
    assert set(items[0]) == {"id", "score", "reasons"}
    assert "王小梅" not in response.text
    assert "1380000" not in response.text
    assert "hard_to_employ" not in response.text

    league = await stack.employment.get(url, headers=stack.staff(community))
    items = league.json()["items"]
    assert [i["id"] for i in items] == [skilled, plain]  # the employed seeker is not suggested
    assert by_factor(items[0])["priority"]["facts"]["group"] == "hard_to_employ"


async def test_matches_are_for_the_people_in_scope_only(stack: Stack) -> None:
    community = await stack.community()
    street = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    elsewhere = await stack.org("城东社区", "community", street)
    employer = await stack.employer()
    job = await posting(stack, employer, community)
    seeker = await register(stack, "youth-1", community)

    outsider = stack.staff(elsewhere, "org_admin")
    refused = await stack.employment.get(f"/v1/postings/{job}/matches", headers=outsider)
    assert (refused.status_code, refused.json()["code"]) == (403, "out_of_scope")
    other_staff = stack.staff(elsewhere)
    refused = await stack.employment.get(f"/v1/seekers/{seeker}/matches", headers=other_staff)
    assert refused.status_code == 403
    served = await stack.employment.get(f"/v1/seekers/{seeker}/matches", headers=stack.staff(community))
    assert [i["id"] for i in served.json()["items"]] == [job]
    nobody = await stack.employment.get("/v1/seekers/me/matches", headers=stack.person("youth-9"))
    assert (nobody.status_code, nobody.json()["code"]) == (404, "not_registered")


async def test_only_open_postings_and_first_pages(stack: Stack) -> None:
    community = await stack.community()
    employer = await stack.employer()
    draft = await posting(stack, employer, community, publish=False)
    seeker = await register(stack, "youth-1", community)
    staff = stack.staff(community)

    not_open = await stack.employment.get(f"/v1/postings/{draft}/matches", headers=staff)
    assert (not_open.status_code, not_open.json()["code"]) == (409, "posting_not_open")
    assert (await stack.employment.get("/v1/seekers/me/matches", headers=stack.person("youth-1"))).json()[
        "items"
    ] == []
    paged = await stack.employment.get(f"/v1/seekers/{seeker}/matches?cursor=abc", headers=staff)
    assert (paged.status_code, paged.json()["field"]) == (422, "cursor")
    await db(stack)["seekers"].update_one({"_id": seeker}, {"$set": {"status": "employed"}})
    done = await stack.employment.get(f"/v1/seekers/{seeker}/matches", headers=staff)
    assert (done.status_code, done.json()["code"]) == (409, "seeker_not_looking")
