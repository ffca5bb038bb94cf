"""Enrolments on the real store and bus: capacity under concurrency, the waitlist and its offers,
the rules that refuse, completion, and who may read what."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from education_harness import Stack
from qingchun_contracts import Envelope
from qingchun_education.app.enrolments import lapse_offers
from qingchun_plumbing.testing.fixtures import EventTap

NEXT_WEEK = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
CREATED = "qingchun.education.enrolment.created.v1"
PROMOTED = "qingchun.education.enrolment.promoted.v1"
CANCELLED = "qingchun.education.enrolment.cancelled.v1"
COMPLETED = "qingchun.education.course.completed.v1"


class Course:
    """A scheduled course of a community, run by its staff member ``staff``."""

    def __init__(self, stack: Stack, community: str, document: dict[str, Any]) -> None:
        self.stack, self.community, self.id, self.doc = stack, community, document["id"], document
        self.staff = stack.staff(community, subject="staff-1")

    async def enrol(self, learner_id: str, headers: dict[str, str], **body: Any) -> httpx.Response:
        return await self.stack.education.post(
            f"/v1/courses/{self.id}/enrolments", json={"learner_id": learner_id, **body}, headers=headers
        )

    async def act(
        self, enrolment_id: str, action: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.stack.education.post(
            f"/v1/enrolments/{enrolment_id}:{action}", headers=headers or self.staff
        )

    async def roster(self, *statuses: str) -> list[dict[str, Any]]:
        query = "&".join(f"status={s}" for s in statuses)
        response = await self.stack.education.get(
            f"/v1/courses/{self.id}/enrolments?limit=200&{query}", headers=self.staff
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


async def open_course(stack: Stack, schedule: bool = True, **fields: Any) -> Course:
    community = await stack.community()
    staff = stack.staff(community, subject="staff-1")
    programme = await stack.education.post(
        "/v1/programmes",
        json={
            "name": "国学经典亲子诵读班",
            "owner_organization_id": community,
            "kind": "classics_family_reading",
            "target_group": "all_residents",
            "season": "summer_holiday",
            "year": NEXT_WEEK.year,
        },
        headers=staff,
    )
    assert programme.status_code == 201, programme.text
    body = {
        "programme_id": programme.json()["id"],
        "title": "福娃福地书香国学",
        "category": "classics_reading",
        "target_group": "all_residents",
        "mode": "expert_lecture",
        "capacity": 3,
        "sessions": [
            {
                "starts_at": NEXT_WEEK.isoformat(),
                "ends_at": (NEXT_WEEK + timedelta(hours=2)).isoformat(),
                "venue": "新时代文明实践站",
            }
        ],
    } | fields
    created = await stack.education.post("/v1/courses", json=body, headers=staff)
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    if schedule:
        scheduled = await stack.education.post(f"/v1/courses/{course_id}:schedule", headers=staff)
        assert scheduled.status_code == 200, scheduled.text
    return Course(stack, community, created.json())


async def learner(stack: Stack, subject: str, born: date = date(1995, 5, 4)) -> str:
    response = await stack.education.post(
        "/v1/learners",
        json={"display_name": f"学员{subject}", "birth_date": born.isoformat()},
        headers=stack.person(subject),
    )
    assert response.status_code == 201, response.text
    learner_id: str = response.json()["id"]
    return learner_id


async def child(stack: Stack, guardian: str, born: date, consent: bool = True) -> str:
    headers = stack.person(guardian, "guardian")
    response = await stack.education.post(
        "/v1/learners",
        json={"display_name": "小明", "birth_date": born.isoformat(), "for_child": True},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    child_id: str = response.json()["id"]
    if consent:
        recorded = await stack.education.post(f"/v1/learners/{child_id}/consent", headers=headers)
        assert recorded.status_code == 200, recorded.text
    return child_id


def years_ago(years: int) -> date:
    today = date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


async def enrolled(course: Course, subjects: list[str]) -> list[dict[str, Any]]:
    """Enrol each person in turn (arrival order is the list's order)."""
    out = []
    for subject in subjects:
        response = await course.enrol(await learner(course.stack, subject), course.stack.person(subject))
        assert response.status_code == 201, response.text
        out.append(response.json())
    return out


async def published(event_tap: EventTap, event_type: str, count: int) -> list[Envelope]:
    """Wait until ``count`` events of the type arrived; then a moment more, to catch any extra."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        if len(event_tap.of_type(event_type)) >= count or loop.time() > deadline:
            await asyncio.sleep(0.1)
            return event_tap.of_type(event_type)
        await asyncio.sleep(0.05)


# capacity under concurrency ------------------------------------------------------------------------
async def test_eight_simultaneous_enrolments_for_three_places(stack: Stack, event_tap: EventTap) -> None:
    course = await open_course(stack, capacity=3)
    people = [f"p{i}" for i in range(8)]
    learners = [await learner(stack, s) for s in people]
    responses = await asyncio.gather(
        *(course.enrol(lrn, stack.person(s)) for lrn, s in zip(learners, people, strict=True))
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    statuses = [r.json()["status"] for r in responses]
    assert (statuses.count("enrolled"), statuses.count("waitlisted")) == (3, 5)
    assert sorted(r.json()["position"] for r in responses) == list(range(8))
    roster = await stack.context.enrolments.roster(course.id)
    assert roster is not None
    assert (roster["taken"], roster["waiting"]) == (3, 5)
    created = [e.data for e in await published(event_tap, CREATED, 8)]
    assert sorted(e["status"] for e in created) == ["enrolled"] * 3 + ["waitlisted"] * 5
    assert {e["age_band"] for e in created} == {"adult"}


async def test_the_same_learner_cannot_enrol_twice(stack: Stack) -> None:
    course = await open_course(stack, capacity=1)
    learner_id = await learner(stack, "solo")
    first, second = await asyncio.gather(
        course.enrol(learner_id, stack.person("solo")), course.enrol(learner_id, stack.person("solo"))
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["code"] == "already_enrolled"
    assert len(await course.roster()) == 1


# the waitlist ------------------------------------------------------------------------------------------
async def test_cancel_enrols_the_next_in_line_without_a_window(stack: Stack, event_tap: EventTap) -> None:
    course = await open_course(stack, capacity=1)
    first, second, third = await enrolled(course, ["a", "b", "c"])
    assert [first["status"], second["status"], third["status"]] == ["enrolled", "waitlisted", "waitlisted"]
    cancelled = await course.act(first["id"], "cancel", stack.person("a"))
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == ("cancelled", "learner")
    assert [e["id"] for e in await course.roster("enrolled")] == [second["id"]]
    promoted = await event_tap.wait_for(PROMOTED)
    assert (promoted.data["enrolment_id"], promoted.data["confirm_by"]) == (second["id"], None)
    gone = await event_tap.wait_for(CANCELLED)
    assert gone.data["reason_code"] == "learner"


async def test_offer_window_holds_the_place_and_the_expiry_job_passes_it_on(
    stack: Stack, event_tap: EventTap
) -> None:
    course = await open_course(stack, capacity=1, offer_window_hours=24)
    first, second, third = await enrolled(course, ["a", "b", "c"])
    await course.act(first["id"], "cancel", course.staff)
    offered = (await stack.education.get(f"/v1/enrolments/{second['id']}", headers=stack.person("b"))).json()
    assert offered["status"] == "offered"
    deadline = datetime.fromisoformat(offered["offer_expires_at"])
    assert timedelta(hours=23) < deadline - datetime.now(UTC) <= timedelta(hours=24)
    promoted = await event_tap.wait_for(PROMOTED)
    assert promoted.data["enrolment_id"] == second["id"]
    assert datetime.fromisoformat(promoted.data["confirm_by"]) == deadline

    assert await lapse_offers(stack.context) == 0  # not yet due
    later = replace(stack.context, now=lambda: datetime.now(UTC) + timedelta(hours=25))
    assert await lapse_offers(later) == 1
    assert await lapse_offers(later) == 0  # idempotent
    by_id = {e["id"]: e for e in await course.roster()}
    assert (by_id[second["id"]]["status"], by_id[second["id"]]["cancel_reason"]) == (
        "cancelled",
        "offer_lapsed",
    )
    assert by_id[third["id"]]["status"] == "offered"
    lapsed = await event_tap.wait_for(CANCELLED, lambda e: e.data["reason_code"] == "offer_lapsed")
    assert lapsed.data["enrolment_id"] == second["id"]

    too_late = await course.act(second["id"], "accept", stack.person("b"))
    assert (too_late.status_code, too_late.json()["code"]) == (409, "offer_lapsed")
    accepted = await course.act(third["id"], "accept", stack.person("c"))
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["offer_expires_at"]) == ("enrolled", None)


async def test_accepting_after_the_deadline_is_refused_even_before_the_job_ran(stack: Stack) -> None:
    course = await open_course(stack, capacity=1, offer_window_hours=1)
    first, second = await enrolled(course, ["a", "b"])
    await course.act(first["id"], "cancel", stack.person("a"))
    app = stack.education_app
    real = app.state.education
    app.state.education = replace(real, now=lambda: datetime.now(UTC) + timedelta(hours=2))
    try:
        refused = await course.act(second["id"], "accept", stack.person("b"))
    finally:
        app.state.education = real
    assert (refused.status_code, refused.json()["code"]) == (409, "offer_lapsed")
    still = await stack.context.enrolments.enrolment(second["id"])
    assert still is not None
    assert still["status"] == "offered"  # nothing written by a refusal


async def test_decline_offers_the_place_to_the_next(stack: Stack, event_tap: EventTap) -> None:
    course = await open_course(stack, capacity=1, offer_window_hours=48)
    first, second, third = await enrolled(course, ["a", "b", "c"])
    await course.act(first["id"], "cancel", stack.person("a"))
    stranger = await course.act(second["id"], "decline", stack.person("c"))
    assert stranger.status_code == 403
    declined = await course.act(second["id"], "decline", stack.person("b"))
    assert declined.status_code == 200, declined.text
    assert declined.json()["cancel_reason"] == "declined"
    assert [e["id"] for e in await course.roster("offered")] == [third["id"]]
    await event_tap.wait_for(PROMOTED, lambda e: e.data["enrolment_id"] == third["id"])
    assert (await course.act(second["id"], "accept", stack.person("b"))).status_code == 409


async def test_manual_waitlist_waits_for_staff(stack: Stack) -> None:
    course = await open_course(stack, capacity=1, waitlist_policy="manual")
    first, second, third = await enrolled(course, ["a", "b", "c"])
    await course.act(first["id"], "cancel", stack.person("a"))
    assert await course.roster("enrolled", "offered") == []
    late = await enrolled(course, ["d"])
    assert late[0]["status"] == "waitlisted"  # no jumping the queue into the free place
    by_learner = await course.act(third["id"], "promote", stack.person("c"))
    assert by_learner.status_code == 403
    promoted = await course.act(third["id"], "promote")
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["status"] == "enrolled"
    full = await course.act(second["id"], "promote")
    assert (full.status_code, full.json()["code"]) == (422, "no_place_free")


# refusals ------------------------------------------------------------------------------------------------
async def test_a_course_not_scheduled_takes_nobody(stack: Stack) -> None:
    course = await open_course(stack, schedule=False)
    response = await course.enrol(await learner(stack, "a"), stack.person("a"))
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        422,
        "course_not_open",
        "course_id",
    )
    assert await stack.context.enrolments.roster(course.id) is None


async def test_age_limits(stack: Stack) -> None:
    course = await open_course(stack, min_age=6, max_age=12)
    toddler = await child(stack, "mum", years_ago(4))
    teen = await child(stack, "dad", years_ago(16))
    young = await course.enrol(toddler, stack.person("mum", "guardian"))
    old = await course.enrol(teen, stack.person("dad", "guardian"))
    assert (young.status_code, young.json()["code"]) == (422, "age_below_minimum")
    assert (old.status_code, old.json()["code"]) == (422, "age_above_maximum")
    assert await stack.context.enrolments.roster(course.id) is None


async def test_minors_need_consent_and_children_their_guardian(stack: Stack, event_tap: EventTap) -> None:
    course = await open_course(stack)
    no_consent = await child(stack, "mum", years_ago(9), consent=False)
    refused = await course.enrol(no_consent, stack.person("mum", "guardian"))
    assert (refused.json()["code"], refused.json()["field"]) == ("consent_required", "learner_id")
    kid = await child(stack, "dad", years_ago(9))
    by_staff = await course.enrol(kid, course.staff)
    assert (by_staff.status_code, by_staff.json()["code"]) == (422, "guardian_required")
    by_stranger = await course.enrol(kid, stack.person("someone"))
    assert by_stranger.status_code == 403
    assert await stack.context.enrolments.roster(course.id) is None
    ok = await course.enrol(kid, stack.person("dad", "guardian"))
    assert ok.status_code == 201, ok.text
    event = await event_tap.wait_for(CREATED)
    assert (event.data["learner_id"], event.data["age_band"]) == (kid, "child")
    raw = event.model_dump_json()
    assert "小明" not in raw
    assert years_ago(9).isoformat() not in raw


async def test_a_family_course_needs_the_guardian_present(stack: Stack) -> None:
    course = await open_course(stack, family=True)
    kid = await child(stack, "mum", years_ago(7))
    absent = await course.enrol(kid, stack.person("mum", "guardian"))
    assert (absent.json()["code"], absent.json()["field"]) == ("guardian_required", "guardian_present")
    present = await course.enrol(kid, stack.person("mum", "guardian"), guardian_present=True)
    assert present.status_code == 201, present.text


async def test_staff_enrol_an_adult_and_strangers_cannot(stack: Stack) -> None:
    course = await open_course(stack)
    adult = await learner(stack, "a")
    assert (await course.enrol(adult, stack.person("b"))).status_code == 403
    by_staff = await course.enrol(adult, course.staff)
    assert by_staff.status_code == 201, by_staff.text


# completion --------------------------------------------------------------------------------------------
async def test_completion_after_a_passed_exam(stack: Stack, event_tap: EventTap) -> None:
    course = await open_course(stack, has_exam=True, pass_mark=60, category="computer")
    (mine,) = await enrolled(course, ["a"])
    path = f"/v1/enrolments/{mine['id']}:complete"
    missing = await stack.education.post(path, json={}, headers=course.staff)
    assert (missing.status_code, missing.json()["code"]) == (422, "exam_score_required")
    failed = await stack.education.post(path, json={"exam_score": 55}, headers=course.staff)
    assert (failed.status_code, failed.json()["code"]) == (422, "exam_not_passed")
    by_learner = await stack.education.post(path, json={"exam_score": 90}, headers=stack.person("a"))
    assert by_learner.status_code == 403
    assert (await stack.context.enrolments.enrolment(mine["id"]) or {})["status"] == "enrolled"

    done = await stack.education.post(path, json={"exam_score": 82.5}, headers=course.staff)
    assert done.status_code == 200, done.text
    stored = await stack.context.enrolments.enrolment(mine["id"])
    assert stored is not None
    today = datetime.now(ZoneInfo(stack.context.settings.local_timezone)).date().isoformat()
    assert {
        k: stored[k] for k in ("_id", "course_id", "learner_id", "status", "passed_exam", "exam_score")
    } == {
        "_id": mine["id"],
        "course_id": course.id,
        "learner_id": mine["learner_id"],
        "status": "completed",
        "passed_exam": True,
        "exam_score": 82.5,
    }
    event = await event_tap.wait_for(COMPLETED)
    assert event.data["subject_id"] == "a"
    assert (event.data["category"], event.data["passed_exam"]) == ("computer", True)
    assert event.data["completed_on"] == stored["completed_on"] == today
    again = await stack.education.post(path, json={"exam_score": 90}, headers=course.staff)
    assert again.status_code == 409


async def test_completion_without_exam_and_cancelling_a_completed_one(stack: Stack) -> None:
    course = await open_course(stack)
    (mine,) = await enrolled(course, ["a"])
    path = f"/v1/enrolments/{mine['id']}:complete"
    scored = await stack.education.post(path, json={"exam_score": 70}, headers=course.staff)
    assert (scored.status_code, scored.json()["code"]) == (422, "course_has_no_exam")
    done = await stack.education.post(path, json={}, headers=course.staff)
    assert (done.json()["status"], done.json()["passed_exam"]) == ("completed", None)
    assert (await course.act(mine["id"], "cancel", stack.person("a"))).status_code == 409


# reads ----------------------------------------------------------------------------------------------------
async def test_who_may_read_enrolments(stack: Stack) -> None:
    course = await open_course(stack, capacity=1)
    kid = await child(stack, "mum", years_ago(10))
    mine = (await course.enrol(kid, stack.person("mum", "guardian"))).json()
    (other,) = await enrolled(course, ["b"])
    path = f"/v1/enrolments/{mine['id']}"
    assert (await stack.education.get(path, headers=stack.person("mum", "guardian"))).status_code == 200
    assert (await stack.education.get(path, headers=course.staff)).status_code == 200
    assert (await stack.education.get(path, headers=stack.person("b"))).status_code == 404
    batch = await stack.education.get(
        f"/v1/enrolments?ids={mine['id']},{other['id']}", headers=stack.person("b")
    )
    assert [e["id"] for e in batch.json()["items"]] == [other["id"]]
    of_kid = await stack.education.get(
        f"/v1/learners/{kid}/enrolments", headers=stack.person("mum", "guardian")
    )
    assert [e["id"] for e in of_kid.json()["items"]] == [mine["id"]]
    assert (
        await stack.education.get(f"/v1/learners/{kid}/enrolments", headers=stack.person("b"))
    ).status_code == 403
    roster = await stack.education.get(f"/v1/courses/{course.id}/enrolments", headers=stack.person("b"))
    assert roster.status_code == 403


async def test_course_roster_pages_and_filters(stack: Stack) -> None:
    course = await open_course(stack, capacity=1)
    made = await enrolled(course, ["a", "b", "c"])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (
            await stack.education.get(
                f"/v1/courses/{course.id}/enrolments", params=params, headers=course.staff
            )
        ).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["id"] for e in made]
    assert [e["id"] for e in await course.roster("waitlisted")] == [e["id"] for e in made[1:]]
