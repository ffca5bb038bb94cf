"""Sign-ups on the real store: capacity under concurrency, the waitlist, and the rules that refuse."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.problems import Conflict
from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_volunteering.app import signups
from volunteering_harness import Stack


async def _community(stack: Stack) -> str:
    street = await stack.org(
        "城区街道团工委",
        "league_working_committee",
        stack.city_id,
        area={"district": "灵武市", "street": "城区街道"},
    )
    return await stack.org("育才街社区", "community", street)


async def test_hundred_simultaneous_signups_for_ten_places(stack: Stack, event_tap: EventTap) -> None:
    community = await _community(stack)
    activity = await stack.activity(community, capacity=10)
    shift_id = activity["shift_ids"][0]
    people = [f"p{i:03d}" for i in range(100)]
    for subject in people:
        await stack.volunteer(subject)
    responses = await asyncio.gather(
        *[
            stack.volunteering.post(f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person(s))
            for s in people
        ]
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses if r.status_code != 201][
        :3
    ]
    statuses = [r.json()["my_status"] for r in responses]
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 90
    shift = (await stack.volunteering.get(f"/v1/shifts/{shift_id}", headers=stack.admin())).json()
    assert (shift["free"], shift["waitlisted"]) == (0, 90)
    first_waiting = next(s["volunteer_id"] for s in shift["signups"] if s["status"] == "waitlisted")

    leaver = next(s for s, r in zip(people, responses, strict=True) if r.json()["my_status"] == "confirmed")
    me = (await stack.volunteering.get("/v1/volunteers/me", headers=stack.person(leaver))).json()
    cancelled = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{me['id']}:cancel", headers=stack.person(leaver)
    )
    assert cancelled.status_code == 200, cancelled.text
    after = (await stack.volunteering.get(f"/v1/shifts/{shift_id}", headers=stack.admin())).json()
    confirmed = [s["volunteer_id"] for s in after["signups"] if s["status"] == "confirmed"]
    assert len(confirmed) == 10
    assert first_waiting in confirmed
    assert (after["free"], after["waitlisted"]) == (0, 89)
    promoted = await event_tap.wait_for("qingchun.volunteering.signup.promoted.v1")
    assert promoted.data["volunteer_id"] == first_waiting
    await asyncio.sleep(0.5)
    assert len(event_tap.of_type("qingchun.volunteering.signup.promoted.v1")) == 1
    assert len(event_tap.of_type("qingchun.volunteering.signup.confirmed.v1")) == 10


async def test_manual_waitlist_promotes_nobody(stack: Stack) -> None:
    community = await _community(stack)
    activity = await stack.activity(community, capacity=1, waitlist_policy="manual")
    shift_id = activity["shift_ids"][0]
    first = await stack.volunteer("a1")
    await stack.volunteer("a2")
    for subject in ("a1", "a2"):
        await stack.volunteering.post(
            f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person(subject)
        )
    await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{first['id']}:cancel", headers=stack.person("a1")
    )
    shift = (await stack.volunteering.get(f"/v1/shifts/{shift_id}", headers=stack.person("a2"))).json()
    assert (shift["my_status"], shift["free"]) == ("waitlisted", 1)
    assert shift["signups"] is None  # a volunteer does not see the others' sign-ups


async def test_minors_need_consent_and_children_a_guardian(stack: Stack) -> None:
    community = await _community(stack)
    activity = await stack.activity(community)
    shift_id = activity["shift_ids"][0]
    fifteen = (datetime.now(UTC) - timedelta(days=15 * 365 + 30)).date().isoformat()
    missing = await stack.volunteering.post(
        "/v1/volunteers",
        json={"display_name": "小明", "birth_date": fifteen, "volunteer_type": "youth"},
        headers=stack.person("kid"),
    )
    assert (missing.status_code, missing.json()["code"], missing.json()["field"]) == (
        422,
        "guardian_required",
        "guardian_subject_id",
    )
    minor = await stack.volunteer("kid", born=fifteen, guardian_subject_id="mum", phone="13900000000")
    refused = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person("kid")
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "consent_required")
    stranger = await stack.volunteering.post(
        f"/v1/volunteers/{minor['id']}:consent", headers=stack.person("not-mum", "guardian")
    )
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_the_guardian")
    consent = await stack.volunteering.post(
        f"/v1/volunteers/{minor['id']}:consent", headers=stack.person("mum", "guardian")
    )
    assert consent.json()["consent_recorded"] is True
    joined = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person("kid")
    )
    assert joined.json()["my_status"] == "confirmed"

    ten = (datetime.now(UTC) - timedelta(days=10 * 365 + 30)).date().isoformat()
    child = await stack.volunteer("child", born=ten, guardian_subject_id="dad")
    await stack.volunteering.post(
        f"/v1/volunteers/{child['id']}:consent", headers=stack.person("dad", "guardian")
    )
    alone = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups", json={"guardian_present": True}, headers=stack.person("child")
    )
    assert (alone.status_code, alone.json()["code"]) == (422, "guardian_required")
    start = datetime.now(UTC) + timedelta(days=30)
    family_shift = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "capacity": 20,
        "family_only": True,
    }
    family = await stack.activity(
        community,
        title="福娃福地书香国学·亲子诵读",
        category="culture_education",
        brand="福娃福地书香国学",
        shifts=[family_shift],
    )
    family_url = f"/v1/shifts/{family['shift_ids'][0]}/signups"
    without = await stack.volunteering.post(family_url, json={}, headers=stack.person("child"))
    assert (without.status_code, without.json()["code"]) == (422, "guardian_required")
    with_parent = await stack.volunteering.post(
        family_url, json={"guardian_present": True}, headers=stack.person("child")
    )
    assert with_parent.json()["my_status"] == "confirmed"


async def test_who_sees_a_minors_contact(stack: Stack) -> None:
    community = await _community(stack)
    other = await stack.org(
        "西湖社区",
        "community",
        await stack.org(
            "西湖街道团工委",
            "league_working_committee",
            stack.city_id,
            area={"district": "灵武市", "street": "西湖街道"},
        ),
    )
    activity = await stack.activity(community)
    fifteen = (datetime.now(UTC) - timedelta(days=15 * 365 + 30)).date().isoformat()
    minor = await stack.volunteer("kid", born=fifteen, guardian_subject_id="mum", phone="13900000000")
    await stack.volunteering.post(
        f"/v1/volunteers/{minor['id']}:consent", headers=stack.person("mum", "guardian")
    )
    await stack.volunteering.post(
        f"/v1/shifts/{activity['shift_ids'][0]}/signups", json={}, headers=stack.person("kid")
    )
    url = f"/v1/volunteers/{minor['id']}"
    cases: list[tuple[str, dict[str, str], int, Any]] = [
        ("self", stack.person("kid"), 200, "13900000000"),
        ("guardian", stack.person("mum", "guardian"), 200, "13900000000"),
        (
            "organiser of the joined activity",
            stack.isolation.headers("community_staff", scope=[community]),
            200,
            "13900000000",
        ),
        ("organiser elsewhere", stack.isolation.headers("community_staff", scope=[other]), 403, None),
        ("another volunteer", stack.person("someone"), 403, None),
        ("partner agency", stack.isolation.headers("partner"), 403, None),
    ]
    for who, headers, status, phone in cases:
        response = await stack.volunteering.get(url, headers=headers)
        assert response.status_code == status, who
        if status == 200:
            assert response.json()["phone"] == phone, who
        else:
            assert "13900000000" not in response.text, who
    listed = await stack.volunteering.get(
        "/v1/volunteers",
        params={"ids": minor["id"]},
        headers=stack.isolation.headers("community_staff", scope=[other]),
    )
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"capacity": 0}, "shifts.0.capacity", "invalid_input"),
        ({"ends_at": "2020-01-01T00:00:00+00:00"}, "shifts.0.ends_at", "shift_times"),
        ({"starts_at": "2030-01-01T08:00:00"}, "shifts.0.starts_at", "naive_datetime"),
    ],
)
async def test_bad_shifts_are_refused(stack: Stack, change: dict[str, Any], field: str, code: str) -> None:
    community = await _community(stack)
    start = datetime.now(UTC) + timedelta(days=3)
    shift = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    body = {
        "title": "反诈宣传进社区",
        "host_organization_id": community,
        "category": "anti_fraud",
        "shifts": [shift | change],
    }
    response = await stack.volunteering.post("/v1/activities", json=body, headers=stack.admin())
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    listed = await stack.volunteering.get("/v1/activities", headers=stack.admin())
    assert listed.json()["items"] == []


async def test_signup_refusals(stack: Stack) -> None:
    community = await _community(stack)
    planned = await stack.activity(community, publish=False)
    await stack.volunteer("v1")
    closed = await stack.volunteering.post(
        f"/v1/shifts/{planned['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
    )
    assert (closed.status_code, closed.json()["code"]) == (409, "activity_not_open")
    open_one, overlapping = (
        await stack.activity(community),
        await stack.activity(community, title="垃圾分类宣传"),
    )
    assert (
        await stack.volunteering.post(
            f"/v1/shifts/{open_one['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
        )
    ).status_code == 201
    twice = await stack.volunteering.post(
        f"/v1/shifts/{open_one['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "already_signed_up")
    clash = await stack.volunteering.post(
        f"/v1/shifts/{overlapping['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
    )
    assert (clash.status_code, clash.json()["code"]) == (422, "shift_overlap")
    unregistered = await stack.volunteering.post(
        f"/v1/shifts/{open_one['shift_ids'][0]}/signups", json={}, headers=stack.person("nobody")
    )
    assert (unregistered.status_code, unregistered.json()["code"]) == (404, "not_registered")
    unknown_host = await stack.volunteering.post(
        "/v1/activities",
        headers=stack.admin(),
        json={
            "title": "x",
            "host_organization_id": "org_ffffffffffffffffffffffff",
            "category": "other",
            "shifts": [
                {
                    "starts_at": "2030-01-01T08:00:00+00:00",
                    "ends_at": "2030-01-01T09:00:00+00:00",
                    "capacity": 1,
                }
            ],
        },
    )
    assert (unknown_host.status_code, unknown_host.json()["field"]) == (422, "host_organization_id")
    wrong_action = await stack.volunteering.post(
        f"/v1/activities/{open_one['id']}:explode", headers=stack.admin()
    )
    assert wrong_action.status_code == 422


async def test_registry_deactivation_cancels_open_activities_once(stack: Stack, event_tap: EventTap) -> None:
    community = await _community(stack)
    youth_home = await stack.org("育才街社区青年之家", "youth_home", community)
    activity = await stack.activity(youth_home)
    await stack.volunteer("v1")
    await stack.volunteering.post(
        f"/v1/shifts/{activity['shift_ids'][0]}/signups", json={}, headers=stack.person("v1")
    )
    response = await stack.registry.post(
        f"/v1/organizations/{youth_home}:deactivate", json={"reason_code": "dissolved"}, headers=stack.admin()
    )
    assert response.status_code == 200
    cancelled = await event_tap.wait_for("qingchun.volunteering.activity.cancelled.v1")
    assert cancelled.data["reason_code"] == "organization_deactivated"
    assert len(cancelled.data["volunteer_ids"]) == 1
    state = (await stack.volunteering.get(f"/v1/activities/{activity['id']}", headers=stack.admin())).json()
    assert state["status"] == "cancelled"

    deactivated = event_tap.of_type("qingchun.registry.organization.deactivated.v1")[0]
    bus = stack.volunteering_app.state.runtime.bus
    await bus.publish(deactivated)  # the broker delivers it again
    await asyncio.sleep(1.0)
    assert len(event_tap.of_type("qingchun.volunteering.activity.cancelled.v1")) == 1


async def _join(stack: Stack, shift_id: str, *subjects: str) -> dict[str, str]:
    """Register and sign up each subject in turn; their volunteer ids by subject."""
    ids = {}
    for subject in subjects:
        ids[subject] = (await stack.volunteer(subject))["id"]
        joined = await stack.volunteering.post(
            f"/v1/shifts/{shift_id}/signups", json={}, headers=stack.person(subject)
        )
        assert joined.status_code == 201, joined.text
    return ids


async def _answer(
    stack: Stack, shift_id: str, volunteer_id: str, action: str, subject: str
) -> httpx.Response:
    return await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{volunteer_id}:{action}", headers=stack.person(subject)
    )


async def _mine(stack: Stack, shift_id: str, subject: str) -> dict[str, Any]:
    shift: dict[str, Any] = (
        await stack.volunteering.get(f"/v1/shifts/{shift_id}", headers=stack.person(subject))
    ).json()
    return shift


async def _listing(stack: Stack, shift_id: str) -> tuple[int, bool]:
    stored = await stack.context.store.shift(shift_id)
    assert stored is not None
    return stored["free"], stored["open"]


async def test_a_freed_place_is_offered_down_the_line_until_someone_takes_it(
    stack: Stack, event_tap: EventTap
) -> None:
    community = await _community(stack)
    activity = await stack.activity(community, capacity=1, offer_window_hours=2)
    assert activity["offer_window_hours"] == 2
    shift_id = activity["shift_ids"][0]
    ids = await _join(stack, shift_id, "a", "b", "c")
    promoted_type = "qingchun.volunteering.signup.promoted.v1"

    # A cancels: B is offered the place, which stays taken while B decides.
    before = datetime.now(UTC)
    assert (await _answer(stack, shift_id, ids["a"], "cancel", "a")).status_code == 200
    offer_b = await event_tap.wait_for(promoted_type, lambda e: e.data["volunteer_id"] == ids["b"])
    confirm_by = datetime.fromisoformat(offer_b.data["confirm_by"])
    assert before + timedelta(hours=2) <= confirm_by <= datetime.now(UTC) + timedelta(hours=2)
    b_view = await _mine(stack, shift_id, "b")
    assert (b_view["my_status"], b_view["free"], b_view["waitlisted"]) == ("offered", 0, 1)
    assert datetime.fromisoformat(b_view["my_offer_expires_at"]) == confirm_by
    assert await _listing(stack, shift_id) == (0, False)

    # An offered volunteer holds the place: it clashes with an overlapping shift, and check-in
    # waits for their answer.
    overlapping = await stack.activity(community, title="垃圾分类宣传")
    clash = await stack.volunteering.post(
        f"/v1/shifts/{overlapping['shift_ids'][0]}/signups", json={}, headers=stack.person("b")
    )
    assert (clash.status_code, clash.json()["code"]) == (422, "shift_overlap")
    check_in = await stack.volunteering.post(
        f"/v1/shifts/{shift_id}/signups/{ids['b']}:check-in", headers=stack.admin()
    )
    assert (check_in.status_code, check_in.json()["code"]) == (409, "not_signed_up")
    someone_else = await _answer(stack, shift_id, ids["b"], "accept", "c")
    assert (someone_else.status_code, someone_else.json()["code"]) == (403, "not_your_signup")
    not_offered = await _answer(stack, shift_id, ids["c"], "accept", "c")
    assert (not_offered.status_code, not_offered.json()["code"]) == (409, "invalid_transition")

    # B declines: C is offered it; the shift stays full.
    declined = await _answer(stack, shift_id, ids["b"], "decline", "b")
    assert declined.status_code == 200, declined.text
    assert declined.json()["my_status"] == "cancelled"
    offer_c = await event_tap.wait_for(promoted_type, lambda e: e.data["volunteer_id"] == ids["c"])
    assert offer_c.data["confirm_by"] is not None
    assert (await _mine(stack, shift_id, "c"))["my_status"] == "offered"
    assert await _listing(stack, shift_id) == (0, False)

    # Before the deadline the job leaves C's offer alone; after it, the offer lapses once.
    assert await signups.lapse_offers(stack.context) == 0
    late = replace(stack.context, now=lambda: datetime.now(UTC) + timedelta(hours=2, minutes=1))
    assert await signups.lapse_offers(late) == 1
    assert await signups.lapse_offers(late) == 0
    lapsed = await event_tap.wait_for(
        "qingchun.volunteering.signup.cancelled.v1", lambda e: e.data["volunteer_id"] == ids["c"]
    )
    assert lapsed.data["by_organizer"] is False
    c_view = await _mine(stack, shift_id, "c")
    assert (c_view["my_status"], c_view["free"], c_view["waitlisted"]) == ("cancelled", 1, 0)
    assert await _listing(stack, shift_id) == (1, True)
    too_late = await _answer(stack, shift_id, ids["c"], "accept", "c")
    assert (too_late.status_code, too_late.json()["code"]) == (409, "offer_lapsed")
    assert len(event_tap.of_type(promoted_type)) == 2


async def test_an_offer_accepted_in_time_is_a_place_and_a_late_answer_changes_nothing(
    stack: Stack, event_tap: EventTap
) -> None:
    community = await _community(stack)
    activity = await stack.activity(community, capacity=1, offer_window_hours=2)
    shift_id = activity["shift_ids"][0]
    ids = await _join(stack, shift_id, "a", "b", "c")
    await _answer(stack, shift_id, ids["a"], "cancel", "a")

    # Answered after the deadline but before the job ran: refused, and nothing is written.
    stored = await stack.context.store.shift(shift_id)
    assert stored is not None
    late = replace(stack.context, now=lambda: datetime.now(UTC) + timedelta(hours=3))
    caller = Caller("b", frozenset({Role.VOLUNTEER}))
    for answer in (signups.accept, signups.decline):
        with pytest.raises(Conflict) as refused:
            await answer(late, caller, shift_id, ids["b"])
        assert refused.value.code == "offer_lapsed"
    unchanged = await stack.context.store.shift(shift_id)
    assert unchanged is not None
    assert unchanged["version"] == stored["version"]

    accepted = await _answer(stack, shift_id, ids["b"], "accept", "b")
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["my_status"], accepted.json()["my_offer_expires_at"]) == ("confirmed", None)
    confirmed = await event_tap.wait_for(
        "qingchun.volunteering.signup.confirmed.v1", lambda e: e.data["volunteer_id"] == ids["b"]
    )
    assert confirmed.data["shift_id"] == shift_id
    assert await _listing(stack, shift_id) == (0, False)
    again = await _answer(stack, shift_id, ids["b"], "accept", "b")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    # An accepted place is no longer an offer: the job has nothing to do, however late.
    assert await signups.lapse_offers(late) == 0
    organiser_view = (await stack.volunteering.get(f"/v1/shifts/{shift_id}", headers=stack.admin())).json()
    assert [(s["volunteer_id"], s["status"]) for s in organiser_view["signups"]] == [
        (ids["a"], "cancelled"),
        (ids["b"], "confirmed"),
        (ids["c"], "waitlisted"),
    ]

    # An offer outlives nothing: once the activity is cancelled it can no longer be taken.
    await _answer(stack, shift_id, ids["b"], "cancel", "b")
    assert (await _mine(stack, shift_id, "c"))["my_status"] == "offered"
    cancelled = await stack.volunteering.post(
        f"/v1/activities/{activity['id']}:cancel", headers=stack.admin()
    )
    assert cancelled.status_code == 200, cancelled.text
    closed = await _answer(stack, shift_id, ids["c"], "accept", "c")
    assert (closed.status_code, closed.json()["code"]) == (409, "activity_not_open")


async def test_without_a_window_the_place_is_given_outright(stack: Stack, event_tap: EventTap) -> None:
    community = await _community(stack)
    activity = await stack.activity(community, capacity=1)
    assert activity["offer_window_hours"] is None
    shift_id = activity["shift_ids"][0]
    ids = await _join(stack, shift_id, "a", "b")
    await _answer(stack, shift_id, ids["a"], "cancel", "a")
    promoted = await event_tap.wait_for("qingchun.volunteering.signup.promoted.v1")
    assert (promoted.data["volunteer_id"], promoted.data["confirm_by"]) == (ids["b"], None)
    assert (await _mine(stack, shift_id, "b"))["my_status"] == "confirmed"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"waitlist_policy": "notify_all", "offer_window_hours": 2}, "offer_window_needs_auto_promote"),
        ({"waitlist_policy": "manual", "offer_window_hours": 2}, "offer_window_needs_auto_promote"),
        ({"offer_window_hours": 0}, "invalid_input"),
        ({"offer_window_hours": 169}, "invalid_input"),
    ],
)
async def test_an_offer_window_needs_auto_promotion_and_a_sane_length(
    stack: Stack, fields: dict[str, Any], code: str
) -> None:
    community = await _community(stack)
    start = datetime.now(UTC) + timedelta(days=3)
    body = {
        "title": "反诈宣传进社区",
        "host_organization_id": community,
        "category": "anti_fraud",
        "shifts": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
                "capacity": 1,
            }
        ],
    } | fields
    response = await stack.volunteering.post("/v1/activities", json=body, headers=stack.admin())
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["code"]) == ("offer_window_hours", code)
    listed = await stack.volunteering.get("/v1/activities", headers=stack.admin())
    assert listed.json()["items"] == []
