"""Education's monthly figures (月报) on the real store and bus: sessions and 人次 per programme,
enrolments, and care statistics only as aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from education_harness import Stack

NOW = datetime.now(UTC).replace(microsecond=0)
RECENT = [timedelta(minutes=-30), timedelta(minutes=-20), timedelta(minutes=-10)]


@dataclass
class Setup:
    stack: Stack
    community: str
    programme_id: str
    staff: dict[str, str]

    async def course(self, starts: list[timedelta]) -> tuple[str, list[str]]:
        sessions = [
            {
                "starts_at": (NOW + s).isoformat(),
                "ends_at": (NOW + s + timedelta(minutes=5)).isoformat(),
                "venue": "青年之家",
            }
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
        }
        created = await self.stack.education.post("/v1/courses", json=body, headers=self.staff)
        assert created.status_code == 201, created.text
        course_id = created.json()["id"]
        scheduled = await self.stack.education.post(f"/v1/courses/{course_id}:schedule", headers=self.staff)
        assert scheduled.status_code == 200, scheduled.text
        listed = await self.stack.education.get(f"/v1/courses/{course_id}/sessions", headers=self.staff)
        return course_id, [s["id"] for s in listed.json()["items"]]

    async def learners(self, course_id: str, *subjects: str) -> list[str]:
        ids = []
        for subject in subjects:
            headers = self.stack.person(subject)
            body = {"display_name": f"学员{subject}", "birth_date": "1998-03-02"}
            made = await self.stack.education.post("/v1/learners", json=body, headers=headers)
            learner_id = made.json()["id"]
            enrolled = await self.stack.education.post(
                f"/v1/courses/{course_id}/enrolments", json={"learner_id": learner_id}, headers=headers
            )
            assert enrolled.status_code == 201, enrolled.text
            ids.append(learner_id)
        return ids

    async def record(self, session_id: str, learner_ids: list[str]) -> httpx.Response:
        return await self.stack.education.post(
            f"/v1/sessions/{session_id}/attendance", json={"learner_ids": learner_ids}, headers=self.staff
        )


async def setup(stack: Stack) -> Setup:
    community = await stack.community()
    staff = stack.staff(community, subject="staff-1")
    body = {
        "name": "七彩假期",
        "owner_organization_id": community,
        "kind": "colourful_holiday",
        "target_group": "children",
        "season": "summer_holiday",
        "year": NOW.year,
    }
    programme = await stack.education.post("/v1/programmes", json=body, headers=staff)
    assert programme.status_code == 201, programme.text
    return Setup(stack, community, programme.json()["id"], staff)


async def figures(stack: Stack, org: str, headers: dict[str, str], month: str | None = None) -> Any:
    local = NOW.astimezone(ZoneInfo(stack.context.settings.local_timezone)).strftime("%Y-%m")
    return await stack.education.get(
        "/v1/statistics/monthly", params={"organization_id": org, "month": month or local}, headers=headers
    )


async def test_sessions_and_attendances_of_a_month_per_programme(stack: Stack) -> None:
    s = await setup(stack)
    course_id, (s1, s2, s3) = await s.course(RECENT)
    a, b, c = await s.learners(course_id, "a", "b", "c")
    for session, present in ((s1, [a, b]), (s2, [a]), (s3, [a, b, c])):
        assert (await s.record(session, present)).status_code == 200

    answer = await figures(stack, s.community, s.staff)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["sessions"], body["attendances"], body["enrolments"], body["completions"]) == (3, 6, 3, 0)
    assert body["attendances_by_programme"] == [{"code": s.programme_id, "label": "七彩假期", "count": 6}]
    assert body["sessions_by_kind"] == [{"code": "colourful_holiday", "label": "七彩假期", "count": 3}]
    assert "学员" not in answer.text  # counts, never a learner
    before = await figures(stack, s.community, s.staff, month="2020-01")
    assert (before.json()["sessions"], before.json()["attendances"]) == (0, 0)
    other = await stack.community("西湖社区", "城南街道团工委")
    elsewhere = await figures(stack, other, stack.admin())
    assert (elsewhere.json()["sessions"], elsewhere.json()["enrolments"]) == (0, 0)


async def test_the_figures_keep_to_the_callers_scope(stack: Stack) -> None:
    s = await setup(stack)
    other = await stack.community("西湖社区", "城南街道团工委")
    outside = await figures(stack, s.community, stack.staff(other))
    assert (outside.status_code, outside.json()["code"], outside.json()["field"]) == (
        403,
        "out_of_scope",
        "organization_id",
    )
    learner = await figures(stack, s.community, stack.person("a"))
    assert (learner.status_code, learner.json()["code"]) == (403, "role_required")
