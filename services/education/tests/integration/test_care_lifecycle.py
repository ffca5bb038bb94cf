"""A care case's whole life on the real stack: no personal detail reaches a log line or an event,
helpers arrive (once) from volunteering's pairings, and statistics withhold small cells."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from education_harness import Stack
from qingchun_contracts.volunteering import PairingClosed, PairingSigned, PairingVisitLogged
from qingchun_education.domain.care import CareCategory
from qingchun_plumbing.testing.fixtures import EventTap

OPENED = "qingchun.education.care_case.opened.v1"
CHANGED = "qingchun.education.care_case.outcome_changed.v1"
NAME, BORN, GUARDIAN = "李小明", "2009-04-17", "李建国"
VISIT_NOTE, ESCALATION_NOTE = "母亲身体欠佳,孩子夜不归宿", "发现其被成年人教唆盗窃"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


async def _case(stack: Stack, community: str, **fields: Any) -> str:
    body = {
        "jurisdiction_organization_id": community,
        "youth": {"display_name": NAME, "birth_date": BORN, "contact": "13800002222"},
        "categories": ["single_parent", "misconduct_record", "dropped_out"],
        "guardian": {"name": GUARDIAN, "relation": "mother"},
        "schooling_status": "dropped_out",
        "employment_status": "unemployed",
        "measures": ["pairing", "law_education"],
        "responsible_person_subject_id": "carer",
    } | fields
    created = await stack.education.post("/v1/care-cases", json=body, headers=stack.staff(community))
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    return case_id


async def _move(stack: Stack, community: str, case_id: str, *actions: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for action in actions:
        moved = await stack.education.post(
            f"/v1/care-cases/{case_id}/transitions", json={"action": action}, headers=stack.staff(community)
        )
        assert moved.status_code == 200, (action, moved.text)
        body = moved.json()
    return body


def _signed(case_id: str, host: str, pairing_id: str = "par_0000000000000000000000c1") -> PairingSigned:
    return PairingSigned(
        pairing_id=pairing_id,
        pairing_type="one_mentors_one",
        host_organization_id=host,
        beneficiary_kind="care_case",
        beneficiary_ref=case_id,
        helper_volunteer_ids=["vol_0000000000000000000000b1"],
        helper_subject_ids=["mentor7"],
        signed_on=_today(),
    )


async def _until(stack: Stack, case_id: str, check: Any, within: float = 5) -> dict[str, Any]:
    """Poll the stored case until ``check(case)`` holds (events are handled asynchronously)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        case = await stack.context.care.case(case_id)
        if case is not None and check(case):
            return case
        assert asyncio.get_running_loop().time() < deadline, "the case never reached the expected state"
        await asyncio.sleep(0.05)


async def test_no_personal_detail_reaches_logs_or_events_in_a_whole_life(
    stack: Stack, event_tap: EventTap, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    community = await stack.community()
    staff = stack.staff(community)
    case_id = await _case(stack, community)
    await _move(stack, community, case_id, "file", "assign")
    await stack.publish(_signed(case_id, community))
    await _until(stack, case_id, lambda c: [h["subject_id"] for h in c["helpers"]] == ["mentor7"])
    await _move(stack, community, case_id, "start_help")
    visit = await stack.education.post(
        f"/v1/care-cases/{case_id}/visits",
        json={"visited_on": _today(), "kind": "home_visit", "notes": VISIT_NOTE},
        headers=stack.person("mentor7", "mentor"),
    )
    assert visit.status_code == 201, visit.text
    await _move(stack, community, case_id, "improve", "reoffend")
    escalated = await stack.education.post(
        f"/v1/care-cases/{case_id}/escalations",
        json={"to": "police", "reason_code": "incitement", "note": ESCALATION_NOTE},
        headers=staff,
    )
    assert escalated.status_code == 201, escalated.text
    closed = await _move(stack, community, case_id, "improve", "close")
    assert (closed["status"], closed["outcome"]["code"], closed["reoffended"]) == ("closed", "improved", True)
    visits = await stack.education.get(f"/v1/care-cases/{case_id}/visits", headers=staff)
    assert [v["notes"] for v in visits.json()["items"]] == [VISIT_NOTE]

    opened = await event_tap.wait_for(OPENED, lambda e: e.data["case_id"] == case_id)
    assert opened.data["need_codes"] == ["pairing", "law_education"]
    assert opened.data["referral_consented"] is False  # nobody asked the youth: employment stays out
    await event_tap.wait_for(CHANGED, lambda e: e.data["case_id"] == case_id and e.data["status"] == "closed")
    changes = [(e.data["status"], e.data["reoffended"]) for e in event_tap.of_type(CHANGED)]
    assert changes == [("improved", False), ("under_help", True), ("improved", True), ("closed", True)]

    events = json.dumps([e.model_dump(mode="json") for e in event_tap.received], ensure_ascii=False)
    logs = (
        json.dumps([{k: str(v) for k, v in vars(r).items()} for r in caplog.records], ensure_ascii=False)
        + caplog.text
    )
    secrets = [NAME, BORN, GUARDIAN, VISIT_NOTE, ESCALATION_NOTE, "13800002222"]
    secrets += [c.value for c in CareCategory] + [c.label for c in CareCategory]
    assert [s for s in secrets if s in events] == []
    leaking = {r.name for r in caplog.records if any(s in str(vars(r)) for s in secrets)}
    assert leaking == set()
    assert [s for s in secrets if s in logs] == []
    assert any(case_id in str(vars(r)) for r in caplog.records)  # the capture saw the case's own logs


async def test_pairings_bring_helpers_once_and_take_them_away(stack: Stack) -> None:
    community = await stack.community()
    case_id = await _case(stack, community)
    await _move(stack, community, case_id, "file", "assign")
    elsewhere = await stack.org("城南街道团工委", "league_working_committee", stack.city_id)
    await stack.publish(_signed(case_id, elsewhere, "par_0000000000000000000000e1"))  # not where it is run
    signed = await stack.publish(_signed(case_id, community))
    await stack.republish(signed)
    await stack.publish(_signed(case_id, community))  # the same pairing told again, new event id
    case = await _until(stack, case_id, lambda c: len(c["helpers"]) > 0)
    visit = PairingVisitLogged(
        pairing_id="par_0000000000000000000000c1",
        pairing_type="one_mentors_one",
        host_organization_id=community,
        beneficiary_kind="care_case",
        beneficiary_ref=case_id,
        visit_id="vis_0000000000000000000000d1",
        visited_on=_today(),
    )
    logged = await stack.publish(visit)
    await stack.republish(logged)
    await _until(stack, case_id, lambda c: c["visit_count"] > 0)
    await asyncio.sleep(0.4)  # give the duplicates time to (not) land
    case = await _until(stack, case_id, lambda c: True)
    assert [(h["subject_id"], h["pairing_id"]) for h in case["helpers"]] == [
        ("mentor7", "par_0000000000000000000000c1")
    ]
    assert (case["visit_count"], case["last_visited_on"]) == (1, _today())
    read = await stack.education.get(f"/v1/care-cases/{case_id}", headers=stack.person("mentor7", "mentor"))
    assert read.status_code == 200

    await stack.publish(
        PairingClosed(
            pairing_id="par_0000000000000000000000c1",
            pairing_type="one_mentors_one",
            host_organization_id=community,
            beneficiary_kind="care_case",
            beneficiary_ref=case_id,
            end_reason_code="completed_studies",
            closed_on=_today(),
        )
    )
    await _until(stack, case_id, lambda c: c["helpers"] == [])
    gone = await stack.education.get(f"/v1/care-cases/{case_id}", headers=stack.person("mentor7", "mentor"))
    assert (gone.status_code, gone.json()["code"]) == (403, "care_access_refused")


async def test_refused_moves_and_bad_input_write_nothing(stack: Stack) -> None:
    community = await stack.community()
    case_id = await _case(stack, community, responsible_person_subject_id=None)
    staff = stack.staff(community)
    url = f"/v1/care-cases/{case_id}/transitions"
    early = await stack.education.post(url, json={"action": "close"}, headers=staff)
    assert (early.status_code, early.json()["code"]) == (409, "invalid_transition")
    await _move(stack, community, case_id, "file")
    nobody = await stack.education.post(url, json={"action": "assign"}, headers=staff)
    assert (nobody.status_code, nobody.json()["field"]) == (409, "responsible_person_subject_id")
    future = await stack.education.patch(
        f"/v1/care-cases/{case_id}",
        json={"youth": {"display_name": NAME, "birth_date": "2999-01-01"}},
        headers=staff,
    )
    assert (future.status_code, future.json()["field"]) == (422, "youth.birth_date")
    assert "2999" not in future.text
    twice = await stack.education.patch(
        f"/v1/care-cases/{case_id}", json={"categories": ["poor", "poor"]}, headers=staff
    )
    assert (twice.status_code, twice.json()["field"]) == (422, "categories.1")
    case = await stack.context.care.case(case_id)
    assert case is not None
    assert (case["version"], case["status"]) == (2, "filed")


async def test_statistics_withhold_small_cells_for_supervisors_only(stack: Stack) -> None:
    street = await stack.org("城北街道团工委", "league_working_committee", stack.city_id)
    community = await stack.org("育才街社区", "community", street)
    for _ in range(5):
        await _case(stack, community)  # at the survey stage
        await _move(stack, community, await _case(stack, community), "file")
    await _move(stack, community, await _case(stack, community), "file", "assign")
    url, params = "/v1/care-statistics", {"organization_id": street}
    refused = await stack.education.get(url, params=params, headers=stack.staff(community))
    assert refused.status_code == 403
    stats = await stack.education.get(url, params=params, headers=stack.staff(street, "district_admin"))
    assert stats.status_code == 200, stats.text
    body = stats.json()
    by_status = {c["code"]: (c["value"], c["suppressed"]) for c in body["by_status"]}
    assert by_status["assigned"] == (None, True)  # one case: a small cell
    # 11 − 5 shown would give the 1 away, so one of the two fives is withheld as well.
    assert sorted([by_status["filed"], by_status["identified"]], key=str) == [(5, False), (None, True)]
    figures = {c["code"]: (c["value"], c["suppressed"]) for c in body["figures"]}
    assert figures["total"] == (11, False)
    assert figures["dropout"] == (11, False)
    rates = {r["code"]: (r["value"], r["suppressed"]) for r in body["rates"]}
    assert rates["dropout_share"] == (1.0, False)
    assert rates["improvement_rate"] == (None, True)
    assert NAME not in stats.text


async def test_the_opening_event_says_a_referral_was_consented_and_nothing_more(
    stack: Stack, event_tap: EventTap
) -> None:
    community = await stack.community()
    case_id = await _case(stack, community, referral_consented=True, measures=["skills_training"])
    await _move(stack, community, case_id, "file")
    opened = await event_tap.wait_for(OPENED, lambda e: e.data["case_id"] == case_id)
    assert (opened.data["referral_consented"], opened.data["need_codes"]) == (True, ["skills_training"])
    assert NAME not in opened.model_dump_json()
