"""Creation stages, branch terms, youth centres, designations and agreements, end to end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_registry.app.branches import check_terms
from qingchun_registry.domain.creation import SurveyItem
from registry_harness import Registry

SIX_CLEAR = [item.value for item in SurveyItem]


async def _community(registry: Registry, city: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    street = await registry.create(
        "广场街道团工委",
        "league_working_committee",
        city["id"],
        area={"district": "孝南区", "street": "广场街道"},
    )
    community = await registry.create("城东社区", "community", street["id"])
    return street, community


async def test_creation_stages_are_guarded_and_published(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    _, community = await _community(registry, city)
    url = f"/v1/organizations/{community['id']}"
    staff = registry.as_("community_staff", scope=[community["id"]])

    skip = await registry.http.post(f"{url}:change-stage", json={"to_stage": "summarising"}, headers=staff)
    assert (skip.status_code, skip.json()["code"], skip.json()["field"]) == (
        409,
        "invalid_transition",
        "to_stage",
    )

    partial = await registry.http.put(
        f"{url}/survey", json={"checked": SIX_CLEAR[:4], "youth_count": 320}, headers=staff
    )
    assert partial.json()["community"]["stage"] == "surveying"
    assert [m["label"] for m in partial.json()["community"]["survey"]["missing"]] == [
        "企业机关学校情况清",
        "志愿服务项目内容清",
    ]
    early = await registry.http.post(f"{url}:change-stage", json={"to_stage": "planning"}, headers=staff)
    assert (early.status_code, early.json()["code"], early.json()["field"]) == (
        422,
        "survey_incomplete",
        "survey",
    )

    survey = {
        "checked": SIX_CLEAR,
        "youth_count": 320,
        "hardship_household_count": 12,
        "dropout_youth_count": 3,
        "unemployed_youth_count": 9,
        "juvenile_offence_count": 1,
        "volunteer_project_count": 4,
    }
    assert (await registry.http.put(f"{url}/survey", json=survey, headers=staff)).status_code == 200
    completed = await event_tap.wait_for("qingchun.registry.community.survey_completed.v1")
    assert completed.data["youth_count"] == 320
    assert "juvenile_offence_count" not in completed.data  # a small count about minors stays in the registry

    assert (
        await registry.http.post(f"{url}:change-stage", json={"to_stage": "planning"}, headers=staff)
    ).is_success
    no_plan = await registry.http.post(
        f"{url}:change-stage", json={"to_stage": "creating"}, headers=registry.admin
    )
    assert (no_plan.status_code, no_plan.json()["code"]) == (422, "plan_missing")
    plan = {"plan_title": "城东社区创建青年文明社区实施方案", "batch": "首批"}
    assert (await registry.http.put(f"{url}/plan", json=plan, headers=staff)).is_success
    by_staff = await registry.http.post(f"{url}:change-stage", json={"to_stage": "creating"}, headers=staff)
    assert (by_staff.status_code, by_staff.json()["code"]) == (403, "role_required")
    for stage in ("creating", "demonstration", "summarising", "achieved"):
        response = await registry.http.post(
            f"{url}:change-stage", json={"to_stage": stage}, headers=registry.admin
        )
        assert response.status_code == 200, response.text
    final = response.json()["community"]
    assert (final["stage"], final["stage_label"], final["is_demonstration"], final["next_stages"]) == (
        "achieved",
        "建成青年文明社区",
        True,
        [],
    )
    await event_tap.wait_for(
        "qingchun.registry.community.stage_changed.v1", lambda e: e.data["to_stage"] == "achieved"
    )
    stages = [e.data["to_stage"] for e in event_tap.of_type("qingchun.registry.community.stage_changed.v1")]
    assert stages == ["surveying", "planning", "creating", "demonstration", "summarising", "achieved"]
    frozen = await registry.http.put(f"{url}/survey", json=survey, headers=staff)
    assert frozen.status_code == 409
    achieved = await registry.http.get(
        "/v1/organizations", params={"stage": "achieved"}, headers=registry.admin
    )
    assert [o["id"] for o in achieved.json()["items"]] == [community["id"]]


async def test_terms_are_announced_once_when_due_and_when_overdue(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    _, community = await _community(registry, city)
    due = await registry.create("城东社区团支部", "league_branch", community["id"])
    late = await registry.create("城东社区团总支", "league_general_branch", community["id"])
    fresh = await registry.create("城东社区第二团支部", "league_branch", community["id"])
    today = date.today()
    terms = {
        due["id"]: today - timedelta(days=3 * 365 - 20),
        late["id"]: today - timedelta(days=3 * 365 + 40),
        fresh["id"]: today - timedelta(days=30),
    }
    for org_id, start in terms.items():
        body = {"term_start": start.isoformat(), "term_years": 3, "member_count": 25}
        response = await registry.http.put(
            f"/v1/organizations/{org_id}/term", json=body, headers=registry.admin
        )
        assert response.status_code == 200, response.text
    statuses = await registry.http.get(
        "/v1/organizations",
        params={"type": ["league_branch", "league_general_branch"]},
        headers=registry.admin,
    )
    assert {o["name"]: o["branch"]["term_status"] for o in statuses.json()["items"]} == {
        "城东社区团支部": "due_soon",
        "城东社区团总支": "overdue",
        "城东社区第二团支部": "current",
    }

    assert await check_terms(registry.context) == 2
    assert await check_terms(registry.context) == 0  # a second round announces nothing new
    soon = await event_tap.wait_for("qingchun.registry.league_branch.term_due_soon.v1")
    expired = await event_tap.wait_for("qingchun.registry.league_branch.term_expired.v1")
    assert (soon.subject, expired.subject) == (due["id"], late["id"])
    assert expired.data["days_overdue"] > 0

    election = {
        "held_on": today.isoformat(),
        "term_years": 3,
        "committee_size": 5,
        "secretary_subject_id": "sub-42",
    }
    elected = await registry.http.post(
        f"/v1/organizations/{late['id']}/elections", json=election, headers=registry.admin
    )
    assert elected.json()["branch"]["term_status"] == "current"
    recorded = await event_tap.wait_for("qingchun.registry.league_branch.election_recorded.v1")
    assert recorded.data["term_start"] == today.isoformat()
    future = election | {"held_on": (today + timedelta(days=3)).isoformat()}
    refused = await registry.http.post(
        f"/v1/organizations/{late['id']}/elections", json=future, headers=registry.admin
    )
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "election_in_future",
        "held_on",
    )
    not_branch = await registry.http.put(
        f"/v1/organizations/{community['id']}/term",
        json={"term_start": today.isoformat(), "term_years": 3},
        headers=registry.admin,
    )
    assert (not_branch.status_code, not_branch.json()["code"]) == (404, "wrong_organization_type")
    assert len(event_tap.of_type("qingchun.registry.league_branch.term_expired.v1")) == 1


async def test_youth_center_requirements_compliance_and_registration(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    _, community = await _community(registry, city)
    center = await registry.create("城东社区青年中心", "youth_center", community["id"])
    assert center["youth_center"]["status"] == "proposed"
    assert len(center["youth_center"]["unmet_requirements"]) == 4  # the name is already right
    url = f"/v1/organizations/{center['id']}"
    small = {
        "indoor_area_m2": 60,
        "full_time_staff_count": 1,
        "org_form": "council",
        "projects": ["七彩假期"],
    }
    profile = await registry.http.put(f"{url}/youth-center", json=small, headers=registry.admin)
    assert [r["code"] for r in profile.json()["youth_center"]["unmet_requirements"]] == ["fixed_site"]
    for status in ("pilot", "built"):
        moved = await registry.http.post(
            f"{url}:change-center-status", json={"to_status": status}, headers=registry.admin
        )
        assert moved.status_code == 200, moved.text
    assert moved.json()["youth_center"]["status"] == "built"
    registration = {
        "authority": "孝南区民政局",
        "number": "孝民登字001号",
        "registered_on": date.today().isoformat(),
    }
    early = await registry.http.post(f"{url}/registration", json=registration, headers=registry.admin)
    assert (early.status_code, early.json()["code"]) == (422, "not_compliant")
    enough = await registry.http.put(
        f"{url}/youth-center", json=small | {"indoor_area_m2": 120}, headers=registry.admin
    )
    assert enough.json()["youth_center"]["status"] == "compliant"
    compliant = await event_tap.wait_for(
        "qingchun.registry.youth_center.compliance_changed.v1", lambda e: e.data["compliant"]
    )
    assert compliant.data["status"] == "compliant"
    staff = registry.as_("community_staff", scope=[community["id"]])
    by_staff = await registry.http.post(f"{url}/registration", json=registration, headers=staff)
    assert by_staff.status_code == 403
    done = await registry.http.post(f"{url}/registration", json=registration, headers=registry.admin)
    assert done.json()["youth_center"]["status"] == "registered"
    assert done.json()["youth_center"]["registration"]["number"] == "孝民登字001号"
    renamed = await registry.http.patch(url, json={"name": "城东青年活动站"}, headers=registry.admin)
    assert [r["code"] for r in renamed.json()["youth_center"]["unmet_requirements"]] == ["unified_name"]


async def test_designations_are_granted_once_and_revocable(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    _, community = await _community(registry, city)
    url = f"/v1/organizations/{community['id']}/designations"
    body = {"kind": "demonstration_point", "issuer_organization_id": city["id"], "granted_on": "2019-01-15"}
    granted = await registry.http.post(url, json=body, headers=registry.admin)
    assert granted.status_code == 201
    designation = granted.json()["designations"][0]
    assert designation["kind_label"] == "示范点"
    again = await registry.http.post(url, json=body, headers=registry.admin)
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_designation")
    backwards = await registry.http.post(
        url, json=body | {"kind": "first_batch", "valid_until": "2018-01-01"}, headers=registry.admin
    )
    assert (backwards.status_code, backwards.json()["field"]) == (422, "valid_until")
    revoked = await registry.http.post(f"{url}/{designation['id']}:revoke", headers=registry.admin)
    assert revoked.json()["designations"][0]["status"] == "revoked"
    await event_tap.wait_for("qingchun.registry.designation.revoked.v1")
    assert (
        event_tap.of_type("qingchun.registry.designation.granted.v1")[0].data["kind"] == "demonstration_point"
    )


async def test_venue_agreement_lifecycle(
    registry: Registry, event_tap: EventTap, city: dict[str, Any]
) -> None:
    _, community = await _community(registry, city)
    union = await registry.create("灵武市总工会", "resident_unit", city["id"])
    home = await registry.create("城东社区青年之家", "youth_home", community["id"])
    body = {
        "type": "venue_co_building",
        "title": "阵地共建协议",
        "party_ids": [community["id"], union["id"]],
        "site_ids": [home["id"]],
        "commitments": ["提供活动场地", "每季度联合开展活动"],
    }
    created = await registry.http.post("/v1/agreements", json=body, headers=registry.admin)
    assert created.status_code == 201, created.text
    agreement = created.json()
    assert (agreement["status"], agreement["type_label"]) == ("draft", "阵地共建协议")
    url = f"/v1/agreements/{agreement['id']}"
    no_date = await registry.http.post(f"{url}:sign", json={}, headers=registry.admin)
    assert (no_date.status_code, no_date.json()["field"]) == (422, "signed_on")
    premature = await registry.http.post(f"{url}:resume", headers=registry.admin)
    assert (premature.status_code, premature.json()["code"]) == (409, "invalid_transition")
    steps = [
        (":sign", {"signed_on": "2023-03-01"}),
        (":activate", {"plaque_on": "2023-03-05"}),
        (":suspend", None),
        (":resume", None),
        (":end", {"ends_on": "2024-03-01"}),
    ]
    for action, payload in steps:
        response = await registry.http.post(f"{url}{action}", json=payload, headers=registry.admin)
        assert response.status_code == 200, (action, response.text)
    assert response.json()["status"] == "ended"
    signed = await event_tap.wait_for("qingchun.registry.agreement.signed.v1")
    assert signed.data["site_ids"] == [home["id"]]
    await event_tap.wait_for(
        "qingchun.registry.agreement.status_changed.v1", lambda e: e.data["to_status"] == "ended"
    )
    listed = await registry.http.get(
        "/v1/agreements", params={"party_id": union["id"], "status": "ended"}, headers=registry.admin
    )
    assert [a["id"] for a in listed.json()["items"]] == [agreement["id"]]


async def test_bad_agreements_are_refused(registry: Registry, city: dict[str, Any]) -> None:
    _, community = await _community(registry, city)
    union = await registry.create("灵武市总工会", "resident_unit", city["id"])
    base = {"type": "venue_co_building", "title": "阵地共建协议"}
    cases = [
        (base | {"party_ids": [community["id"], community["id"]]}, 422, "party_ids"),
        (base | {"party_ids": [community["id"]]}, 422, "party_ids"),
        (base | {"party_ids": [community["id"], union["id"]], "site_ids": [union["id"]]}, 422, "site_ids.0"),
        (base | {"party_ids": [community["id"], "org_ffffffffffffffffffffffff"]}, 422, "party_ids.1"),
        (base | {"type": "friendship", "party_ids": [community["id"], union["id"]]}, 422, "type"),
    ]
    for body, status, field in cases:
        response = await registry.http.post("/v1/agreements", json=body, headers=registry.admin)
        assert (response.status_code, response.json()["field"]) == (status, field), response.text
    stranger = registry.as_("org_admin", scope=["org_0123456789abcdef01234567"])
    response = await registry.http.post(
        "/v1/agreements", json=base | {"party_ids": [community["id"], union["id"]]}, headers=stranger
    )
    assert (response.status_code, response.json()["code"]) == (403, "out_of_scope")
    listed = await registry.http.get("/v1/agreements", headers=registry.admin)
    assert listed.json()["items"] == []
