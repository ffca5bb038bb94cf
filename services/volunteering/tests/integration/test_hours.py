"""Check-in, crediting, verification, 补录 and stars on the real store and bus."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hours_harness import RECENT, T0, at, code, community, eventually, evidence, running_activity, signed_up

from qingchun_contracts.volunteering import HoursVerified
from qingchun_plumbing.inbox import INBOX
from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_volunteering.domain.checkin_codes import current_code
from volunteering_harness import Stack

VERIFIED = "qingchun.volunteering.hours.verified.v1"
STAR = "qingchun.volunteering.volunteer.star_level_reached.v1"
M = timedelta(minutes=1)


def staff(stack: Stack, subject: str, org: str, *extra: str) -> dict[str, str]:
    return stack.isolation.headers("community_staff", *extra, scope=[org], subject=subject)


async def entries_of(stack: Stack, volunteer_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await stack.context.hours.find_entries(
        {"volunteer_id": volunteer_id}, None, 100
    )
    return found


async def volunteer_doc(stack: Stack, volunteer_id: str) -> dict[str, Any]:
    found = await stack.context.store.volunteer(volunteer_id)
    assert found is not None
    return found


async def test_code_check_in_out_then_verify_counts_toward_the_total(
    stack: Stack, event_tap: EventTap
) -> None:
    host = await community(stack)
    activity = await running_activity(stack, host)
    shift_id = activity["shift_ids"][0]
    volunteer = await signed_up(stack, "v1", shift_id)
    at(stack, T0 + 5 * M)
    shown = await code(stack, shift_id)
    checked = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/checkins", json={"code": shown["qr_text"]}, headers=stack.person("v1")
    )
    assert checked.status_code == 200, checked.text
    assert (checked.json()["status"], checked.json()["checkin_method"]) == ("attended", "code")
    again = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/checkins", json={"code": shown["code"]}, headers=stack.person("v1")
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_checked_in")

    at(stack, T0 + 120 * M)
    out = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{volunteer['id']}:check-out", headers=stack.person("v1")
    )
    assert out.status_code == 200, out.text
    [entry] = await entries_of(stack, volunteer["id"])
    # the platform default: half hours rounded down (115 raw minutes → 90)
    assert (entry["raw_minutes"], entry["credited_minutes"], entry["method"], entry["status"]) == (
        115,
        90,
        "code",
        "pending",
    )
    assert entry["activity_title"] == "七彩假期·暑期课业辅导"
    assert (await volunteer_doc(stack, volunteer["id"]))["attended_count"] == 1

    verified = await stack.volunteering.post(f"/v1/hour-entries/{entry['_id']}:verify", headers=stack.admin())
    assert verified.status_code == 200, verified.text
    assert verified.json()["status"] == "verified"
    event = await event_tap.wait_for(VERIFIED, where=lambda e: e.data["entry_id"] == entry["_id"])
    assert (event.data["minutes"], event.data["method"]) == (90, "code")

    async def counted() -> bool:
        return (await volunteer_doc(stack, volunteer["id"]))["verified_minutes"] == 90

    await eventually(counted, "the verified minutes never reached the volunteer's total")
    me = (await stack.volunteering.get("/v1/volunteers/me", headers=stack.person("v1"))).json()
    assert (me["verified_minutes"], me["star_level"]) == (90, 0)


async def test_the_same_hours_event_delivered_twice_counts_once(stack: Stack, event_tap: EventTap) -> None:
    volunteer = await stack.volunteer("v1")
    envelope = stack.context.events.envelope(
        HoursVerified(
            entry_id="hrs_000000000000000000000001",
            volunteer_id=volunteer["id"],
            subject_id="v1",
            host_organization_id=stack.city_id,
            minutes=100 * 60,
            method="retroactive",
            served_on="2024-07-13",
        ),
        subject=volunteer["id"],
    )
    runtime = stack.volunteering_app.state.runtime
    inbox = runtime.db[INBOX]

    async def handled() -> bool:
        return await inbox.find_one({"_id": envelope.id}) is not None

    await runtime.bus.publish(envelope)
    await runtime.bus.publish(envelope)  # a redelivery: the inbox turns it away
    await eventually(handled, "the consumer never handled the event")
    reached = await event_tap.wait_for(STAR, where=lambda e: e.data["volunteer_id"] == volunteer["id"])
    assert (reached.data["star_level"], reached.data["verified_minutes"]) == (1, 6000)
    # Now as if the service crashed after its write but before recording the event as handled:
    # the handler itself must find nothing left to change.
    await inbox.delete_one({"_id": envelope.id})
    await runtime.bus.publish(envelope)
    await eventually(handled, "the consumer never handled the redelivery")
    after = await volunteer_doc(stack, volunteer["id"])
    assert (after["verified_minutes"], after["star_level"]) == (6000, 1)
    assert len(event_tap.of_type(STAR)) == 1


async def test_check_in_refusals_write_nothing(stack: Stack) -> None:
    host = await community(stack)
    activity = await running_activity(stack, host, shifts=2)
    first, second = activity["shift_ids"]
    await signed_up(stack, "v1", first)
    await stack.volunteer("v2")
    at(stack, T0 + 10 * M)
    secret = stack.context.settings.checkin_code_secret.get_secret_value().encode()
    period = stack.context.settings.checkin_code_period_seconds
    stale = current_code(secret, first, T0 + 10 * M - 5 * M, period)
    other = await code(stack, second)
    now = await code(stack, first)
    refusals = [
        ("v1", stale.qr_text, 422, "checkin_code_expired"),
        ("v1", stale.code, 422, "checkin_code_expired"),
        ("v1", other["qr_text"], 422, "checkin_code_other_shift"),
        ("v1", "000000" if now["code"] != "000000" else "111111", 422, "checkin_code_invalid"),
        ("v2", now["qr_text"], 409, "not_signed_up"),
    ]
    for subject, given, status, problem in refusals:
        response = await stack.volunteering.post(
            f"/v1/shifts/{first}/checkins", json={"code": given}, headers=stack.person(subject)
        )
        assert (response.status_code, response.json()["code"]) == (status, problem), given
    at(stack, T0 - 31 * M)
    early = await stack.volunteering.post(
        f"/v1/shifts/{first}/checkins",
        json={"code": (await code(stack, first))["code"]},
        headers=stack.person("v1"),
    )
    assert (early.status_code, early.json()["code"]) == (422, "checkin_closed")
    shift = await stack.context.store.shift(first)
    assert shift is not None
    assert [e["status"] for e in shift["signups"]] == ["confirmed"]
    assert all("checked_in_at" not in e for e in shift["signups"])


async def test_crediting_rules_are_configuration_inherited_down_the_tree(stack: Stack) -> None:
    host = await community(stack)
    street = (await stack.context.orgs.ancestor_ids(host))[0]
    default = (
        await stack.volunteering.get(f"/v1/organizations/{host}/crediting-rules", headers=stack.admin())
    ).json()
    assert (default["source_organization_id"], default["daily_cap_minutes"]) == (None, 480)
    rules = {
        "min_minutes": 15,
        "bands": [{"from_minutes": 0, "unit_minutes": 15}, {"from_minutes": 120, "unit_minutes": 30}],
        "daily_cap_minutes": 120,
    }
    put = await stack.volunteering.put(
        f"/v1/organizations/{street}/crediting-rules", json=rules, headers=staff(stack, "s1", street)
    )
    assert put.status_code == 200, put.text
    inherited = (
        await stack.volunteering.get(f"/v1/organizations/{host}/crediting-rules", headers=stack.admin())
    ).json()
    assert (inherited["source_organization_id"], inherited["source_label"]) == (street, "上级组织规则")
    assert inherited["bands"][1] == {
        "from_minutes": 120,
        "unit_minutes": 30,
        "rounding": "down",
        "rounding_label": "向下取整",
    }

    bad = rules | {
        "bands": [{"from_minutes": 0, "unit_minutes": 15}, {"from_minutes": 100, "unit_minutes": 20}]
    }
    misaligned = await stack.volunteering.put(
        f"/v1/organizations/{host}/crediting-rules", json=bad, headers=stack.admin()
    )
    assert (misaligned.status_code, misaligned.json()["code"], misaligned.json()["field"]) == (
        422,
        "bands_misaligned",
        "bands.1.from_minutes",
    )
    zero_cap = await stack.volunteering.put(
        f"/v1/organizations/{host}/crediting-rules",
        json=rules | {"daily_cap_minutes": 0},
        headers=stack.admin(),
    )
    assert zero_cap.status_code == 422
    outsider = await stack.volunteering.put(
        f"/v1/organizations/{host}/crediting-rules", json=rules, headers=stack.person("v1")
    )
    assert (outsider.status_code, outsider.json()["code"]) == (403, "role_required")
    assert (await stack.context.hours.rules_of([host])) == {}


async def test_daily_cap_refuses_claims_and_clips_automatic_credit(stack: Stack) -> None:
    host = await community(stack)
    rules = {"min_minutes": 15, "bands": [{"from_minutes": 0, "unit_minutes": 5}], "daily_cap_minutes": 120}
    assert (
        await stack.volunteering.put(
            f"/v1/organizations/{host}/crediting-rules", json=rules, headers=stack.admin()
        )
    ).status_code == 200
    activity = await running_activity(stack, host)
    shift_id = activity["shift_ids"][0]
    volunteer = await signed_up(stack, "v1", shift_id)
    at(stack, T0 + 5 * M)
    served_on = (T0 + 5 * M).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    claim = {
        "host_organization_id": host,
        "served_on": served_on,
        "minutes": 100,
        "activity_title": "社区环境卫生整治",
        "evidence": evidence(),
    }
    first = await stack.volunteering.post("/v1/hour-entries", json=claim, headers=stack.person("v1"))
    assert first.status_code == 201, first.text
    over = await stack.volunteering.post(
        "/v1/hour-entries", json=claim | {"minutes": 30}, headers=stack.person("v1")
    )
    assert (over.status_code, over.json()["code"], over.json()["field"]) == (
        422,
        "daily_cap_exceeded",
        "minutes",
    )
    assert len(await entries_of(stack, volunteer["id"])) == 1

    checked_in = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{volunteer['id']}:check-in", headers=stack.admin()
    )
    assert checked_in.status_code == 200, checked_in.text
    at(stack, T0 + 120 * M)
    out = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{volunteer['id']}:check-out", headers=stack.admin()
    )
    assert out.status_code == 200, out.text
    auto = (await stack.context.hours.entry_for_shift(volunteer["id"], shift_id)) or {}
    assert (auto["raw_minutes"], auto["credited_minutes"], auto["method"]) == (115, 20, "organizer")

    # a rejected claim gives its minutes back to the day
    rejected = await stack.volunteering.post(
        f"/v1/hour-entries/{first.json()['id']}:reject", json={"reason": "证据不足"}, headers=stack.admin()
    )
    assert rejected.status_code == 200, rejected.text
    again = await stack.volunteering.post(
        "/v1/hour-entries", json=claim | {"minutes": 100}, headers=stack.person("v1")
    )
    assert again.status_code == 201, again.text


async def test_retroactive_needs_evidence_a_past_date_and_a_second_approver(
    stack: Stack, event_tap: EventTap
) -> None:
    host = await community(stack)
    volunteer = await stack.volunteer("v1")
    claim: dict[str, Any] = {
        "volunteer_id": volunteer["id"],
        "host_organization_id": host,
        "served_on": RECENT,
        "minutes": 120,
        "activity_title": "“3·5”学雷锋",
        "evidence": evidence(),
    }
    o1, o2 = staff(stack, "o1", host), staff(stack, "o2", host)
    bad_claims = [
        ({k: v for k, v in claim.items() if k != "evidence"}, "evidence"),
        (claim | {"evidence": {"description": "见照片", "refs": []}}, "evidence.refs"),
        (claim | {"evidence": {"description": "见照片", "refs": ["not a ref!"]}}, "evidence.refs.0"),
        (claim | {"served_on": "2999-01-01"}, "served_on"),
        (claim | {"minutes": 0}, "minutes"),
    ]
    for body, field in bad_claims:
        response = await stack.volunteering.post("/v1/hour-entries", json=body, headers=o1)
        assert (response.status_code, response.json()["field"]) == (422, field), response.text
    someone_else = await stack.volunteering.post("/v1/hour-entries", json=claim, headers=stack.person("v2"))
    assert someone_else.status_code == 403
    assert await entries_of(stack, volunteer["id"]) == []

    requested = await stack.volunteering.post("/v1/hour-entries", json=claim, headers=o1)
    assert requested.status_code == 201, requested.text
    entry_id = requested.json()["id"]
    assert (requested.json()["method"], requested.json()["requested_by"]) == ("retroactive", "o1")
    same = await stack.volunteering.post(f"/v1/hour-entries/{entry_id}:verify", headers=o1)
    assert (same.status_code, same.json()["code"]) == (403, "second_approver_required")
    assert (await stack.context.hours.entry(entry_id) or {})["status"] == "pending"
    approved = await stack.volunteering.post(f"/v1/hour-entries/{entry_id}:verify", headers=o2)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("verified", "o2")
    event = await event_tap.wait_for(VERIFIED, where=lambda e: e.data["entry_id"] == entry_id)
    assert (event.data["method"], event.data["minutes"]) == ("retroactive", 120)
    twice = await stack.volunteering.post(f"/v1/hour-entries/{entry_id}:verify", headers=o2)
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")


async def test_nobody_verifies_their_own_hours(stack: Stack) -> None:
    host = await community(stack)
    organiser_volunteer = await stack.volunteer("o1")
    own = staff(stack, "o1", host, "volunteer")
    claim = {
        "host_organization_id": host,
        "served_on": RECENT,
        "minutes": 60,
        "activity_title": "垃圾分类宣传",
        "evidence": evidence(),
    }
    requested = await stack.volunteering.post("/v1/hour-entries", json=claim, headers=own)
    assert requested.status_code == 201, requested.text
    verified = await stack.volunteering.post(f"/v1/hour-entries/{requested.json()['id']}:verify", headers=own)
    assert (verified.status_code, verified.json()["code"]) == (403, "own_hours")
    [entry] = await entries_of(stack, organiser_volunteer["id"])
    assert (entry["status"], entry["version"]) == ("pending", 1)


async def test_completing_marks_no_shows_credits_open_check_ins_and_verify_waits_for_hours(
    stack: Stack, event_tap: EventTap
) -> None:
    host = await community(stack)
    activity = await running_activity(stack, host)
    shift_id = activity["shift_ids"][0]
    came = await signed_up(stack, "v1", shift_id)
    absent = await signed_up(stack, "v2", shift_id)
    at(stack, T0 + 60 * M)
    checked_in = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{came['id']}:check-in", headers=stack.admin()
    )
    assert checked_in.status_code == 200, checked_in.text
    at(stack, T0 + 200 * M)
    completed = await stack.volunteering.post(
        f"/v1/activities/{activity['id']}:complete", headers=stack.admin()
    )
    assert completed.status_code == 200, completed.text
    event = await event_tap.wait_for("qingchun.volunteering.activity.completed.v1")
    assert (event.data["sessions"], event.data["participants"], event.data["credited_minutes"]) == (1, 1, 120)
    [entry] = await entries_of(stack, came["id"])
    assert (entry["raw_minutes"], entry["method"]) == (120, "organizer")
    shift = await stack.context.store.shift(shift_id)
    assert shift is not None
    assert {e["volunteer_id"]: e["status"] for e in shift["signups"]} == {
        came["id"]: "attended",
        absent["id"]: "no_show",
    }
    assert (await volunteer_doc(stack, absent["id"]))["no_show_count"] == 1

    waiting = await stack.volunteering.post(f"/v1/activities/{activity['id']}:verify", headers=stack.admin())
    assert (waiting.status_code, waiting.json()["code"]) == (409, "hours_pending")
    everything = await stack.volunteering.post(
        f"/v1/activities/{activity['id']}/hour-entries:verify-all", headers=stack.admin()
    )
    assert everything.json() == {"verified": 1, "skipped": 0}
    verified = await stack.volunteering.post(f"/v1/activities/{activity['id']}:verify", headers=stack.admin())
    assert verified.status_code == 200, verified.text
    done = await event_tap.wait_for("qingchun.volunteering.activity.verified.v1")
    assert (done.data["verified_minutes"], done.data["participants"]) == (120, 1)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("minor", True),
        ("guardian", True),
        ("host_staff", True),
        ("city_admin", True),
        ("other_volunteer", False),
        ("other_staff", False),
        ("partner", False),
    ],
)
async def test_a_minors_hour_entries_are_seen_only_by_them_their_guardian_and_the_host(
    stack: Stack, who: str, sees: bool
) -> None:
    host = await community(stack)
    other = await community(stack, "新华街社区")
    minor = await stack.volunteer("minor", born="2010-03-01", guardian_subject_id="guardian")
    await stack.volunteer("other_volunteer")
    claim = {
        "volunteer_id": minor["id"],
        "host_organization_id": host,
        "served_on": RECENT,
        "minutes": 60,
        "activity_title": "七彩假期·图书整理",
        "evidence": evidence(),
    }
    created = await stack.volunteering.post("/v1/hour-entries", json=claim, headers=staff(stack, "o1", host))
    assert created.status_code == 201, created.text
    headers = {
        "minor": stack.person("minor"),
        "guardian": stack.person("guardian", "guardian"),
        "host_staff": staff(stack, "o2", host),
        "city_admin": stack.admin(),
        "other_volunteer": stack.person("other_volunteer"),
        "other_staff": staff(stack, "o3", other),
        "partner": stack.isolation.headers("partner", subject="partner-1"),
    }[who]
    one = await stack.volunteering.get(f"/v1/hour-entries/{created.json()['id']}", headers=headers)
    listed = await stack.volunteering.get(
        "/v1/hour-entries", params={"volunteer_id": minor["id"]}, headers=headers
    )
    batch = await stack.volunteering.get(
        "/v1/hour-entries", params={"ids": created.json()["id"]}, headers=headers
    )
    if sees:
        assert one.status_code == 200, one.text
        assert [e["id"] for e in listed.json()["items"]] == [created.json()["id"]]
        assert len(batch.json()["items"]) == 1
    else:
        assert (one.status_code, one.json()["code"]) == (403, "not_visible")
        assert listed.status_code == 403 or listed.json()["items"] == []
        assert batch.json()["items"] == []


async def test_the_daily_cap_holds_under_simultaneous_claims(stack: Stack) -> None:
    host = await community(stack)
    volunteer = await stack.volunteer("v1")
    claim = {
        "volunteer_id": volunteer["id"],
        "host_organization_id": host,
        "served_on": RECENT,
        "minutes": 100,
        "activity_title": "社区环境卫生整治",
        "evidence": evidence(),
    }
    responses = await asyncio.gather(
        *[stack.volunteering.post("/v1/hour-entries", json=claim, headers=stack.admin()) for _ in range(8)]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 4 + [422] * 4, [r.text for r in responses if r.status_code not in (201, 422)]
    assert {r.json()["code"] for r in responses if r.status_code == 422} == {"daily_cap_exceeded"}
    entries = await entries_of(stack, volunteer["id"])
    assert sum(e["credited_minutes"] for e in entries) == 400  # the default cap is 480
