"""Attendance on the real store and bus: 人次 against unique learners, idempotent recording, refusals."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from education_harness import Stack
from qingchun_plumbing.testing.fixtures import EventTap

RECORDED = "qingchun.education.attendance.recorded.v1"
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Setup:
    stack: Stack
    community: str
    programme_id: str
    staff: dict[str, str]

    async def course(self, starts: list[timedelta], **fields: Any) -> tuple[str, list[str]]:
        """A scheduled course with sessions starting at NOW + each offset; its id and session ids."""
        room = fields.pop("session", {})
        sessions = [
            {
                "starts_at": (NOW + s).isoformat(),
                "ends_at": (NOW + s + timedelta(hours=1)).isoformat(),
                "venue": "青年之家",
            }
            | room
            for s in starts
        ]
        body = {
            "programme_id": self.programme_id,
            "title": "七彩假期·课业辅导",
            "category": "homework_help",
            "target_group": "all_residents",
            "mode": "practice",
            "capacity": 10,
            "sessions": sessions,
        } | fields
        created = await self.stack.education.post("/v1/courses", json=body, headers=self.staff)
        assert created.status_code == 201, created.text
        course_id = created.json()["id"]
        scheduled = await self.stack.education.post(f"/v1/courses/{course_id}:schedule", headers=self.staff)
        assert scheduled.status_code == 200, scheduled.text
        listed = await self.stack.education.get(f"/v1/courses/{course_id}/sessions", headers=self.staff)
        return course_id, [s["id"] for s in listed.json()["items"]]

    async def learners(self, course_id: str, *subjects: str) -> list[str]:
        """Adults enrolled in the course, one per subject."""
        ids = []
        for subject in subjects:
            headers = self.stack.person(subject)
            made = await self.stack.education.post(
                "/v1/learners",
                json={"display_name": f"学员{subject}", "birth_date": "1998-03-02"},
                headers=headers,
            )
            learner_id = made.json()["id"]
            enrolled = await self.stack.education.post(
                f"/v1/courses/{course_id}/enrolments", json={"learner_id": learner_id}, headers=headers
            )
            assert enrolled.status_code == 201, enrolled.text
            ids.append(learner_id)
        return ids

    async def record(
        self, session_id: str, learner_ids: list[str], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.stack.education.post(
            f"/v1/sessions/{session_id}/attendance",
            json={"learner_ids": learner_ids},
            headers=headers or self.staff,
        )

    async def summary(self, path: str) -> dict[str, int]:
        response = await self.stack.education.get(f"/v1/{path}/attendance-summary", headers=self.staff)
        assert response.status_code == 200, response.text
        found: dict[str, int] = response.json()
        return found


async def setup(stack: Stack) -> Setup:
    community = await stack.community()
    staff = stack.staff(community, subject="staff-1")
    programme = await stack.education.post(
        "/v1/programmes",
        json={
            "name": "七彩假期",
            "owner_organization_id": community,
            "kind": "colourful_holiday",
            "target_group": "children",
            "season": "summer_holiday",
            "year": NOW.year,
        },
        headers=staff,
    )
    assert programme.status_code == 201, programme.text
    return Setup(stack, community, programme.json()["id"], staff)


PAST = [timedelta(days=-3), timedelta(days=-2), timedelta(days=-1)]


async def test_attendances_count_visits_and_unique_learners_count_people(
    stack: Stack, event_tap: EventTap
) -> None:
    s = await setup(stack)
    course_id, (s1, s2, s3) = await s.course(PAST)
    a, b, c = await s.learners(course_id, "a", "b", "c")
    for session, present in ((s1, [a, b]), (s2, [a]), (s3, [a, b, c])):
        response = await s.record(session, present)
        assert response.status_code == 200, response.text
    assert await s.summary(f"courses/{course_id}") == {
        "sessions_held": 3,
        "attendances": 6,
        "unique_learners": 3,
    }
    other_id, (o1,) = await s.course([timedelta(hours=-1)])
    (d,) = await s.learners(other_id, "d")
    await s.record(o1, [d])
    assert await s.summary(f"programmes/{s.programme_id}") == {
        "sessions_held": 4,
        "attendances": 7,
        "unique_learners": 4,
    }
    event = await event_tap.wait_for(RECORDED, lambda e: e.data["session_id"] == s3)
    assert (event.data["learner_ids"], event.data["attendances"], event.data["course_id"]) == (
        [a, b, c],
        3,
        course_id,
    )
    assert "学员" not in event.model_dump_json()


async def test_recording_twice_counts_once(stack: Stack, event_tap: EventTap) -> None:
    s = await setup(stack)
    course_id, (s1,) = await s.course([timedelta(minutes=-5)])
    a, b = await s.learners(course_id, "a", "b")
    first = await s.record(s1, [a, a])
    assert (first.json()["attendances"], first.json()["newly_marked"]) == (1, [a])
    both = await asyncio.gather(s.record(s1, [a, b]), s.record(s1, [b, a]))
    assert all(r.status_code == 200 for r in both), [r.text for r in both]
    assert sorted(x for r in both for x in r.json()["newly_marked"]) == [b]
    again = await s.record(s1, [b])
    assert (again.json()["attendances"], again.json()["newly_marked"]) == (2, [])
    assert await s.summary(f"courses/{course_id}") == {
        "sessions_held": 1,
        "attendances": 2,
        "unique_learners": 2,
    }
    await event_tap.wait_for(RECORDED, lambda e: e.data["learner_ids"] == [b])
    await asyncio.sleep(0.2)
    assert sorted(e.data["attendances"] for e in event_tap.of_type(RECORDED)) == [1, 2]


async def test_a_session_not_yet_begun_cannot_be_recorded(stack: Stack) -> None:
    s = await setup(stack)
    course_id, (later,) = await s.course([timedelta(hours=2)])
    (a,) = await s.learners(course_id, "a")
    refused = await s.record(later, [a])
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "session_not_held",
        "session_id",
    )
    assert await stack.context.enrolments.attendance(later) is None


async def test_only_learners_with_a_place_are_marked(stack: Stack) -> None:
    s = await setup(stack)
    course_id, (s1,) = await s.course([timedelta(hours=-1)], capacity=1)
    a, waiting = await s.learners(course_id, "a", "w")
    refused = await s.record(s1, [a, waiting])
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "not_enrolled",
        "learner_ids[1]",
    )
    assert await stack.context.enrolments.attendance(s1) is None


async def test_a_session_holds_no_more_than_its_room(stack: Stack) -> None:
    s = await setup(stack)
    course_id, (s1,) = await s.course([timedelta(hours=-1)], session={"capacity": 2})
    a, b, c = await s.learners(course_id, "a", "b", "c")
    assert (await s.record(s1, [a, b])).status_code == 200
    full = await s.record(s1, [c])
    assert (full.status_code, full.json()["code"]) == (422, "session_full")
    stored = await stack.context.enrolments.attendance(s1)
    assert stored is not None
    assert stored["learner_ids"] == [a, b]


async def test_only_the_course_staff_record_and_read_attendance(stack: Stack) -> None:
    s = await setup(stack)
    course_id, (s1,) = await s.course([timedelta(hours=-1)])
    present = await s.learners(course_id, "a", "b", "c")
    assert (await s.record(s1, present[:1], stack.person("a"))).status_code == 403
    assert (await s.record(s1, present)).status_code == 200
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await stack.education.get(f"/v1/sessions/{s1}/attendance", params=params, headers=s.staff)
        assert page.status_code == 200, page.text
        seen += [i["learner_id"] for i in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(present)
    outsider = await stack.education.get(
        f"/v1/courses/{course_id}/attendance-summary", headers=stack.person("a")
    )
    assert outsider.status_code == 403
