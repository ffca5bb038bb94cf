"""Organisations and their tree, through the API, against the real store and broker."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from qingchun_plumbing.logs import JsonFormatter
from qingchun_plumbing.testing.fixtures import EventTap
from registry_harness import Registry

REGISTERED = "qingchun.registry.organization.registered.v1"
UPDATED = "qingchun.registry.organization.updated.v1"


async def _tree(registry: Registry, city: dict[str, Any]) -> dict[str, dict[str, Any]]:
    district = await registry.create(
        "孝南团区委", "league_district_committee", city["id"], area={"district": "孝南区"}
    )
    street = await registry.create(
        "新华街道团工委", "league_working_committee", district["id"], area={"street": "新华街道"}
    )
    community = await registry.create("文昌阁社区", "community", street["id"])
    branch = await registry.create("文昌阁社区团支部", "league_branch", community["id"])
    return {"district": district, "street": street, "community": community, "branch": branch}


async def test_tree_inherits_area_and_publishes_one_event_each(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    tree = await _tree(registry, city)
    assert tree["community"]["area"] == {
        "city": "孝感市",
        "district": "孝南区",
        "street": "新华街道",
        "community": "文昌阁社区",
    }
    assert tree["community"]["community"]["stage"] == "not_started"
    assert tree["community"]["type_label"] == "社区/居委会"
    for org in tree.values():
        event = await event_tap.wait_for(REGISTERED, lambda e, o=org: e.subject == o["id"])
        assert event.data["name"] == org["name"]
    await asyncio.sleep(0.5)
    assert len(event_tap.of_type(REGISTERED)) == 5  # the city and four below it, each once


async def test_get_batch_list_filters_and_subtree(registry: Registry, city: dict[str, Any]) -> None:
    tree = await _tree(registry, city)
    second = await registry.create("中山社区", "community", tree["street"]["id"])
    got = await registry.http.get(f"/v1/organizations/{second['id']}", headers=registry.admin)
    assert got.json()["name"] == "中山社区"

    ids = f"{second['id']},org_000000000000000000000000,{tree['district']['id']}"
    batch = (await registry.http.get("/v1/organizations", params={"ids": ids}, headers=registry.admin)).json()
    assert [o["id"] for o in batch["items"]] == [second["id"], tree["district"]["id"]]

    def names(response: Any) -> list[str]:
        return [o["name"] for o in response.json()["items"]]

    by_type = await registry.http.get(
        "/v1/organizations", params={"type": "community"}, headers=registry.admin
    )
    assert names(by_type) == ["文昌阁社区", "中山社区"]
    by_prefix = await registry.http.get(
        "/v1/organizations", params={"name_prefix": "文昌"}, headers=registry.admin
    )
    assert sorted(names(by_prefix)) == ["文昌阁社区", "文昌阁社区团支部"]
    by_area = await registry.http.get(
        "/v1/organizations", params={"area": "新华街道"}, headers=registry.admin
    )
    assert set(names(by_area)) == {"新华街道团工委", "文昌阁社区", "文昌阁社区团支部", "中山社区"}
    by_parent = await registry.http.get(
        "/v1/organizations", params={"parent_id": tree["street"]["id"]}, headers=registry.admin
    )
    assert names(by_parent) == ["文昌阁社区", "中山社区"]
    subtree = await registry.http.get(
        f"/v1/organizations/{tree['district']['id']}/subtree",
        params={"type": ["community", "league_branch"]},
        headers=registry.admin,
    )
    assert names(subtree) == ["文昌阁社区", "文昌阁社区团支部", "中山社区"]
    chain = await registry.http.get(
        f"/v1/organizations/{tree['branch']['id']}/ancestors", headers=registry.admin
    )
    assert names(chain) == ["文昌阁社区", "新华街道团工委", "孝南团区委", "孝感团市委"]


async def test_pagination_walks_every_item_once(registry: Registry, city: dict[str, Any]) -> None:
    created = [
        await registry.create(f"社区{i:02d}团工委", "league_working_committee", city["id"]) for i in range(7)
    ]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"type": "league_working_committee", "limit": 3} | ({"cursor": cursor} if cursor else {})
        body = (await registry.http.get("/v1/organizations", params=params, headers=registry.admin)).json()
        seen += [o["id"] for o in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [o["id"] for o in created]
    assert pages == 3


async def test_rename_and_move_publish_changed_fields(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    tree = await _tree(registry, city)
    other_street = await registry.create("广场街道团工委", "league_working_committee", tree["district"]["id"])
    response = await registry.http.patch(
        f"/v1/organizations/{tree['community']['id']}",
        json={"name": "文昌阁社区居委会", "parent_id": other_street["id"]},
        headers=registry.admin,
    )
    assert response.status_code == 200, response.text
    assert response.json()["parent_id"] == other_street["id"]
    assert response.json()["version"] == 2
    event = await event_tap.wait_for(UPDATED)
    assert event.data["changed_fields"] == ["name", "parent_id"]
    subtree = await registry.http.get(
        f"/v1/organizations/{other_street['id']}/subtree", headers=registry.admin
    )
    assert [o["name"] for o in subtree.json()["items"]] == ["文昌阁社区居委会", "文昌阁社区团支部"]


async def test_deactivation_needs_children_gone_first(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    tree = await _tree(registry, city)
    blocked = await registry.http.post(
        f"/v1/organizations/{tree['community']['id']}:deactivate",
        json={"reason_code": "merged"},
        headers=registry.admin,
    )
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "has_active_children"
    done = await registry.http.post(
        f"/v1/organizations/{tree['branch']['id']}:deactivate",
        json={"reason_code": "dissolved"},
        headers=registry.admin,
    )
    assert done.json()["status"] == "inactive"
    event = await event_tap.wait_for("qingchun.registry.organization.deactivated.v1")
    assert event.data == {"organization_id": tree["branch"]["id"], "reason_code": "dissolved"}
    under_inactive = await registry.http.post(
        "/v1/organizations",
        json={"name": "x", "type": "league_branch", "parent_id": tree["branch"]["id"]},
        headers=registry.admin,
    )
    assert under_inactive.status_code in (409, 422)


async def test_concurrent_edits_never_overwrite_each_other(registry: Registry, city: dict[str, Any]) -> None:
    target = await registry.create("孝南团区委", "league_district_committee", city["id"])
    responses = await asyncio.gather(
        *[
            registry.http.patch(
                f"/v1/organizations/{target['id']}", json={"tags": [f"t{i}"]}, headers=registry.admin
            )
            for i in range(6)
        ]
    )
    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 409}
    assert all(r.json()["code"] == "concurrent_update" for r in responses if r.status_code == 409)
    final = (await registry.http.get(f"/v1/organizations/{target['id']}", headers=registry.admin)).json()
    assert final["version"] == 1 + codes.count(200)


@pytest.mark.parametrize(
    ("body", "status", "field", "code"),
    [
        (
            {"name": "x", "type": "community", "parent_id": "org_ffffffffffffffffffffffff"},
            422,
            "parent_id",
            "unknown_parent",
        ),
        ({"name": "x", "type": "nonsense"}, 422, "type", "invalid_input"),
        ({"type": "community"}, 422, "name", "invalid_input"),
        ({"name": "长" * 101, "type": "league_city_committee"}, 422, "name", "invalid_input"),
        ({"name": "x", "type": "league_city_committee", "colour": "red"}, 422, "colour", "invalid_input"),
        ({"name": "x", "type": "community"}, 422, "parent_id", "parent_required"),
        ({"name": 42, "type": "league_city_committee"}, 422, "name", "invalid_input"),
        (
            {"name": "x", "type": "league_city_committee", "area": {"city": None, "district": "孝南区"}},
            422,
            "area",
            "area_gap",
        ),
    ],
)
async def test_bad_registrations_are_refused_precisely_and_write_nothing(
    registry: Registry,
    event_tap: EventTap,
    city: dict[str, Any],
    body: dict[str, Any],
    status: int,
    field: str,
    code: str,
) -> None:
    await event_tap.wait_for(REGISTERED)
    before = await registry.count()
    response = await registry.http.post("/v1/organizations", json=body, headers=registry.admin)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["field"], problem["code"]) == (field, code)
    assert await registry.count() == before
    await asyncio.sleep(0.4)
    assert len(event_tap.received) == 1  # only the city's own registration


async def test_wrong_parent_type_duplicate_name_and_cycle(registry: Registry, city: dict[str, Any]) -> None:
    tree = await _tree(registry, city)
    home = await registry.create("文昌阁社区青年之家", "youth_home", tree["community"]["id"])
    under_leaf = await registry.http.post(
        "/v1/organizations",
        json={"name": "x", "type": "league_branch", "parent_id": home["id"]},
        headers=registry.admin,
    )
    assert (under_leaf.status_code, under_leaf.json()["code"]) == (422, "parent_is_leaf")
    inverted = await registry.http.post(
        "/v1/organizations",
        json={"name": "x", "type": "league_district_committee", "parent_id": tree["street"]["id"]},
        headers=registry.admin,
    )
    assert (inverted.status_code, inverted.json()["code"]) == (422, "invalid_parent")
    duplicate = await registry.http.post(
        "/v1/organizations",
        json={"name": " 文昌阁社区 ", "type": "community", "parent_id": tree["street"]["id"]},
        headers=registry.admin,
    )
    assert (duplicate.status_code, duplicate.json()["field"], duplicate.json()["code"]) == (
        409,
        "name",
        "duplicate_name",
    )
    cycle = await registry.http.patch(
        f"/v1/organizations/{tree['district']['id']}",
        json={"parent_id": tree["street"]["id"]},
        headers=registry.admin,
    )
    assert (cycle.status_code, cycle.json()["field"], cycle.json()["code"]) == (
        422,
        "parent_id",
        "tree_cycle",
    )
    still = (
        await registry.http.get(f"/v1/organizations/{tree['district']['id']}", headers=registry.admin)
    ).json()
    assert still["parent_id"] == city["id"]
    assert still["version"] == 1


async def test_callers_outside_scope_or_without_token_are_refused(
    registry: Registry, city: dict[str, Any]
) -> None:
    tree = await _tree(registry, city)
    other_city = await registry.create(
        "灵武团市委", "league_city_committee", None, headers=registry.as_("city_admin")
    )
    outsider = registry.as_("district_admin", scope=[other_city["id"]])
    response = await registry.http.post(
        "/v1/organizations",
        json={"name": "x", "type": "community", "parent_id": tree["street"]["id"]},
        headers=outsider,
    )
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        403,
        "out_of_scope",
        "parent_id",
    )
    volunteer = registry.as_("volunteer", scope=[city["id"]])
    response = await registry.http.patch(
        f"/v1/organizations/{tree['community']['id']}", json={"tags": ["a"]}, headers=volunteer
    )
    assert (response.status_code, response.json()["code"]) == (403, "role_required")
    staff = registry.as_("community_staff", scope=[tree["community"]["id"]])
    allowed = await registry.http.patch(
        f"/v1/organizations/{tree['branch']['id']}", json={"tags": ["a"]}, headers=staff
    )
    assert allowed.status_code == 200
    no_token = await registry.http.get("/v1/organizations")
    assert (no_token.status_code, no_token.json()["code"]) == (401, "token_missing")
    forged = await registry.http.get("/v1/organizations", headers={"Authorization": "Bearer abc.def.ghi"})
    assert (forged.status_code, forged.json()["code"]) == (401, "token_invalid")


async def test_bad_list_parameters(registry: Registry, city: dict[str, Any]) -> None:
    for params, field in [
        ({"cursor": "@@not-a-cursor"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"type": "nonsense"}, "type"),
        ({"ids": ","}, "ids"),
    ]:
        response = await registry.http.get("/v1/organizations", params=params, headers=registry.admin)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["field"].startswith(field)
    missing = await registry.http.get(
        "/v1/organizations/org_ffffffffffffffffffffffff", headers=registry.admin
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


async def test_errors_and_logs_never_carry_the_input(
    registry: Registry, city: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "13800138000-张三-身份证420902200501011234"
    refused = await registry.http.post(
        "/v1/organizations",
        json={"name": secret * 5, "type": "community", "office_phone": secret},
        headers=registry.admin,
    )
    assert refused.status_code == 422
    assert "13800138000" not in refused.text
    branch = await registry.create("孝感学院团委", "league_school_committee", city["id"])
    election = {"held_on": "2024-05-04", "secretary_subject_id": "sub-张三-13800138000"}
    elected = await registry.http.post(
        f"/v1/organizations/{branch['id']}/elections", json=election, headers=registry.admin
    )
    assert elected.status_code == 404  # a school committee has no branch term: refused, and not logged
    formatter = JsonFormatter("registry")
    logged = "\n".join(formatter.format(r) for r in caplog.records)
    assert caplog.records, "the requests were expected to log something"
    assert "13800138000" not in logged
    assert "张三" not in logged
