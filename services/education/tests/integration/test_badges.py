"""Badges (雏鹰争章) on the real store and bus: counsellors' awards and badges earned from service."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from education_harness import Stack
from qingchun_contracts.education import BadgeAwarded
from qingchun_contracts.volunteering import HoursVerified
from qingchun_education.app.badges import on_hours_verified
from qingchun_plumbing.testing.fixtures import EventTap


async def child(stack: Stack, guardian: str, home: str, child_subject: str | None = None) -> str:
    body = {
        "display_name": "小红",
        "birth_date": "2014-03-01",
        "home_community_id": home,
        "for_child": True,
        "child_subject_id": child_subject,
    }
    response = await stack.education.post(
        "/v1/learners", json=body, headers=stack.person(guardian, "guardian")
    )
    assert response.status_code == 201, response.text
    learner_id: str = response.json()["id"]
    return learner_id


async def badge(stack: Stack, owner: str, code: str, rule: dict[str, Any] | None = None) -> str:
    body = {
        "code": code,
        "name": "社区服务章",
        "category": "community_service",
        "criteria": "参加社区志愿服务满2小时",
        "owner_organization_id": owner,
        "rule": rule,
    }
    response = await stack.education.post("/v1/badges", json=body, headers=stack.staff(owner))
    assert response.status_code == 201, response.text
    badge_id: str = response.json()["id"]
    return badge_id


def hours(subject: str, minutes: int, entry: str) -> HoursVerified:
    return HoursVerified(
        entry_id=entry,
        volunteer_id="vol_" + "1" * 24,
        subject_id=subject,
        host_organization_id="org_" + "2" * 24,
        minutes=minutes,
        method="organizer",
        served_on=date.today().isoformat(),
    )


async def until(check: Any, within: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.05)


async def test_badge_awarded_exactly_once_from_a_duplicated_volunteering_event(
    stack: Stack, event_tap: EventTap
) -> None:
    community = await stack.community()
    badge_id = await badge(
        stack, community, "community_service", {"kind": "verified_service_minutes", "threshold": 120}
    )
    learner = await child(stack, "mum-2", community, child_subject="kid-2")
    guardian = stack.person("mum-2", "guardian")

    first = await stack.publish(hours("kid-2", 90, "hrs_1"))
    await stack.republish(first)
    second = await stack.publish(hours("kid-2", 60, "hrs_2"))
    await stack.publish(hours("not-a-learner", 500, "hrs_3"))

    async def progressed() -> bool:
        got = await stack.education.get(f"/v1/learners/{learner}/badge-progress", headers=guardian)
        return bool(got.json()["verified_service_minutes"] == 150)

    await until(progressed)
    awarded = await event_tap.wait_for(BadgeAwarded.event_type)
    # A crash between the handler's write and the inbox record redelivers past the inbox.
    await on_hours_verified(stack.context, first)
    await on_hours_verified(stack.context, second)
    assert await progressed()

    held = (await stack.education.get(f"/v1/learners/{learner}/badges", headers=guardian)).json()["items"]
    assert [(a["badge_id"], a["source"]) for a in held] == [(badge_id, "automatic")]
    assert awarded.data == {
        "award_id": held[0]["id"],
        "badge_id": badge_id,
        "badge_code": "community_service",
        "learner_id": learner,
        "source": "automatic",
        "awarded_on": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(),
    }
    await asyncio.sleep(0.4)  # the relay polls every 0.2 s: a second award's event would be out by now
    assert len(event_tap.of_type(BadgeAwarded.event_type)) == 1


async def test_only_a_counsellor_of_the_badges_organisation_awards_it(
    stack: Stack, event_tap: EventTap
) -> None:
    community = await stack.community()
    elsewhere = "org_" + "9" * 24  # a counsellor of another organisation
    badge_id = await badge(stack, community, "self_protection")
    learner = await child(stack, "mum-3", community)
    url = f"/v1/badges/{badge_id}/awards"
    body = {"learner_id": learner, "note": "自护知识竞赛表现突出"}

    for headers in (
        stack.staff(community, "community_staff"),
        stack.staff(elsewhere, "mentor"),
        stack.person("mum-3", "guardian"),
    ):
        refused = await stack.education.post(url, json=body, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (403, "counsellor_required"), refused.text
    listed = await stack.education.get(url, headers=stack.staff(community))
    assert listed.json()["items"] == []

    counsellor = stack.staff(stack.city_id, "school_staff", subject="teacher-1")
    awarded = await stack.education.post(url, json=body, headers=counsellor)
    assert awarded.status_code == 201, awarded.text
    assert (awarded.json()["source"], awarded.json()["awarded_by"]) == ("counsellor", "teacher-1")
    twice = await stack.education.post(url, json=body, headers=stack.staff(community, "mentor"))
    assert (twice.status_code, twice.json()["code"]) == (409, "already_awarded")

    event = await event_tap.wait_for(BadgeAwarded.event_type)
    assert set(event.data) == {"award_id", "badge_id", "badge_code", "learner_id", "source", "awarded_on"}
    assert event.data["learner_id"] == learner
    mine = await stack.education.get(
        f"/v1/learners/{learner}/badges", headers=stack.person("mum-3", "guardian")
    )
    assert [a["id"] for a in mine.json()["items"]] == [awarded.json()["id"]]
    nosy = await stack.education.get(f"/v1/learners/{learner}/badges", headers=stack.person("nosy-2"))
    assert nosy.status_code == 403


async def test_reading_minutes_earn_a_reading_badge_once(stack: Stack) -> None:
    community = await stack.community()
    badge_id = await badge(stack, community, "reading", {"kind": "reading_minutes", "threshold": 60})
    learner = await child(stack, "dad-3", community)
    guardian = stack.person("dad-3", "guardian")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()

    async def read(minutes: int) -> list[str]:
        body = {"learner_id": learner, "title": "草房子", "minutes": minutes, "read_on": today}
        assert (
            await stack.education.post("/v1/reading-logs", json=body, headers=guardian)
        ).status_code == 201
        held = (await stack.education.get(f"/v1/learners/{learner}/badges", headers=guardian)).json()["items"]
        return [a["badge_id"] for a in held]

    assert await read(30) == []
    assert await read(30) == [badge_id]
    assert await read(30) == [badge_id]
