"""Pairings (结对) on the real store: the whole lifecycle with its events, refusals that write
nothing, and who may know a care-case pairing exists."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from qingchun_plumbing.testing.fixtures import EventTap
from volunteering_harness import Stack

SIGNED = "qingchun.volunteering.pairing.signed.v1"
VISITED = "qingchun.volunteering.pairing.visit_logged.v1"
REVIEWED = "qingchun.volunteering.pairing.reviewed.v1"
CLOSED = "qingchun.volunteering.pairing.closed.v1"
NOTES = "到户走访:孩子数学成绩进步明显,母亲身体欠佳需关注"
SUMMARY = "本季度帮扶效果良好,家庭经济困难仍需关注"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


async def _communities(stack: Stack) -> tuple[str, str]:
    street = await stack.org("城区街道团工委", "league_working_committee", stack.city_id)
    return await stack.org("育才街社区", "community", street), await stack.org(
        "朔方路社区", "community", street
    )


def _staff(stack: Stack, community: str, subject: str = "staff") -> dict[str, str]:
    return stack.isolation.headers("community_staff", scope=[community], subject=subject)


def _pairing(host: str, helpers: list[str], type_: str = "one_mentors_one", **fields: Any) -> dict[str, Any]:
    return {
        "type": type_,
        "host_organization_id": host,
        "beneficiary": {"kind": "care_case", "ref": "case_7Hq2Lw9Xz"},
        "helper_volunteer_ids": helpers,
    } | fields


def _agreement(signed_on: str | None = None) -> dict[str, Any]:
    return {
        "signed_on": signed_on or _today(),
        "document_ref": "育才街社区结对档案 2024-07 第3号",
        "terms_summary": "每月到户走访不少于一次,寒暑假课业辅导,直至完成学业",
    }


async def _signed(stack: Stack, host: str, helpers: list[str], **fields: Any) -> dict[str, Any]:
    created = await stack.volunteering.post(
        "/v1/pairings", json=_pairing(host, helpers, **fields), headers=_staff(stack, host)
    )
    assert created.status_code == 201, created.text
    signed = await stack.volunteering.post(
        f"/v1/pairings/{created.json()['id']}:sign", json=_agreement(), headers=_staff(stack, host)
    )
    assert signed.status_code == 200, signed.text
    result: dict[str, Any] = signed.json()
    return result


async def test_a_one_mentors_one_pairing_from_need_to_close(
    stack: Stack, event_tap: EventTap, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    yucai, _ = await _communities(stack)
    helper = await stack.volunteer("helper")
    staff = _staff(stack, yucai)

    need = await stack.volunteering.post("/v1/pairings", json=_pairing(yucai, []), headers=staff)
    assert (need.status_code, need.json()["status"]) == (201, "need_identified")
    pairing_id = need.json()["id"]
    early_sign = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}:sign", json=_agreement(), headers=staff
    )
    assert (early_sign.status_code, early_sign.json()["code"]) == (409, "invalid_transition")
    matched = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}:match", json={"helper_volunteer_ids": [helper["id"]]}, headers=staff
    )
    assert (matched.json()["status"], matched.json()["helper_volunteer_ids"]) == ("matched", [helper["id"]])

    signed = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}:sign", json=_agreement(), headers=staff
    )
    body = signed.json()
    assert (body["status"], body["status_label"], body["agreement"]["review_interval_months"]) == (
        "active",
        "帮扶中",
        3,
    )
    assert body["started_on"] == _today()

    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    too_late = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}/visits",
        json={"visited_on": future, "kind": "home_visit", "notes": NOTES},
        headers=stack.person("helper"),
    )
    assert (too_late.status_code, too_late.json()["code"]) == (422, "visit_in_future")
    visited = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}/visits",
        json={"visited_on": _today(), "kind": "home_visit", "notes": NOTES},
        headers=stack.person("helper"),
    )
    assert (visited.status_code, visited.json()["visit_count"]) == (201, 1)
    helper_review = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}/reviews",
        json={"outcome": "continue", "summary": SUMMARY},
        headers=stack.person("helper"),
    )
    assert helper_review.status_code == 403  # the helper knows it exists; reviewing is the organiser's
    reviewed = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}/reviews",
        json={"outcome": "close_recommended", "summary": SUMMARY},
        headers=staff,
    )
    assert (reviewed.json()["status"], reviewed.json()["last_review"]["summary"]) == ("reviewed", SUMMARY)
    assert reviewed.json()["next_review_due"] > _today()
    visits = (
        await stack.volunteering.get(f"/v1/pairings/{pairing_id}/visits", headers=stack.person("helper"))
    ).json()
    assert [(v["kind_label"], v["notes"]) for v in visits["items"]] == [("到户走访", NOTES)]

    closed = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}:close", json={"end_reason": "completed_studies"}, headers=staff
    )
    assert (closed.json()["status"], closed.json()["end_reason_label"]) == ("closed", "完成学业")
    again = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}:close", json={"end_reason": "terminated"}, headers=staff
    )
    assert again.status_code == 409
    late_visit = await stack.volunteering.post(
        f"/v1/pairings/{pairing_id}/visits",
        json={"visited_on": _today(), "kind": "phone_call", "notes": NOTES},
        headers=stack.person("helper"),
    )
    assert late_visit.status_code == 409

    events = [
        await event_tap.wait_for(kind, where=lambda e: e.data["pairing_id"] == pairing_id)
        for kind in (SIGNED, VISITED, REVIEWED, CLOSED)
    ]
    signed_event, visit_event, review_event, close_event = (e.data for e in events)
    assert signed_event["helper_volunteer_ids"] == [helper["id"]]
    assert signed_event["helper_subject_ids"] == ["helper"]  # the helper's token subject
    assert visit_event["visit_id"] == visits["items"][0]["id"]
    assert review_event["outcome_code"] == "close_recommended"
    assert close_event["end_reason_code"] == "completed_studies"
    for event in events:
        assert (event.data["beneficiary_kind"], event.data["beneficiary_ref"]) == (
            "care_case",
            "case_7Hq2Lw9Xz",
        )
        raw = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
        assert [secret for secret in (NOTES, SUMMARY, "结对档案") if secret in raw] == []
    await asyncio.sleep(0.3)
    for kind in (SIGNED, VISITED, REVIEWED, CLOSED):
        assert len([e for e in event_tap.of_type(kind) if e.data["pairing_id"] == pairing_id]) == 1
    assert [secret for secret in (NOTES, SUMMARY) if secret in caplog.text] == []
    assert caplog.records  # the capture did see the service's logs


async def test_a_helper_who_is_not_a_volunteer_is_refused_and_nothing_written(stack: Stack) -> None:
    yucai, _ = await _communities(stack)
    one, two = (await stack.volunteer("one"))["id"], (await stack.volunteer("two"))["id"]
    staff = _staff(stack, yucai)
    cases: list[tuple[dict[str, Any], tuple[str, str]]] = [
        (
            _pairing(yucai, [one, "vol_000000000000000000000000"], "two_mentor_one"),
            ("helper_not_volunteer", "helper_volunteer_ids.1"),
        ),
        (_pairing(yucai, [one, two]), ("helper_count", "helper_volunteer_ids")),  # 一帮一 has one helper
        (_pairing(yucai, [one, one], "many_help_one"), ("duplicate_helper", "helper_volunteer_ids.1")),
        (_pairing(yucai, [one], "many_help_one"), ("helper_count", "helper_volunteer_ids")),
        (
            _pairing(yucai, [one], beneficiary={"kind": "household", "ref": "case_7Hq2Lw9Xz"}),
            ("beneficiary_ref_invalid", "beneficiary.ref"),
        ),
        (
            _pairing(yucai, [one], helper_organization_id="org_000000000000000000000000"),
            ("unknown_organization", "helper_organization_id"),
        ),
    ]
    for body, (code, field) in cases:
        refused = await stack.volunteering.post("/v1/pairings", json=body, headers=staff)
        assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (422, code, field), (
            body
        )
    listed = await stack.volunteering.get(
        "/v1/pairings", params={"host_organization_id": yucai}, headers=staff
    )
    assert listed.json()["items"] == []


@pytest.mark.parametrize("ref", ["张三", "13900001111", "640181200801011234", "育才街3号楼2单元"])
async def test_a_beneficiary_named_in_clear_is_refused_without_echo(stack: Stack, ref: str) -> None:
    yucai, _ = await _communities(stack)
    helper = (await stack.volunteer("helper"))["id"]
    body = _pairing(yucai, [helper], beneficiary={"kind": "care_case", "ref": ref})
    refused = await stack.volunteering.post("/v1/pairings", json=body, headers=stack.admin())
    assert (refused.status_code, refused.json()["code"]) == (422, "beneficiary_ref_invalid")
    assert ref not in refused.text


async def test_only_helpers_and_organisers_in_scope_know_a_care_case_pairing(stack: Stack) -> None:
    yucai, shuofang = await _communities(stack)
    fifteen = (datetime.now(UTC) - timedelta(days=15 * 365 + 30)).date().isoformat()
    helper = await stack.volunteer("helper")
    await stack.volunteer("kid", born=fifteen, guardian_subject_id="mum")
    await stack.volunteer("someone")
    pairing = await _signed(stack, yucai, [helper["id"]])
    url = f"/v1/pairings/{pairing['id']}"
    await stack.volunteering.post(
        f"{url}/visits",
        json={"visited_on": _today(), "kind": "tutoring", "notes": NOTES},
        headers=stack.person("helper"),
    )
    roles: dict[str, tuple[dict[str, str], bool]] = {
        "helper": (stack.person("helper"), True),
        "organiser in scope": (_staff(stack, yucai), True),
        "league admin above": (stack.admin(), True),
        "another volunteer": (stack.person("someone"), False),
        "organiser out of scope": (_staff(stack, shuofang, "far"), False),
        "guardian": (stack.person("mum", "guardian"), False),
        "partner": (stack.person("agency", "partner"), False),
        "mentor elsewhere": (stack.isolation.headers("mentor", scope=[shuofang], subject="mentor"), False),
    }
    for role, (headers, allowed) in roles.items():
        reads = [
            await stack.volunteering.get(url, headers=headers),
            await stack.volunteering.get(f"{url}/visits", headers=headers),
            await stack.volunteering.get(f"{url}/reviews", headers=headers),
        ]
        assert [r.status_code for r in reads] == [200 if allowed else 404] * 3, role
        batch = await stack.volunteering.get("/v1/pairings", params={"ids": pairing["id"]}, headers=headers)
        assert len(batch.json()["items"]) == (1 if allowed else 0), role
        if not allowed:
            assert all(NOTES not in r.text and "case_" not in r.text for r in reads), role
            writes = [
                await stack.volunteering.post(
                    f"{url}/visits",
                    json={"visited_on": _today(), "kind": "other", "notes": "x"},
                    headers=headers,
                ),
                await stack.volunteering.post(
                    f"{url}:close", json={"end_reason": "terminated"}, headers=headers
                ),
                await stack.volunteering.post(
                    f"{url}/reviews", json={"outcome": "adjust", "summary": "x"}, headers=headers
                ),
            ]
            assert [w.status_code for w in writes] == [404] * 3, role
    missing = await stack.volunteering.get(
        "/v1/pairings/par_000000000000000000000000", headers=_staff(stack, yucai)
    )
    assert missing.status_code == 404
    out_of_scope_list = await stack.volunteering.get(
        "/v1/pairings", params={"host_organization_id": yucai}, headers=_staff(stack, shuofang)
    )
    assert out_of_scope_list.status_code == 403
    after = (await stack.volunteering.get(url, headers=_staff(stack, yucai))).json()
    assert (after["visit_count"], after["status"]) == (1, "active")  # the refused writes changed nothing

    audit = await stack.context.pairings.access_log(pairing["id"])
    refused = {(e["subject"], e["action"]) for e in audit if not e["allowed"]}
    assert {("someone", "read"), ("mum", "read_visits"), ("agency", "close"), ("far", "review")} <= refused
    assert ("helper", "log_visit") in {(e["subject"], e["action"]) for e in audit if e["allowed"]}
    assert [e for e in audit if NOTES in str(e)] == []


async def test_my_pairings_and_those_due_for_review(stack: Stack) -> None:
    yucai, _ = await _communities(stack)
    a, b = (await stack.volunteer("a"))["id"], (await stack.volunteer("b"))["id"]
    staff = _staff(stack, yucai)
    recent = await _signed(stack, yucai, [a])
    overdue_created = await stack.volunteering.post(
        "/v1/pairings", json=_pairing(yucai, [a, b], "many_help_one"), headers=staff
    )
    old = (datetime.now(UTC) - timedelta(days=130)).date().isoformat()
    overdue = (
        await stack.volunteering.post(
            f"/v1/pairings/{overdue_created.json()['id']}:sign", json=_agreement(old), headers=staff
        )
    ).json()
    assert (overdue["review_due"], recent["review_due"]) == (True, False)
    need = (await stack.volunteering.post("/v1/pairings", json=_pairing(yucai, []), headers=staff)).json()

    mine_a = (
        await stack.volunteering.get("/v1/pairings", params={"mine": "true"}, headers=stack.person("a"))
    ).json()
    assert [p["id"] for p in mine_a["items"]] == [recent["id"], overdue["id"]]
    mine_b = (await stack.volunteering.get("/v1/volunteers/me/pairings", headers=stack.person("b"))).json()
    assert [p["id"] for p in mine_b["items"]] == [overdue["id"]]

    due = await stack.volunteering.get(
        "/v1/pairings", params={"host_organization_id": yucai, "due_for_review": "true"}, headers=staff
    )
    assert [p["id"] for p in due.json()["items"]] == [overdue["id"]]
    await stack.volunteering.post(
        f"/v1/pairings/{overdue['id']}/reviews",
        json={"outcome": "continue", "summary": SUMMARY},
        headers=staff,
    )
    after = await stack.volunteering.get(
        "/v1/pairings", params={"host_organization_id": yucai, "due_for_review": "true"}, headers=staff
    )
    assert after.json()["items"] == []

    page1 = (
        await stack.volunteering.get(
            "/v1/pairings", params={"host_organization_id": yucai, "limit": 2}, headers=staff
        )
    ).json()
    page2 = (
        await stack.volunteering.get(
            "/v1/pairings",
            params={"host_organization_id": yucai, "limit": 2, "cursor": page1["next_cursor"]},
            headers=staff,
        )
    ).json()
    assert [p["id"] for p in page1["items"] + page2["items"]] == [recent["id"], overdue["id"], need["id"]]
    by_type = await stack.volunteering.get(
        "/v1/pairings",
        params={"host_organization_id": yucai, "type": "many_help_one", "status": ["active", "reviewed"]},
        headers=staff,
    )
    assert [p["id"] for p in by_type.json()["items"]] == [overdue["id"]]
    early_close = await stack.volunteering.post(
        f"/v1/pairings/{need['id']}:close", json={"end_reason": "employed"}, headers=staff
    )
    assert (early_close.status_code, early_close.json()["code"]) == (422, "end_reason_invalid")
