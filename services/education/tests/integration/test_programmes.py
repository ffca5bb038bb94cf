"""Programmes over HTTP: staff start them under their organisation; lists filter and page."""

from __future__ import annotations

from typing import Any

from education_harness import Stack

UNKNOWN_ORG = "org_" + "0" * 24


def programme(owner: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": "国学经典亲子诵读班",
        "owner_organization_id": owner,
        "kind": "classics_family_reading",
        "brand": "福娃福地书香国学",
        "target_group": "families",
        "season": "summer_holiday",
        "year": 2026,
        "sessions_planned": 300,
    } | fields


async def test_staff_start_a_programme_with_partners(stack: Stack) -> None:
    community = await stack.community()
    library = await stack.org("灵武市图书馆", "library", stack.city_id)
    body = programme(community, partner_organization_ids=[library])
    created = await stack.education.post("/v1/programmes", json=body, headers=stack.staff(community))
    assert created.status_code == 201, created.text
    found = await stack.education.get(f"/v1/programmes/{created.json()['id']}", headers=stack.person("s1"))
    got = found.json()
    assert (got["kind_label"], got["season_label"], got["target_group_label"]) == (
        "国学经典亲子诵读",
        "暑假",
        "亲子家庭",
    )
    assert (got["partner_organization_ids"], got["brand"], got["sessions_planned"]) == (
        [library],
        "福娃福地书香国学",
        300,
    )


async def test_refusals_name_the_field(stack: Stack) -> None:
    community = await stack.community()
    other = await stack.org("城南街道团工委", "league_working_committee", stack.city_id)
    staff = stack.staff(community)
    cases = [
        (programme(UNKNOWN_ORG), staff, 422, "owner_organization_id", "unknown_organization"),
        (
            programme(community, partner_organization_ids=[UNKNOWN_ORG]),
            staff,
            422,
            "partner_organization_ids.0",
            "unknown_organization",
        ),
        (
            programme(community, partner_organization_ids=[community]),
            staff,
            422,
            "partner_organization_ids.0",
            "partner_is_owner",
        ),
        (programme(community, kind="knitting"), staff, 422, "kind", "invalid_input"),
        (programme(community), stack.staff(other), 403, "owner_organization_id", "out_of_scope"),
        (programme(community), stack.person("s1", "volunteer"), 403, None, "role_required"),
    ]
    for body, headers, status, field, code in cases:
        response = await stack.education.post("/v1/programmes", json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        assert (response.json().get("field"), response.json()["code"]) == (field, code)
    listed = await stack.education.get(f"/v1/programmes?owner_organization_id={community}", headers=staff)
    assert listed.json()["items"] == []


async def test_lists_filter_by_owner_kind_season_and_year_and_page(stack: Stack) -> None:
    community = await stack.community()
    staff = stack.staff(community)
    bodies = [
        programme(community),
        programme(community, name="七彩假期", kind="colourful_holiday"),
        programme(community, name="寒假读书", kind="reading", season="winter_holiday"),
        programme(community, name="去年的诵读", year=2025),
        programme(community, name="第二期诵读"),
    ]
    ids = []
    for body in bodies:
        response = await stack.education.post("/v1/programmes", json=body, headers=staff)
        ids.append(response.json()["id"])
    query = f"owner_organization_id={community}&kind=classics_family_reading&season=summer_holiday&year=2026"
    first = await stack.education.get(f"/v1/programmes?{query}&limit=1", headers=staff)
    cursor = first.json()["next_cursor"]
    second = await stack.education.get(f"/v1/programmes?{query}&limit=1&cursor={cursor}", headers=staff)
    assert [p["id"] for p in first.json()["items"] + second.json()["items"]] == [ids[0], ids[4]]
    assert second.json()["next_cursor"] is None
    batch = await stack.education.get(f"/v1/programmes?ids={ids[2]},{ids[1]}", headers=staff)
    assert [p["name"] for p in batch.json()["items"]] == ["寒假读书", "七彩假期"]


async def test_an_unknown_programme_is_not_found(stack: Stack) -> None:
    response = await stack.education.get("/v1/programmes/prg_" + "0" * 24, headers=stack.person("s1"))
    assert response.status_code == 404
