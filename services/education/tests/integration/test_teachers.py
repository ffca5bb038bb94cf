"""The teacher pool (社区教育师资库) on the real store and bus: staff entries, volunteer candidates,
trainings, rotation, and what each reader sees."""

from __future__ import annotations

import asyncio
from typing import Any

from education_harness import Stack
from qingchun_contracts.volunteering import VolunteerRegistered
from qingchun_plumbing.mongo import Document

TOPICS = [
    "policy_and_law",
    "professional_ethics",
    "lifelong_learning_theory",
    "subject_knowledge",
    "social_work",
]


def _teacher(community: str, subject: str = "t-zhang", **fields: Any) -> dict[str, Any]:
    return {
        "subject_id": subject,
        "display_name": "张老师",
        "source": "retiree",
        "engagement": "part_time",
        "specialties": ["书法", "老年电脑"],
        "home_community_id": community,
    } | fields


async def _communities(stack: Stack) -> tuple[str, str]:
    """Two communities under one street: staff of one are outsiders to the other."""
    street = await stack.org("城北街道团工委", "league_working_committee", stack.city_id)
    return await stack.org("和平社区", "community", street), await stack.org(
        "朔方路社区", "community", street
    )


async def _add(stack: Stack, community: str, **fields: Any) -> dict[str, Any]:
    response = await stack.education.post(
        "/v1/teachers", json=_teacher(community, **fields), headers=stack.staff(community)
    )
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


async def _candidate(stack: Stack, subject: str, within: float = 10) -> Document:
    deadline = asyncio.get_running_loop().time() + within
    while (found := await stack.context.schools.teacher_of(subject)) is None:
        assert asyncio.get_running_loop().time() < deadline, "the volunteer never became a candidate"
        await asyncio.sleep(0.05)
    return found


async def test_staff_add_a_teacher_who_qualifies_with_five_trainings(stack: Stack) -> None:
    community, _ = await _communities(stack)
    teacher = await _add(stack, community)
    assert (teacher["display_name"], teacher["source_label"], teacher["engagement_label"]) == (
        "张老师",
        "离退休人员",
        "兼职",
    )
    assert (teacher["status"], teacher["qualified"], len(teacher["missing_trainings"])) == (
        "active",
        False,
        5,
    )
    assert await stack.context.schools.active_teacher_ids([teacher["id"], "tch_x"]) == {teacher["id"]}

    url = f"/v1/teachers/{teacher['id']}/trainings"
    for topic in TOPICS[:4]:
        done = await stack.education.post(
            url, json={"topic": topic, "completed_on": "2026-03-01"}, headers=stack.staff(community)
        )
        assert done.status_code == 200, done.text
    assert (done.json()["qualified"], [m["code"] for m in done.json()["missing_trainings"]]) == (
        False,
        ["social_work"],
    )
    future = await stack.education.post(
        url, json={"topic": "social_work", "completed_on": "2999-01-01"}, headers=stack.staff(community)
    )
    assert (future.status_code, future.json()["code"]) == (422, "training_in_future")
    last = await stack.education.post(
        url, json={"topic": "social_work", "completed_on": "2026-04-01"}, headers=stack.staff(community)
    )
    assert (last.json()["qualified"], last.json()["trainings"][-1]["topic_label"]) == (True, "社会工作知识")
    qualified = await stack.education.get(
        "/v1/teachers", params={"home_community_id": community, "qualified": "true"}, headers=stack.admin()
    )
    assert [t["id"] for t in qualified.json()["items"]] == [teacher["id"]]


async def test_others_see_only_id_source_and_specialties(stack: Stack) -> None:
    community, other = await _communities(stack)
    teacher = await _add(stack, community)
    for headers in (stack.person("resident"), stack.staff(other)):
        seen = await stack.education.get(f"/v1/teachers/{teacher['id']}", headers=headers)
        assert {k for k, v in seen.json().items() if v is not None} == {
            "id",
            "source",
            "source_label",
            "specialties",
        }
    as_self = await stack.education.get(
        "/v1/teachers", params={"ids": teacher["id"]}, headers=stack.person("t-zhang")
    )
    assert as_self.json()["items"][0]["display_name"] == "张老师"


async def test_refusals(stack: Stack) -> None:
    community, other = await _communities(stack)
    out_of_scope = await stack.education.post(
        "/v1/teachers", json=_teacher(community), headers=stack.staff(other)
    )
    assert out_of_scope.status_code == 403
    unknown = await stack.education.post(
        "/v1/teachers", json=_teacher("org_" + "0" * 24), headers=stack.admin()
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_organization")
    teacher = await _add(stack, community)
    twice = await stack.education.post(
        "/v1/teachers", json=_teacher(community), headers=stack.staff(community)
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "already_in_pool")
    foreign = await stack.education.post(
        f"/v1/teachers/{teacher['id']}:deactivate", headers=stack.staff(other)
    )
    assert foreign.status_code == 403
    confirm_active = await stack.education.post(
        f"/v1/teachers/{teacher['id']}:confirm", json={}, headers=stack.staff(community)
    )
    assert (confirm_active.status_code, confirm_active.json()["code"]) == (409, "invalid_transition")


async def test_rotation_takes_a_teacher_out_of_and_back_into_service(stack: Stack) -> None:
    community, _ = await _communities(stack)
    teacher = await _add(stack, community)
    base = f"/v1/teachers/{teacher['id']}"
    out = await stack.education.post(f"{base}:deactivate", headers=stack.staff(community))
    assert (out.status_code, out.json()["status_label"]) == (200, "轮换停用")
    assert await stack.context.schools.active_teacher_ids([teacher["id"]]) == set()
    again = await stack.education.post(f"{base}:deactivate", headers=stack.staff(community))
    assert again.status_code == 409
    back = await stack.education.post(f"{base}:reactivate", headers=stack.staff(community))
    assert back.json()["status"] == "active"
    assert await stack.context.schools.active_teacher_ids([teacher["id"]]) == {teacher["id"]}


async def test_a_volunteer_opting_into_teaching_becomes_a_candidate_once(stack: Stack) -> None:
    community, _ = await _communities(stack)
    registered = VolunteerRegistered(
        volunteer_id="vol_" + "a" * 24,
        subject_id="v-li",
        volunteer_type="student",
        home_community_id=community,
        age_band="adult",
        teaching_opt_in=True,
    )
    envelope = await stack.publish(registered)
    await stack.publish(
        registered.model_copy(
            update={"volunteer_id": "vol_" + "b" * 24, "subject_id": "v-no", "teaching_opt_in": False}
        )
    )
    candidate = await _candidate(stack, "v-li")
    assert (candidate["status"], candidate["source"], candidate["engagement"], candidate["volunteer_id"]) == (
        "candidate",
        "volunteer",
        "volunteer",
        "vol_" + "a" * 24,
    )
    await stack.republish(envelope)
    await stack.publish(registered)  # the same fact under a new event id: still one entry
    later = registered.model_copy(
        update={"volunteer_id": "vol_" + "d" * 24, "subject_id": "v-later", "home_community_id": None}
    )
    await stack.publish(later)
    await _candidate(stack, "v-later")  # published after the duplicates, so they were handled too
    listed = await stack.education.get(
        "/v1/teachers", params={"home_community_id": community}, headers=stack.staff(community)
    )
    assert [t["id"] for t in listed.json()["items"]] == [candidate["_id"]]
    assert await stack.context.schools.teacher_of("v-no") is None
    assert await stack.context.schools.active_teacher_ids([candidate["_id"]]) == set()

    url = f"/v1/teachers/{candidate['_id']}:confirm"
    unnamed = await stack.education.post(url, json={}, headers=stack.staff(community))
    assert (unnamed.status_code, unnamed.json()["field"]) == (422, "display_name")
    confirmed = await stack.education.post(
        url, json={"display_name": "李同学", "specialties": ["少儿英语"]}, headers=stack.staff(community)
    )
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["status"], confirmed.json()["display_name"]) == ("active", "李同学")
    assert await stack.context.schools.active_teacher_ids([candidate["_id"]]) == {candidate["_id"]}


async def test_a_volunteer_already_in_the_pool_is_linked_not_added(stack: Stack) -> None:
    community, _ = await _communities(stack)
    teacher = await _add(stack, community, subject="v-wang")
    await stack.publish(
        VolunteerRegistered(
            volunteer_id="vol_" + "c" * 24,
            subject_id="v-wang",
            volunteer_type="retiree",
            age_band="adult",
            teaching_opt_in=True,
        )
    )
    deadline = asyncio.get_running_loop().time() + 10
    while (await stack.context.schools.teacher(teacher["id"]) or {}).get("volunteer_id") is None:
        assert asyncio.get_running_loop().time() < deadline, "the volunteer id was never linked"
        await asyncio.sleep(0.05)
    kept = await stack.education.get(f"/v1/teachers/{teacher['id']}", headers=stack.staff(community))
    assert (kept.json()["status"], kept.json()["source"]) == ("active", "retiree")


async def test_a_candidate_without_a_community_gets_one_on_confirmation(stack: Stack) -> None:
    community, other = await _communities(stack)
    await stack.publish(
        VolunteerRegistered(
            volunteer_id="vol_" + "e" * 24,
            subject_id="v-zhao",
            volunteer_type="teacher",
            age_band="adult",
            teaching_opt_in=True,
        )
    )
    candidate = await _candidate(stack, "v-zhao")
    url = f"/v1/teachers/{candidate['_id']}:confirm"
    named = {"display_name": "赵老师"}
    homeless = await stack.education.post(url, json=named, headers=stack.staff(community))
    assert (homeless.status_code, homeless.json()["field"]) == (422, "home_community_id")
    foreign = await stack.education.post(
        url, json=named | {"home_community_id": community}, headers=stack.staff(other)
    )
    assert foreign.status_code == 403
    confirmed = await stack.education.post(
        url, json=named | {"home_community_id": community}, headers=stack.staff(community)
    )
    assert (confirmed.json()["status"], confirmed.json()["home_community_id"]) == ("active", community)
