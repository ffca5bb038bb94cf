"""Volunteering's mutations through the graph: an activity planned with its shifts, a minor who
registers with a guardian and gets consent, check-in with the organiser's rotating code (or by
the organiser), check-out, the host's verification of hours one by one or all at once, and a
补录 that only a second organiser may approve. Each refusal keeps the service's code and names
the input field as the graph spells it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from graph_answers import refusal

from gateway_harness import GatewayStack

CREATE_ACTIVITY = """
mutation ($input: ActivityInput!) {
  createActivity(input: $input) { id title status { code } brand shifts { capacity free place minAge } }
}
"""
REGISTER = """
mutation ($input: VolunteerInput!) {
  registerVolunteer(input: $input) { id ageBand { code } consentRecorded }
}
"""
CONSENT = "mutation ($id: ID!) { recordGuardianConsent(volunteerId: $id) { id consentRecorded } }"
SIGN_UP = "mutation ($shift: ID!) { signUpForShift(shiftId: $shift) { myStatus } }"
CODE = "query ($shift: ID!) { checkinCode(shiftId: $shift) { code qrText periodSeconds } }"
CHECK_IN = """
mutation ($shift: ID!, $code: String, $volunteer: ID) {
  checkIn(shiftId: $shift, code: $code, volunteerId: $volunteer) {
    volunteerId status { code } checkinMethod { code } checkedInAt
  }
}
"""
CHECK_OUT = """
mutation ($shift: ID!, $volunteer: ID!) {
  checkOut(shiftId: $shift, volunteerId: $volunteer) { status { code } checkedOutAt }
}
"""
ENTRIES = """
query ($activity: String) {
  hourEntries(activityId: $activity) { nodes { id status { code } method { code } volunteerId } }
}
"""
VERIFY_ALL = "mutation ($activity: ID!) { verifyAllHours(activityId: $activity) { verified skipped } }"
RETRO = """
mutation ($input: RetroactiveHoursInput!) {
  requestRetroactiveHours(input: $input) {
    id status { code } method { code } creditedMinutes evidence { refs } secondApproved
  }
}
"""
VERIFY = "mutation ($id: ID!) { verifyHours(entryId: $id) { status { code } secondApproved } }"
REJECT = (
    "mutation ($id: ID!, $reason: String!) "
    "{ rejectHours(entryId: $id, reason: $reason) { status { code } rejectionReason } }"
)


def activity_input(host: str, starts_at: datetime, capacity: int = 5) -> dict[str, Any]:
    return {
        "title": "七彩假期·社区图书角整理",
        "hostOrganizationId": host,
        "category": "colourful_holiday",
        "brand": "七彩假期",
        "shifts": [
            {
                "startsAt": starts_at.isoformat(),
                "endsAt": (starts_at + timedelta(hours=3)).isoformat(),
                "capacity": capacity,
                "place": "文昌阁社区青年之家",
                "minAge": 12,
            }
        ],
    }


def fifteen_years_ago() -> str:
    return (datetime.now(UTC) - timedelta(days=15 * 365 + 30)).date().isoformat()


async def test_an_activity_is_planned_and_a_minor_registers_with_a_guardian_who_consents(
    stack: GatewayStack,
) -> None:
    community = await stack.community("文昌阁社区")
    staff = stack.headers("community_staff", scope=[community], subject="organiser")
    start = datetime.now(UTC) + timedelta(days=3)

    created = await stack.query(CREATE_ACTIVITY, {"input": activity_input(community, start)}, headers=staff)
    assert "errors" not in created, created
    activity = created["data"]["createActivity"]
    assert activity["status"]["code"] == "planned"
    assert activity["brand"] == "七彩假期"
    assert activity["shifts"] == [{"capacity": 5, "free": 5, "place": "文昌阁社区青年之家", "minAge": 12}]

    empty = activity_input(community, start, capacity=0)
    refused = refusal(await stack.query(CREATE_ACTIVITY, {"input": empty}, headers=staff))
    assert refused["field"] == "shifts.0.capacity"
    assert refused["service"] == "volunteering"
    assert refused["status"] == 422

    kid = stack.headers("volunteer", subject="kid-15")
    minor = {"displayName": "小明", "birthDate": fifteen_years_ago(), "volunteerType": "youth"}
    unguarded = refusal(await stack.query(REGISTER, {"input": minor}, headers=kid))
    assert (unguarded["code"], unguarded["field"]) == ("guardian_required", "guardianSubjectId")

    registered = await stack.query(REGISTER, {"input": minor | {"guardianSubjectId": "mum-15"}}, headers=kid)
    assert "errors" not in registered, registered
    volunteer = registered["data"]["registerVolunteer"]
    assert (volunteer["ageBand"]["code"], volunteer["consentRecorded"]) == ("minor", False)

    stranger = await stack.query(
        CONSENT, {"id": volunteer["id"]}, headers=stack.headers("guardian", subject="not-mum")
    )
    assert refusal(stranger)["status"] == 403
    consented = await stack.query(
        CONSENT, {"id": volunteer["id"]}, headers=stack.headers("guardian", subject="mum-15")
    )
    assert consented["data"]["recordGuardianConsent"] == {"id": volunteer["id"], "consentRecorded": True}


async def test_check_in_with_the_rotating_code_check_out_and_the_host_verifies_all(
    stack: GatewayStack,
) -> None:
    community = await stack.community("文昌阁社区")
    staff = stack.headers("community_staff", scope=[community], subject="organiser")
    soon = datetime.now(UTC) + timedelta(minutes=10)  # check-in opens 30 minutes before the start
    created = await stack.query(CREATE_ACTIVITY, {"input": activity_input(community, soon)}, headers=staff)
    activity_id = created["data"]["createActivity"]["id"]
    published = await stack.query(
        "mutation ($id: ID!) { actOnActivity(id: $id, action: PUBLISH) { status { code } } }",
        {"id": activity_id},
        headers=staff,
    )
    assert published["data"]["actOnActivity"]["status"]["code"] == "published", published
    shift = await stack.first_shift(activity_id)
    ids = {subject: await stack.volunteer(subject) for subject in ("yc-a", "yc-b")}
    for subject in ids:
        joined = await stack.query(
            SIGN_UP, {"shift": shift}, headers=stack.headers("volunteer", subject=subject)
        )
        assert joined["data"]["signUpForShift"]["myStatus"] == "confirmed", joined
    volunteer_a = stack.headers("volunteer", subject="yc-a")

    not_organiser = refusal(await stack.query(CODE, {"shift": shift}, headers=volunteer_a))
    assert (not_organiser["code"], not_organiser["status"]) == ("role_required", 403)
    elsewhere = stack.headers("community_staff", scope=[await stack.community("城东社区")])
    out_of_scope = refusal(await stack.query(CODE, {"shift": shift}, headers=elsewhere))
    assert (out_of_scope["status"], out_of_scope["field"]) == (403, "shiftId")
    shown = await stack.query(CODE, {"shift": shift}, headers=staff)
    assert "errors" not in shown, shown
    code = shown["data"]["checkinCode"]
    assert len(code["code"]) == 6
    assert shift in code["qrText"]

    wrong = "000000" if code["code"] != "000000" else "111111"
    bad = refusal(await stack.query(CHECK_IN, {"shift": shift, "code": wrong}, headers=volunteer_a))
    assert (bad["code"], bad["field"]) == ("checkin_code_invalid", "code")

    scanned = await stack.query(CHECK_IN, {"shift": shift, "code": code["qrText"]}, headers=volunteer_a)
    assert "errors" not in scanned, scanned
    attended = scanned["data"]["checkIn"]
    assert (attended["volunteerId"], attended["status"]["code"]) == (ids["yc-a"], "attended")
    assert attended["checkinMethod"]["code"] == "code"
    by_organiser = await stack.query(CHECK_IN, {"shift": shift, "volunteer": ids["yc-b"]}, headers=staff)
    assert by_organiser["data"]["checkIn"]["checkinMethod"]["code"] == "organizer", by_organiser

    left = await stack.query(CHECK_OUT, {"shift": shift, "volunteer": ids["yc-a"]}, headers=volunteer_a)
    assert left["data"]["checkOut"]["checkedOutAt"] is not None, left
    twice = refusal(
        await stack.query(CHECK_OUT, {"shift": shift, "volunteer": ids["yc-a"]}, headers=volunteer_a)
    )
    assert (twice["code"], twice["field"]) == ("already_checked_out", "volunteerId")
    await stack.query(CHECK_OUT, {"shift": shift, "volunteer": ids["yc-b"]}, headers=staff)

    pending = await stack.query(ENTRIES, {"activity": activity_id}, headers=staff)
    entries = pending["data"]["hourEntries"]["nodes"]
    assert sorted(e["volunteerId"] for e in entries) == sorted(ids.values())
    assert {e["status"]["code"] for e in entries} == {"pending"}

    not_host = refusal(await stack.query(VERIFY_ALL, {"activity": activity_id}, headers=elsewhere))
    assert (not_host["status"], not_host["field"]) == (403, "activityId")
    done = await stack.query(VERIFY_ALL, {"activity": activity_id}, headers=staff)
    assert done["data"]["verifyAllHours"] == {"verified": 2, "skipped": 0}, done
    after = await stack.query(ENTRIES, {"activity": activity_id}, headers=staff)
    assert {e["status"]["code"] for e in after["data"]["hourEntries"]["nodes"]} == {"verified"}


async def test_a_retroactive_entry_needs_evidence_and_a_second_approver(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    street = stack.streets["新华街道团工委"]
    requester = stack.headers("community_staff", scope=[community], subject="organiser-1")
    second = stack.headers("district_admin", scope=[street], subject="organiser-2")
    volunteer_id = await stack.volunteer("yc-retro")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    claim = {
        "volunteerId": volunteer_id,
        "hostOrganizationId": community,
        "servedOn": yesterday,
        "minutes": 240,
        "activityTitle": "七彩假期·暑期课业辅导（未签到）",
        "evidence": {"description": "社区书记现场见证，签到表照片", "refs": ["photo-2024-07-01.jpg"]},
    }

    over_cap = refusal(await stack.query(RETRO, {"input": claim | {"minutes": 600}}, headers=requester))
    assert (over_cap["code"], over_cap["field"]) == ("daily_cap_exceeded", "minutes")
    no_evidence = claim | {"evidence": {"description": "见证", "refs": []}}
    empty = refusal(await stack.query(RETRO, {"input": no_evidence}, headers=requester))
    assert empty["field"] == "evidence.refs"

    asked = await stack.query(RETRO, {"input": claim}, headers=requester)
    assert "errors" not in asked, asked
    entry = asked["data"]["requestRetroactiveHours"]
    assert (entry["status"]["code"], entry["method"]["code"]) == ("pending", "retroactive")
    assert (entry["creditedMinutes"], entry["evidence"]["refs"]) == (240, ["photo-2024-07-01.jpg"])
    assert entry["secondApproved"] is False

    own = refusal(await stack.query(VERIFY, {"id": entry["id"]}, headers=requester))
    assert (own["code"], own["field"]) == ("second_approver_required", "entryId")
    approved = await stack.query(VERIFY, {"id": entry["id"]}, headers=second)
    assert approved["data"]["verifyHours"] == {"status": {"code": "verified"}, "secondApproved": True}

    another = await stack.query(
        RETRO, {"input": claim | {"servedOn": date.today().isoformat()}}, headers=requester
    )
    rejected = await stack.query(
        REJECT, {"id": another["data"]["requestRetroactiveHours"]["id"], "reason": "证明不足"}, headers=second
    )
    assert rejected["data"]["rejectHours"] == {"status": {"code": "rejected"}, "rejectionReason": "证明不足"}
    again = refusal(await stack.query(VERIFY, {"id": entry["id"]}, headers=second))
    assert again["field"] == "status"
