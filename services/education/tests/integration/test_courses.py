"""Courses and sessions over HTTP: planning, scheduling (announced on the bus), closing, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from education_harness import Stack
from qingchun_contracts.education import CourseScheduled
from qingchun_plumbing.mongo import new_id
from qingchun_plumbing.testing.fixtures import EventTap

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 7, 6, 9, tzinfo=SHANGHAI)


def session(day: int, **fields: Any) -> dict[str, Any]:
    starts = START + timedelta(days=day)
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "venue": "社区活动室",
    } | fields


def course(programme_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "programme_id": programme_id,
        "title": "少儿英语班",
        "category": "foreign_language",
        "target_group": "children",
        "mode": "topical_tutoring",
        "capacity": 30,
        "sessions": [session(0), session(7, capacity=20, kind="lecture")],
    } | fields


async def setup(stack: Stack) -> tuple[str, str, str]:
    """A community, a programme it owns, and an active teacher of the pool (their ids)."""
    community = await stack.community()
    body = {
        "name": "七彩假期",
        "owner_organization_id": community,
        "kind": "colourful_holiday",
        "target_group": "children",
        "season": "summer_holiday",
        "year": 2026,
    }
    created = await stack.education.post("/v1/programmes", json=body, headers=stack.staff(community))
    assert created.status_code == 201, created.text
    teacher = new_id("tch")
    teachers = stack.education_app.state.runtime.db["teachers"]
    await teachers.insert_one({"_id": teacher, "subject_id": "s-teacher", "status": "active"})
    return community, created.json()["id"], teacher


async def create(stack: Stack, community: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await stack.education.post("/v1/courses", json=body, headers=stack.staff(community))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_course_is_planned_with_its_sessions(stack: Stack) -> None:
    community, programme, teacher = await setup(stack)
    created = await create(
        stack, community, course(programme, teacher_ids=[teacher], citizen_school_id="sch_1")
    )
    assert (created["status"], created["status_label"], created["owner_organization_id"]) == (
        "draft",
        "草稿",
        community,
    )
    assert (created["mode_label"], created["category_label"], created["waitlist_policy"]) == (
        "专题辅导",
        "外语",
        "auto_promote",
    )
    listed = await stack.education.get(f"/v1/courses/{created['id']}/sessions", headers=stack.person("s1"))
    sessions = listed.json()["items"]
    assert [(s["capacity"], s["kind"], s["citizen_school_id"]) for s in sessions] == [
        (30, "teaching", "sch_1"),
        (20, "lecture", "sch_1"),
    ]
    assert datetime.fromisoformat(sessions[0]["starts_at"]) == START
    one = await stack.education.get(f"/v1/sessions/{sessions[1]['id']}", headers=stack.person("s1"))
    assert one.json()["venue"] == "社区活动室"
    stored = await stack.context.learning.session(sessions[0]["id"])
    assert stored is not None
    assert stored["starts_at"].utcoffset() == timedelta(0)


async def test_scheduling_announces_the_course_without_personal_data(
    stack: Stack, event_tap: EventTap
) -> None:
    community, programme, _ = await setup(stack)
    created = await create(stack, community, course(programme))
    scheduled = await stack.education.post(
        f"/v1/courses/{created['id']}:schedule", headers=stack.staff(community)
    )
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["status"] == "scheduled"
    event = await event_tap.wait_for(CourseScheduled.event_type, lambda e: e.subject == created["id"])
    announced = CourseScheduled.model_validate(event.data)
    assert (announced.session_count, announced.capacity, announced.needs_teachers) == (2, 30, True)
    assert announced.first_session_starts_at == START.astimezone(UTC)
    assert set(event.data) == set(CourseScheduled.model_fields)
    assert "s-" not in str(event.data)


async def test_a_course_with_a_teacher_needs_none(stack: Stack, event_tap: EventTap) -> None:
    community, programme, teacher = await setup(stack)
    created = await create(stack, community, course(programme, teacher_ids=[teacher]))
    await stack.education.post(f"/v1/courses/{created['id']}:schedule", headers=stack.staff(community))
    event = await event_tap.wait_for(CourseScheduled.event_type, lambda e: e.subject == created["id"])
    assert event.data["needs_teachers"] is False


async def test_the_status_moves_only_forward(stack: Stack) -> None:
    community, programme, _ = await setup(stack)
    url = f"/v1/courses/{(await create(stack, community, course(programme)))['id']}"
    staff = stack.staff(community)
    steps = [("complete", 409), ("schedule", 200), ("schedule", 409), ("complete", 200), ("cancel", 409)]
    for action, status in steps:
        response = await stack.education.post(f"{url}:{action}", headers=staff)
        assert response.status_code == status, (action, response.text)
    assert (await stack.education.get(url, headers=staff)).json()["status"] == "completed"
    refused = await stack.education.post(f"{url}:cancel", headers=staff)
    assert refused.json()["code"] == "invalid_transition"


async def test_only_staff_over_the_owner_act_on_a_course(stack: Stack) -> None:
    community, programme, _ = await setup(stack)
    url = f"/v1/courses/{(await create(stack, community, course(programme)))['id']}"
    elsewhere = stack.staff(await stack.org("城南街道团工委", "league_working_committee", stack.city_id))
    for headers in (elsewhere, stack.person("s1", "guardian")):
        assert (await stack.education.post(f"{url}:schedule", headers=headers)).status_code == 403
        added = await stack.education.post(
            f"{url}/sessions", json={"sessions": [session(14)]}, headers=headers
        )
        assert added.status_code == 403
    assert (await stack.education.get(url, headers=elsewhere)).json()["status"] == "draft"


async def test_bad_courses_are_refused_with_the_field(stack: Stack) -> None:
    community, programme, teacher = await setup(stack)
    other_street = await stack.org("城南街道团工委", "league_working_committee", stack.city_id)
    staff = stack.staff(community)
    backwards = session(0, ends_at=START.isoformat())
    naive = session(0, starts_at="2026-07-06T09:00:00", ends_at="2026-07-06T11:00:00")
    cases = [
        (
            course(programme, owner_organization_id="org_" + "0" * 24),
            "owner_organization_id",
            "unknown_organization",
        ),
        (
            course(programme, owner_organization_id=other_street),
            "owner_organization_id",
            "owner_outside_programme",
        ),
        (course(programme, sessions=[session(0), backwards]), "sessions.1.ends_at", "session_times"),
        (course(programme, sessions=[naive]), "sessions.0.starts_at", "invalid_input"),
        (course(programme, sessions=[]), "sessions", "invalid_input"),
        (course(programme, teacher_ids=[teacher, "tch_" + "0" * 24]), "teacher_ids.1", "unknown_teacher"),
        (course(programme, has_exam=True), "pass_mark", "pass_mark_required"),
        (
            course(programme, waitlist_policy="manual", offer_window_hours=24),
            "offer_window_hours",
            "offer_window_without_auto_promote",
        ),
        (course(programme, capacity=501), "capacity", "invalid_input"),
    ]
    for body, field, code in cases:
        response = await stack.education.post("/v1/courses", json=body, headers=staff)
        assert response.status_code == 422, (body, response.text)
        assert (response.json()["field"], response.json()["code"]) == (field, code)
    missing = await stack.education.post("/v1/courses", json=course("prg_" + "0" * 24), headers=staff)
    assert missing.status_code == 404
    listed = await stack.education.get(f"/v1/courses?programme_id={programme}", headers=staff)
    assert listed.json()["items"] == []


async def test_a_course_below_the_programme_owner_is_run_by_its_staff(stack: Stack) -> None:
    street = await stack.org("城北街道团工委", "league_working_committee", stack.city_id)
    community = await stack.org("育才街社区", "community", street)
    body = {
        "name": "法制教育",
        "owner_organization_id": street,
        "kind": "law_education",
        "target_group": "youth",
        "season": "year_round",
        "year": 2026,
    }
    programme = (await stack.education.post("/v1/programmes", json=body, headers=stack.staff(street))).json()[
        "id"
    ]
    created = await create(
        stack, community, course(programme, owner_organization_id=community, category="law")
    )
    assert created["owner_organization_id"] == community
    refused = await stack.education.post(
        "/v1/courses", json=course(programme), headers=stack.staff(community)
    )
    assert refused.status_code == 403


async def test_sessions_are_added_later_and_page(stack: Stack) -> None:
    community, programme, _ = await setup(stack)
    created = await create(stack, community, course(programme))
    url = f"/v1/courses/{created['id']}/sessions"
    staff = stack.staff(community)
    added = await stack.education.post(url, json={"sessions": [session(21), session(14)]}, headers=staff)
    assert added.status_code == 201, added.text
    assert [s["starts_at"] for s in added.json()["items"]] == sorted(
        s["starts_at"] for s in added.json()["items"]
    )
    first = await stack.education.get(f"{url}?limit=3", headers=staff)
    second = await stack.education.get(f"{url}?limit=3&cursor={first.json()['next_cursor']}", headers=staff)
    assert len(first.json()["items"]) == 3
    assert len(second.json()["items"]) == 1
    assert second.json()["next_cursor"] is None
    await stack.education.post(f"/v1/courses/{created['id']}:cancel", headers=staff)
    late = await stack.education.post(url, json={"sessions": [session(28)]}, headers=staff)
    assert late.status_code == 409
    assert late.json()["code"] == "invalid_transition"


async def test_courses_are_listed_by_filter_and_page(stack: Stack) -> None:
    community, programme, _ = await setup(stack)
    staff = stack.staff(community)
    english = [await create(stack, community, course(programme)) for _ in range(3)]
    computer = await create(
        stack, community, course(programme, category="computer", citizen_school_id="sch_9")
    )
    await stack.education.post(f"/v1/courses/{english[0]['id']}:schedule", headers=staff)
    base = f"/v1/courses?programme_id={programme}&category=foreign_language&limit=2"
    first = await stack.education.get(base, headers=staff)
    second = await stack.education.get(f"{base}&cursor={first.json()['next_cursor']}", headers=staff)
    assert [c["id"] for c in first.json()["items"] + second.json()["items"]] == [c["id"] for c in english]
    scheduled = await stack.education.get(
        f"/v1/courses?owner_organization_id={community}&status=scheduled", headers=staff
    )
    assert [c["id"] for c in scheduled.json()["items"]] == [english[0]["id"]]
    school = await stack.education.get("/v1/courses?citizen_school_id=sch_9", headers=staff)
    assert [c["id"] for c in school.json()["items"]] == [computer["id"]]
    batch = await stack.education.get(f"/v1/courses?ids={computer['id']},{english[1]['id']}", headers=staff)
    assert [c["title"] for c in batch.json()["items"]] == ["少儿英语班", "少儿英语班"]
    assert [c["category"] for c in batch.json()["items"]] == ["computer", "foreign_language"]


async def test_unknown_course_and_session_are_not_found(stack: Stack) -> None:
    for url in ("/v1/courses/crs_x", "/v1/sessions/ses_x", "/v1/courses/crs_x/sessions"):
        assert (await stack.education.get(url, headers=stack.person("s1"))).status_code == 404
