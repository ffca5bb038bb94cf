"""Microloans (小额担保贷款) on the real store and bus: the whole path, refusals and who reads."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from employment_harness import Stack
from qingchun_contracts.employment import LoanStatusChanged
from qingchun_plumbing.testing.fixtures import EventTap

_phones = itertools.count(13600000001)
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
LOAN = {"purpose": "homecoming", "amount_yuan": 50_000, "term_months": 24, "guarantee": "guarantee_agency"}


@dataclass
class Scene:
    street: str
    community: str
    seeker: str


async def seeker(stack: Stack, subject: str, community: str) -> str:
    body = {
        "real_name": "王丽",
        "phone": str(next(_phones)),
        "birth_year": 1999,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "returning_student",
    }
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    seeker_id: str = response.json()["id"]
    return seeker_id


async def scene(stack: Stack) -> Scene:
    street = await stack.org("新华街道团工委", "league_working_committee", stack.city_id)
    community = await stack.org("中山社区", "community", street)
    return Scene(street, community, await seeker(stack, "applicant-1", community))


async def applied(stack: Stack) -> tuple[Scene, str]:
    here = await scene(stack)
    response = await stack.employment.post("/v1/loans", json=LOAN, headers=stack.person("applicant-1"))
    assert response.status_code == 201, response.text
    return here, response.json()["id"]


async def step(
    stack: Stack, loan: str, action: str, headers: dict[str, str], **body: object
) -> dict[str, object]:
    response = await stack.employment.post(f"/v1/loans/{loan}:{action}", json=body or None, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


async def test_the_full_path_from_application_to_closed(stack: Stack, event_tap: EventTap) -> None:
    here, loan = await applied(stack)
    staff = stack.staff(here.community)
    await step(stack, loan, "review", staff)
    approved = await step(stack, loan, "approve", staff, approved_amount_yuan=40_000)
    assert (approved["approved_amount_yuan"], approved["balance_yuan"]) == (40_000, 40_000)
    await step(stack, loan, "disburse", staff, disbursed_on=TODAY)
    await step(stack, loan, "start_repayment", staff)

    repayments = f"/v1/loans/{loan}/repayments"
    paid = await stack.employment.post(
        repayments, json={"amount_yuan": 30_000, "paid_on": TODAY}, headers=staff
    )
    assert (paid.status_code, paid.json()["balance_yuan"]) == (201, 10_000), paid.text
    early = await stack.employment.post(f"/v1/loans/{loan}:close", headers=staff)
    assert (early.status_code, early.json()["field"]) == (409, "balance_yuan")
    too_much = await stack.employment.post(
        repayments, json={"amount_yuan": 10_001, "paid_on": TODAY}, headers=staff
    )
    assert (too_much.status_code, too_much.json()["code"]) == (422, "exceeds_balance")
    rest = await stack.employment.post(
        repayments, json={"amount_yuan": 10_000, "paid_on": TODAY}, headers=staff
    )
    assert rest.json()["balance_yuan"] == 0
    closed = await step(stack, loan, "close", staff)
    assert (closed["status"], closed["status_label"], closed["repaid_yuan"]) == ("closed", "已结清", 40_000)

    await event_tap.wait_for(LoanStatusChanged.event_type, lambda e: e.data["status"] == "closed")
    published = [e.data for e in event_tap.of_type(LoanStatusChanged.event_type) if e.subject == loan]
    assert [(e["status"], e["amount_yuan"]) for e in published] == [
        ("applied", 50_000),
        ("reviewed", 50_000),
        ("approved", 40_000),
        ("disbursed", 40_000),
        ("repaying", 40_000),
        ("closed", 40_000),
    ]
    assert {e["applicant_seeker_id"] for e in published} == {here.seeker}
    first = await stack.employment.get(repayments, params={"limit": 1}, headers=stack.person("applicant-1"))
    second = await stack.employment.get(
        repayments, params={"cursor": first.json()["next_cursor"]}, headers=stack.person("applicant-1")
    )
    assert [r["amount_yuan"] for r in first.json()["items"] + second.json()["items"]] == [30_000, 10_000]


async def test_a_step_out_of_order_is_refused_and_writes_nothing(stack: Stack, event_tap: EventTap) -> None:
    here, loan = await applied(stack)
    await event_tap.wait_for(LoanStatusChanged.event_type, lambda e: e.subject == loan)
    before = await stack.context.ventures.loan(loan)
    for action, body in [("disburse", {"disbursed_on": TODAY}), ("close", None), ("start_repayment", None)]:
        response = await stack.employment.post(
            f"/v1/loans/{loan}:{action}", json=body, headers=stack.staff(here.community)
        )
        assert (response.status_code, response.json()["code"]) == (409, "invalid_transition"), response.text
    not_yet = await stack.employment.post(
        f"/v1/loans/{loan}/repayments",
        json={"amount_yuan": 1, "paid_on": TODAY},
        headers=stack.staff(here.street),
    )
    assert not_yet.status_code == 409
    assert await stack.context.ventures.loan(loan) == before
    assert len([e for e in event_tap.of_type(LoanStatusChanged.event_type) if e.subject == loan]) == 1


async def test_approving_more_than_applied_is_refused(stack: Stack) -> None:
    here, loan = await applied(stack)
    await step(stack, loan, "review", stack.staff(here.community))
    response = await stack.employment.post(
        f"/v1/loans/{loan}:approve",
        json={"approved_amount_yuan": 50_001},
        headers=stack.staff(here.community),
    )
    assert (response.status_code, response.json()["field"]) == (422, "approved_amount_yuan")


async def test_who_reads_and_moves_a_loan(stack: Stack) -> None:
    here, loan = await applied(stack)
    other_community = await stack.org("城东社区", "community", stack.city_id)
    await seeker(stack, "applicant-2", other_community)
    readers = {
        "applicant": stack.person("applicant-1"),
        "another seeker": stack.person("applicant-2"),
        "staff over the street": stack.staff(here.street),
        "staff of another community": stack.staff(other_community),
    }
    seen = {
        who: (await stack.employment.get(f"/v1/loans/{loan}", headers=h)).status_code
        for who, h in readers.items()
    }
    assert seen == {
        "applicant": 200,
        "another seeker": 403,
        "staff over the street": 200,
        "staff of another community": 403,
    }
    own = await stack.employment.get("/v1/loans", headers=stack.person("applicant-2"))
    assert own.json()["items"] == []
    by_staff = await stack.employment.get(
        "/v1/loans",
        params={"organization_id": here.street, "status": "applied"},
        headers=stack.staff(here.street),
    )
    assert [item["id"] for item in by_staff.json()["items"]] == [loan]
    by_applicant = await stack.employment.post(
        f"/v1/loans/{loan}:review", headers=stack.person("applicant-1")
    )
    assert by_applicant.status_code == 403


async def test_a_loan_is_real_name(stack: Stack) -> None:
    here = await scene(stack)
    anonymous = await stack.employment.post("/v1/loans", json=LOAN, headers=stack.person("no-profile"))
    assert (anonymous.status_code, anonymous.json()["code"]) == (403, "seeker_profile_required")
    elsewhere = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    for_someone = LOAN | {"applicant_seeker_id": here.seeker}
    refused = await stack.employment.post("/v1/loans", json=for_someone, headers=stack.staff(elsewhere))
    assert refused.status_code == 403
    by_staff = await stack.employment.post("/v1/loans", json=for_someone, headers=stack.staff(here.community))
    assert (by_staff.status_code, by_staff.json()["street_organization_id"]) == (201, here.street)
    assert len(await stack.context.ventures.find_loans({}, None, 10)) == 1


async def test_a_loan_from_before_the_platform_is_entered_with_its_real_dates(stack: Stack) -> None:
    here = await scene(stack)
    staff = stack.staff(here.community)
    body = LOAN | {"applicant_seeker_id": here.seeker, "applied_on": "2025-11-03"}
    created = await stack.employment.post("/v1/loans", json=body, headers=staff)
    assert created.status_code == 201, created.text
    loan = created.json()["id"]
    await step(stack, loan, "review", staff, on="2025-11-10")
    early = await stack.employment.post(
        f"/v1/loans/{loan}:approve", json={"approved_on": "2025-11-09"}, headers=staff
    )
    assert (early.status_code, early.json()["code"], early.json()["field"]) == (
        422,
        "before_previous_step",
        "approved_on",
    )
    approved = await step(stack, loan, "approve", staff, approved_on="2025-11-20")
    assert (approved["applied_on"], approved["approved_on"]) == ("2025-11-03", "2025-11-20")
    too_early = await stack.employment.post(
        f"/v1/loans/{loan}:disburse", json={"disbursed_on": "2025-11-19"}, headers=staff
    )
    assert (too_early.status_code, too_early.json()["code"]) == (422, "before_approval")
    await step(stack, loan, "disburse", staff, disbursed_on="2025-12-01")
    future = await stack.employment.post(
        f"/v1/loans/{loan}:start_repayment", json={"on": "2999-01-01"}, headers=staff
    )
    assert (future.status_code, future.json()["code"], future.json()["field"]) == (422, "in_future", "on")
    repaying = await step(stack, loan, "start_repayment", staff, on="2025-12-01")
    history: list[dict[str, object]] = repaying["history"]  # type: ignore[assignment]
    assert [s["on"] for s in history] == [
        "2025-11-03",
        "2025-11-10",
        "2025-11-20",
        "2025-12-01",
        "2025-12-01",
    ]

    report = await stack.employment.get(
        "/v1/reports/entrepreneurship",
        params={"organization_id": here.street, "month": "2025-11"},
        headers=stack.staff(here.street),
    )
    row = report.json()["items"][0]
    assert (row["loans_applied"], row["loans_approved"], row["loans_disbursed"]) == (1, 1, 0)
    december = await stack.employment.get(
        "/v1/reports/entrepreneurship",
        params={"organization_id": here.street, "month": "2025-12"},
        headers=stack.staff(here.street),
    )
    row = december.json()["items"][0]
    assert (row["loans_applied"], row["loans_disbursed"], row["loans_repaying"]) == (0, 1, 1)


async def test_backfilled_dates_are_refused_out_of_bounds_or_from_the_applicant(stack: Stack) -> None:
    here = await scene(stack)
    staff = stack.staff(here.community)
    cases = [
        (LOAN | {"applicant_seeker_id": here.seeker, "applied_on": "2999-01-01"}, staff, 422, "in_future"),
        (
            LOAN | {"applicant_seeker_id": here.seeker, "applied_on": "1999-01-01"},
            staff,
            422,
            "before_loans_existed",
        ),
        (LOAN | {"applied_on": "2025-11-03"}, stack.person("applicant-1"), 403, "backfill_staff_only"),
    ]
    for body, headers, status, code in cases:
        response = await stack.employment.post("/v1/loans", json=body, headers=headers)
        assert (response.status_code, response.json()["code"], response.json()["field"]) == (
            status,
            code,
            "applied_on",
        )
    scope = {"organization_id": here.community}
    listed = await stack.employment.get("/v1/loans", params=scope, headers=staff)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
