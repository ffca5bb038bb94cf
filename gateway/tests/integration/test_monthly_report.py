"""The community monthly report (月报) through the gateway: figures from all four services, a
submission frozen by the registry, the submission rate, the .xlsx exports, and scope refusals."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook  # type: ignore[import-untyped]

from gateway_harness import GatewayStack

NOW = datetime.now(UTC).replace(microsecond=0)
REPORT = """
query ($org: ID!, $month: String!) {
  monthlyReport(organizationId: $org, month: $month) {
    month organization { name }
    sections { service label figures { key label value text items { code label value suppressed } } }
  }
}
"""
SUBMIT = """
mutation ($community: ID!, $month: String!) {
  submitMonthlyReport(communityId: $community, month: $month) {
    id communityName month submittedBy sections { service figures { key value } }
  }
}
"""
RATE = """
query ($committee: ID!, $month: String!) {
  submissionRate(committeeId: $committee, month: $month) { communities submitted rate notSubmitted { name } }
}
"""


def month_now(stack: GatewayStack) -> str:
    zone = ZoneInfo(stack.apps["volunteering"].state.volunteering.settings.local_timezone)
    return (NOW - timedelta(minutes=30)).astimezone(zone).strftime("%Y-%m")


async def month_of_work(stack: GatewayStack, community: str) -> None:
    """One held activity, one education session, one job seeker in the community, this month."""
    start = NOW - timedelta(minutes=30)
    volunteering, education = stack.services["volunteering"], stack.services["education"]
    shift = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    body = {
        "title": "垃圾分类进社区",
        "host_organization_id": community,
        "category": "waste_sorting",
        "brand": "青春护绿",
        "shifts": [shift | {"place": "文昌阁社区广场"}],
    }
    made = await volunteering.post("/v1/activities", json=body, headers=stack.admin())
    assert made.status_code == 201, made.text
    published = await volunteering.post(f"/v1/activities/{made.json()['id']}:publish", headers=stack.admin())
    assert published.status_code == 200, published.text
    programme = await education.post(
        "/v1/programmes",
        json={
            "name": "国学经典亲子诵读",
            "owner_organization_id": community,
            "kind": "classics_family_reading",
            "target_group": "children",
            "season": "summer_holiday",
            "year": NOW.year,
        },
        headers=stack.admin(),
    )
    assert programme.status_code == 201, programme.text
    session = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=20)).isoformat(),
        "venue": "青年之家",
    }
    course = await education.post(
        "/v1/courses",
        json={
            "programme_id": programme.json()["id"],
            "title": "亲子诵读《弟子规》",
            "category": "homework_help",
            "target_group": "all_residents",
            "mode": "practice",
            "capacity": 10,
            "sessions": [session],
        },
        headers=stack.admin(),
    )
    assert course.status_code == 201, course.text
    scheduled = await education.post(f"/v1/courses/{course.json()['id']}:schedule", headers=stack.admin())
    assert scheduled.status_code == 200, scheduled.text
    seeker = {
        "real_name": "李晓燕",
        "phone": "13900002000",
        "birth_year": 2001,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "returnee",
    }
    registered = await stack.services["employment"].post(
        "/v1/seekers", json=seeker, headers=stack.headers("volunteer", subject="youth-1")
    )
    assert registered.status_code == 201, registered.text


def figure(report: dict[str, Any], service: str, key: str) -> Any:
    [section] = [s for s in report["sections"] if s["service"] == service]
    [found] = [f for f in section["figures"] if f["key"] == key]
    return found


async def test_a_communitys_report_gathers_all_four_services_and_submits_frozen(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    await stack.community("西湖社区")
    await month_of_work(stack, community)
    month = month_now(stack)
    staff = stack.headers("community_staff", scope=[community], subject="staff-01")

    answer = await stack.query(REPORT, {"org": community, "month": month}, headers=staff)
    assert "errors" not in answer, answer
    report = answer["data"]["monthlyReport"]
    assert report["organization"] == {"name": "文昌阁社区"}
    assert [s["label"] for s in report["sections"]] == ["组织建设", "志愿服务", "社区教育", "就业创业"]
    assert (
        figure(report, "registry", "communities")["value"],
        figure(report, "volunteering", "sessions")["value"],
    ) == (
        1,
        1,
    )
    assert figure(report, "volunteering", "sessions")["label"] == "场次"
    assert figure(report, "volunteering", "sessions_by_brand")["items"][0]["label"] == "青春护绿"
    assert figure(report, "education", "sessions")["value"] == 1
    assert figure(report, "employment", "seekers")["value"] == 1
    assert "李晓燕" not in str(answer)

    submitted = await stack.query(SUBMIT, {"community": community, "month": month}, headers=staff)
    assert "errors" not in submitted, submitted
    frozen = submitted["data"]["submitMonthlyReport"]
    assert (frozen["communityName"], frozen["submittedBy"], frozen["month"]) == (
        "文昌阁社区",
        "staff-01",
        month,
    )
    stored = await stack.services["registry"].get(
        f"/v1/monthly-reports/{frozen['id']}", headers=stack.admin()
    )
    assert stored.json()["figures"]["volunteering"]["sessions"] == 1
    assert stored.json()["figures"]["employment"]["seekers"] == 1

    again = await stack.query(SUBMIT, {"community": community, "month": month}, headers=staff)
    assert again["data"] is None
    assert again["errors"][0]["extensions"]["code"] == "report_already_submitted"

    street = stack.streets["新华街道团工委"]
    rate = await stack.query(RATE, {"committee": street, "month": month})
    assert rate["data"]["submissionRate"] == {
        "communities": 2,
        "submitted": 1,
        "rate": 0.5,
        "notSubmitted": [{"name": "西湖社区"}],
    }


async def test_the_report_and_the_activity_ledger_export_as_xlsx(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    await month_of_work(stack, community)
    params = {"organizationId": community, "month": month_now(stack)}
    staff = stack.headers("community_staff", scope=[community])

    report = await stack.gateway.get("/exports/monthly-report.xlsx", params=params, headers=staff)
    assert report.status_code == 200, report.text
    sheet = load_workbook(io.BytesIO(report.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("板块", "指标", "分项", "数值")
    assert ("志愿服务", "场次", None, 1) in rows
    assert ("就业创业", "求职者类别", "返乡青年", 1) in rows

    ledger = await stack.gateway.get("/exports/activities.xlsx", params=params, headers=staff)
    assert ledger.status_code == 200, ledger.text
    rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("活动名称", "类别", "品牌", "日期", "地点", "场次", "人次", "核验时长（分钟）")
    assert rows[1][:3] == ("垃圾分类进社区", "垃圾分类", "青春护绿")
    assert (rows[1][4], rows[1][5], rows[1][6], len(rows)) == ("文昌阁社区广场", 1, 0, 2)

    anonymous = await stack.gateway.get("/exports/activities.xlsx", params=params)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "token_missing")
    assert anonymous.headers["content-type"] == "application/problem+json"

    bad_month = await stack.gateway.get(
        "/exports/activities.xlsx", params=params | {"month": "2026-13"}, headers=staff
    )
    assert bad_month.status_code == 422, bad_month.text
    assert bad_month.headers["content-type"] == "application/problem+json"
    assert bad_month.json()["field"] == "month"


async def test_a_caller_outside_the_scope_is_refused_with_a_code(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    other = await stack.community("西湖社区")
    month = month_now(stack)
    outsider = stack.headers("community_staff", scope=[other])
    answer = await stack.query(REPORT, {"org": community, "month": month}, headers=outsider)
    assert answer["data"] is None
    assert answer["errors"][0]["extensions"]["code"] == "out_of_scope"
    refused = await stack.query(SUBMIT, {"community": community, "month": month}, headers=outsider)
    assert refused["errors"][0]["extensions"]["code"] == "out_of_scope"
    rows = await stack.services["registry"].get(
        "/v1/monthly-reports", params={"committee_id": community}, headers=stack.admin()
    )
    assert rows.json()["items"] == []
    export = await stack.gateway.get(
        "/exports/monthly-report.xlsx", params={"organizationId": community, "month": month}, headers=outsider
    )
    assert (export.status_code, export.json()["code"]) == (403, "out_of_scope")
