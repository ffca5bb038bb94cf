"""Main workflows through the graph, and the field-level rules of DESIGN.md §4 as a front end
meets them: a minor's phone reaches only themselves, their guardian and the organiser of an
activity they joined; everyone else gets nothing, and the phone never appears in their answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from gateway_harness import GatewayStack

PHONE = "13900000000"
SIGN_UP = """
mutation ($shift: ID!) { signUpForShift(shiftId: $shift) { id capacity free myStatus activity { title } } }
"""
MINOR = "query ($id: ID!) { volunteer(id: $id) { displayName ageBand { code label } phone } }"


async def test_a_volunteer_signs_up_through_the_graph_and_a_full_shift_waitlists(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    activity = await stack.activity(community, capacity=1)
    shift = (
        await stack.services["volunteering"].get(f"/v1/activities/{activity}", headers=stack.admin())
    ).json()["shift_ids"][0]
    for subject in ("yc-01", "yc-02"):
        await stack.volunteer(subject)

    first = await stack.query(SIGN_UP, {"shift": shift}, headers=stack.headers("volunteer", subject="yc-01"))
    assert "errors" not in first, first
    assert first["data"]["signUpForShift"] == {
        "id": shift,
        "capacity": 1,
        "free": 0,
        "myStatus": "confirmed",
        "activity": {"title": "七彩假期·暑期课业辅导"},
    }
    second = await stack.query(SIGN_UP, {"shift": shift}, headers=stack.headers("volunteer", subject="yc-02"))
    assert second["data"]["signUpForShift"]["myStatus"] == "waitlisted"

    again = await stack.query(SIGN_UP, {"shift": shift}, headers=stack.headers("volunteer", subject="yc-01"))
    assert again["data"] is None
    assert again["errors"][0]["extensions"]["service"] == "volunteering"
    assert again["errors"][0]["extensions"]["status"] == 409


async def test_a_minors_phone_reaches_only_self_guardian_and_the_organiser(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    other = await stack.community("城东社区")
    activity = await stack.activity(community)
    shift = (
        await stack.services["volunteering"].get(f"/v1/activities/{activity}", headers=stack.admin())
    ).json()["shift_ids"][0]
    fifteen = (datetime.now(UTC) - timedelta(days=15 * 365 + 30)).date().isoformat()
    minor = await stack.volunteer("kid", birth_date=fifteen, guardian_subject_id="mum", phone=PHONE)
    consent = await stack.services["volunteering"].post(
        f"/v1/volunteers/{minor}:consent", headers=stack.headers("guardian", subject="mum")
    )
    assert consent.status_code == 200, consent.text
    joined = await stack.query(SIGN_UP, {"shift": shift}, headers=stack.headers("volunteer", subject="kid"))
    assert "errors" not in joined, joined

    allowed = {
        "self": stack.headers("volunteer", subject="kid"),
        "guardian": stack.headers("guardian", subject="mum"),
        "organiser of the joined activity": stack.headers("community_staff", scope=[community]),
    }
    for who, headers in allowed.items():
        answer = await stack.query(MINOR, {"id": minor}, headers=headers)
        assert "errors" not in answer, (who, answer)
        assert answer["data"]["volunteer"]["phone"] == PHONE, who

    refused = {
        "organiser elsewhere": stack.headers("community_staff", scope=[other]),
        "another volunteer": stack.headers("volunteer", subject="someone"),
        "partner agency": stack.headers("partner"),
    }
    for who, headers in refused.items():
        answer = await stack.query(MINOR, {"id": minor}, headers=headers)
        assert PHONE not in json.dumps(answer), who
        volunteer_seen = (answer.get("data") or {}).get("volunteer")
        assert volunteer_seen is None or volunteer_seen["phone"] is None, (who, answer)
