"""Monthly reports (月报) on the real store and bus: the registry's own monthly figures, submission
frozen per community and month, reads within scope, and a committee's submission rate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from qingchun_plumbing.testing.fixtures import EventTap
from registry_harness import Registry

SUBMITTED = "qingchun.registry.monthly_report.submitted.v1"
MONTH = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
"""Last month: begun (and ended), so it may be reported."""


def figures(sessions: int = 12) -> dict[str, Any]:
    return {
        "volunteering": {
            "sessions": sessions,
            "participants": 96,
            "sessions_by_category": [{"code": "waste_sorting", "label": "垃圾分类", "count": sessions}],
        },
        "education": {"sessions": 4, "care_figures": [{"code": "total", "label": "档案总数", "count": None}]},
        "registry": {"as_of": "2026-10-31", "communities": 1},
    }


async def _street(registry: Registry, city: dict[str, Any], communities: int) -> tuple[str, list[str]]:
    street = await registry.create("广场街道团工委", "league_working_committee", city["id"])
    made = [
        (await registry.create(f"城{i}社区", "community", street["id"]))["id"] for i in range(communities)
    ]
    return street["id"], made


async def submit(registry: Registry, community: str, headers: dict[str, str], **body: Any) -> Any:
    payload = {"community_id": community, "month": MONTH, "figures": figures()} | body
    return await registry.http.post("/v1/monthly-reports", json=payload, headers=headers)


async def test_a_report_is_frozen_once_submitted_with_who_and_when(
    registry: Registry, city: dict[str, Any], event_tap: EventTap
) -> None:
    _, [community] = await _street(registry, city, 1)
    staff = registry.isolation.headers("community_staff", scope=[community], subject="staff-07")
    before = datetime.now(UTC)
    first = await submit(registry, community, staff)
    assert first.status_code == 201, first.text
    report = first.json()
    assert (report["submitted_by"], report["month"], report["community_name"]) == (
        "staff-07",
        MONTH,
        "城0社区",
    )
    assert datetime.fromisoformat(report["submitted_at"]) >= before
    assert report["figures"]["volunteering"]["sessions"] == 12
    assert report["area_ids"][0] == community
    assert city["id"] in report["area_ids"]

    second = await submit(registry, community, staff, figures=figures(sessions=99))
    assert (second.status_code, second.json()["code"], second.json()["field"]) == (
        409,
        "report_already_submitted",
        "month",
    )
    read = await registry.http.get(f"/v1/monthly-reports/{report['id']}", headers=staff)
    assert read.json()["figures"]["volunteering"]["sessions"] == 12  # the first figures stay

    event = await event_tap.wait_for(SUBMITTED, where=lambda e: e.data["report_id"] == report["id"])
    assert event.data["counts"] == {
        "volunteering.sessions": 12,
        "volunteering.participants": 96,
        "education.sessions": 4,
        "registry.communities": 1,
    }
    assert event.data["month_starts_on"] == f"{MONTH}-01"
    assert "staff-07" not in str(event.data)  # who submitted stays in the registry
    assert len(event_tap.of_type(SUBMITTED)) == 1


async def test_submission_is_refused_precisely(registry: Registry, city: dict[str, Any]) -> None:
    street, [community, other] = await _street(registry, city, 2)
    staff = registry.as_("community_staff", scope=[community])

    foreign = await submit(registry, other, staff)
    assert (foreign.status_code, foreign.json()["code"]) == (403, "out_of_scope")
    volunteer = await submit(registry, community, registry.as_("volunteer", scope=[community]))
    assert (volunteer.status_code, volunteer.json()["code"]) == (403, "role_required")
    future = (date.today().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    early = await submit(registry, community, staff, month=future)
    assert (early.status_code, early.json()["code"], early.json()["field"]) == (
        422,
        "month_not_started",
        "month",
    )
    street_report = await submit(registry, street, registry.admin)
    assert (street_report.status_code, street_report.json()["code"]) == (404, "wrong_organization_type")
    bad = figures() | {"volunteering": {"note": "张三 13900000000"}}
    personal = await submit(registry, community, staff, figures=bad)
    assert (personal.status_code, personal.json()["field"].split(".")[:2]) == (
        422,
        ["figures", "volunteering"],
    )
    unknown = await submit(registry, community, staff, figures={"partner": {"sessions": 1}})
    assert unknown.status_code == 422
    malformed = await submit(registry, community, staff, month="2026-13")
    assert (malformed.status_code, malformed.json()["field"]) == (422, "month")
    assert await registry.context.store._orgs.database["monthly_reports"].count_documents({}) == 0


async def test_the_submission_rate_counts_active_communities_and_lists_those_missing(
    registry: Registry, city: dict[str, Any]
) -> None:
    street, communities = await _street(registry, city, 3)
    elsewhere = await registry.create("车站街道团工委", "league_working_committee", city["id"])
    far = (await registry.create("车站社区", "community", elsewhere["id"]))["id"]
    for community in (communities[0], far):
        assert (await submit(registry, community, registry.admin)).status_code == 201

    url = "/v1/monthly-reports/submission-rate"
    rate = await registry.http.get(
        url, params={"committee_id": street, "month": MONTH}, headers=registry.admin
    )
    assert rate.status_code == 200, rate.text
    body = rate.json()
    assert (body["communities"], body["submitted"], body["rate"]) == (3, 1, 0.3333)
    assert [c["id"] for c in body["not_submitted"]] == sorted(communities[1:])

    paged = await registry.http.get(
        url, params={"committee_id": city["id"], "month": MONTH, "limit": 1}, headers=registry.admin
    )
    assert (paged.json()["communities"], paged.json()["submitted"]) == (4, 2)
    rest = await registry.http.get(
        url,
        params={
            "committee_id": city["id"],
            "month": MONTH,
            "limit": 1,
            "cursor": paged.json()["next_cursor"],
        },
        headers=registry.admin,
    )
    missing = [*paged.json()["not_submitted"], *rest.json()["not_submitted"]]
    assert sorted(c["id"] for c in missing) == sorted(communities[1:])
    assert rest.json()["next_cursor"] is None

    other_month = await registry.http.get(
        url, params={"committee_id": street, "month": "2020-01"}, headers=registry.admin
    )
    assert other_month.json()["submitted"] == 0

    listed = await registry.http.get(
        "/v1/monthly-reports", params={"committee_id": street, "month": MONTH}, headers=registry.admin
    )
    assert [r["community_id"] for r in listed.json()["items"]] == [communities[0]]
    outsider = registry.as_("district_admin", scope=[elsewhere["id"]])
    refused = await registry.http.get(
        "/v1/monthly-reports", params={"committee_id": street}, headers=outsider
    )
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        403,
        "out_of_scope",
        "committee_id",
    )


async def test_the_registry_counts_its_monthly_figures_for_a_subtree(
    registry: Registry, city: dict[str, Any]
) -> None:
    street, [first, second] = await _street(registry, city, 2)
    staff = registry.as_("community_staff", scope=[first])
    survey = {"checked": [], "youth_count": 3423}
    assert (
        await registry.http.put(f"/v1/organizations/{first}/survey", json=survey, headers=staff)
    ).status_code == 200
    branch = await registry.create("城0社区团支部", "league_branch", first)
    overdue_start = (date.today() - timedelta(days=3 * 366 + 40)).isoformat()
    term = {"term_start": overdue_start, "term_years": 3}
    assert (
        await registry.http.put(f"/v1/organizations/{branch['id']}/term", json=term, headers=registry.admin)
    ).status_code == 200
    await registry.create("城1社区青年中心", "youth_center", second)

    answer = await registry.http.get(
        "/v1/statistics/monthly", params={"organization_id": street, "month": MONTH}, headers=registry.admin
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    stages = {t["code"]: t["count"] for t in body["communities_by_stage"]}
    assert (body["communities"], stages["surveying"], stages["not_started"]) == (2, 1, 1)
    assert (body["branches"], body["communities_with_branch"]) == (1, 1)
    assert {t["code"]: t["count"] for t in body["terms_by_status"]}["overdue"] == 1
    assert (body["youth_centers"], body["youth_centers_compliant"]) == (1, 0)

    narrow = await registry.http.get(
        "/v1/statistics/monthly", params={"organization_id": first, "month": MONTH}, headers=staff
    )
    assert (narrow.json()["communities"], narrow.json()["youth_centers"]) == (1, 0)
    wider = await registry.http.get(
        "/v1/statistics/monthly", params={"organization_id": street, "month": MONTH}, headers=staff
    )
    assert (wider.status_code, wider.json()["code"]) == (403, "out_of_scope")
