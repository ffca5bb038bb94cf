"""Job-seeker profiles over HTTP on the real store: registration, privacy, the status machine, lists."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from employment_harness import Stack
from qingchun_plumbing.mongo import Database
from qingchun_plumbing.testing.fixtures import EventTap

NAME, PHONE = "李晓红", "13912345678"


def body(community: str, **changes: Any) -> dict[str, Any]:
    return {
        "real_name": NAME,
        "phone": PHONE,
        "birth_year": 2000,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "returning_student",
        "skills": ["e-commerce", "sewing", "e-commerce"],
        "wanted_categories": ["textile"],
        "wanted_kinds": ["full_time", "homecoming_internship"],
        "available_from": "2026-07-01",
        "entrepreneurial_intent": True,
        "employment_intent": "想在孝感本地从事电商运营",
    } | changes


async def register(stack: Stack, subject: str, community: str, **changes: Any) -> dict[str, Any]:
    response = await stack.employment.post(
        "/v1/seekers", json=body(community, **changes), headers=stack.person(subject)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def db(stack: Stack) -> Database:
    database: Database = stack.employment_app.state.runtime.db
    return database


async def count(stack: Stack) -> int:
    return await db(stack)["seekers"].count_documents({})


# registration ----------------------------------------------------------------------------------
async def test_a_youth_registers_with_consent_and_reads_their_own_profile(stack: Stack) -> None:
    community = await stack.community()
    created = await register(stack, "youth-1", community)
    assert (created["real_name"], created["phone"], created["status"]) == (NAME, PHONE, "registered")
    assert created["skills"] == ["e-commerce", "sewing"]
    assert created["consent"]["version"] == "2026-01"
    assert created["category_label"] == "返乡大学生"

    stored = await stack.context.seekers.seeker(created["id"])
    assert stored is not None
    assert stored["subject_id"] == "youth-1"
    assert stored["area_ids"] == [community, *await stack.context.orgs.ancestor_ids(community)]
    assert set(stored["consent"]) == {"recorded_at", "version"}
    assert "birth_date" not in stored
    assert stored["birth_year"] == 2000

    mine = await stack.employment.get("/v1/seekers/me", headers=stack.person("youth-1"))
    assert mine.status_code == 200, mine.text
    assert mine.json()["id"] == created["id"]
    other = await stack.employment.get("/v1/seekers/me", headers=stack.person("nobody"))
    assert (other.status_code, other.json()["code"]) == (404, "not_registered")


async def test_one_profile_per_account(stack: Stack) -> None:
    community = await stack.community()
    await register(stack, "youth-1", community)
    again = await stack.employment.post("/v1/seekers", json=body(community), headers=stack.person("youth-1"))
    assert (again.status_code, again.json()["code"]) == (409, "already_registered")
    assert await count(stack) == 1


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"consent": None}, 422, "consent_required", "consent.accepted"),
        ({"consent": {"accepted": False, "version": "2026-01"}}, 422, "consent_required", "consent.accepted"),
        ({"birth_year": 2012}, 422, "under_working_age", "birth_year"),
        ({"phone": "02712345678"}, 422, "invalid_input", "phone"),
        ({"real_name": "李"}, 422, "invalid_input", "real_name"),
        ({"skills": ["cert:vocational_skills"]}, 422, "invalid_input", "skills.0"),
        ({"id_number": "420902200001011234"}, 422, "invalid_input", "id_number"),
    ],
)
async def test_refused_registrations_write_nothing(
    stack: Stack, changes: dict[str, Any], status: int, code: str, field: str
) -> None:
    community = await stack.community()
    refused = await stack.employment.post(
        "/v1/seekers", json=body(community, **changes), headers=stack.person("youth-1")
    )
    assert refused.status_code == status, refused.text
    assert (refused.json()["code"], refused.json()["field"]) == (code, field)
    assert NAME not in refused.text
    assert PHONE not in refused.text
    assert await count(stack) == 0


async def test_the_residence_must_be_an_active_community(stack: Stack) -> None:
    employer = await stack.employer()
    refused = await stack.employment.post("/v1/seekers", json=body(employer), headers=stack.person("youth-1"))
    assert (refused.status_code, refused.json()["code"]) == (422, "not_a_community")
    unknown = await stack.employment.post(
        "/v1/seekers", json=body("org_" + "0" * 24), headers=stack.person("youth-1")
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_organization")
    assert await count(stack) == 0


# privacy ---------------------------------------------------------------------------------------
async def test_another_seeker_cannot_read_a_profile(stack: Stack) -> None:
    community = await stack.community()
    created = await register(stack, "youth-1", community)
    await register(stack, "youth-2", community, phone="13800000000")
    before = await stack.context.seekers.seeker(created["id"])

    refused = await stack.employment.get(f"/v1/seekers/{created['id']}", headers=stack.person("youth-2"))
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_profile")
    assert NAME not in refused.text
    assert PHONE not in refused.text
    services = await stack.employment.get(
        f"/v1/seekers/{created['id']}/services", headers=stack.person("youth-2")
    )
    assert (services.status_code, services.json()["code"]) == (403, "not_your_profile")
    assert await stack.context.seekers.seeker(created["id"]) == before


async def test_league_staff_of_the_community_see_all_and_of_another_nothing(stack: Stack) -> None:
    community = await stack.community()
    elsewhere = await stack.community("中山社区")
    created = await register(stack, "youth-1", community, id_last4="123x")

    seen = await stack.employment.get(f"/v1/seekers/{created['id']}", headers=stack.staff(community))
    assert seen.status_code == 200, seen.text
    assert (seen.json()["phone"], seen.json()["id_last4"], seen.json()["category"]) == (
        PHONE,
        "123X",
        "returning_student",
    )
    city = await stack.employment.get(f"/v1/seekers/{created['id']}", headers=stack.admin())
    assert city.json()["real_name"] == NAME

    other = stack.staff(elsewhere)
    refused = await stack.employment.get(f"/v1/seekers/{created['id']}", headers=other)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_profile")
    assess = await stack.employment.post(
        f"/v1/seekers/{created['id']}:assess", json={"notes": "四知四清四掌握"}, headers=other
    )
    assert (assess.status_code, assess.json()["code"]) == (403, "out_of_scope")
    listed = await stack.employment.get("/v1/seekers", params={"area_id": community}, headers=other)
    assert (listed.status_code, listed.json()["code"]) == (403, "out_of_scope")
    stored = await stack.context.seekers.seeker(created["id"])
    assert stored is not None
    assert (stored["status"], stored["version"]) == ("registered", 1)


# the community's work with a seeker --------------------------------------------------------------
async def test_intake_services_and_inactivity_follow_the_status_machine(stack: Stack) -> None:
    community = await stack.community()
    created = await register(stack, "youth-1", community)
    staff, url = stack.staff(community, subject="staff-1"), f"/v1/seekers/{created['id']}"
    service = {"type": "skills_training", "date": "2026-01-10", "note": "电商运营培训"}

    early = await stack.employment.post(f"{url}/services", json=service, headers=staff)
    assert (early.status_code, early.json()["code"]) == (409, "invalid_transition")
    early_off = await stack.employment.post(f"{url}:deactivate", headers=staff)
    assert (early_off.status_code, early_off.json()["code"]) == (409, "invalid_transition")

    assessed = await stack.employment.post(
        f"{url}:assess", json={"notes": "四知四清四掌握：有电商意向"}, headers=staff
    )
    assert assessed.status_code == 200, assessed.text
    assert (assessed.json()["status"], assessed.json()["assessment"]["assessed_by"]) == (
        "assessed",
        "staff-1",
    )
    twice = await stack.employment.post(f"{url}:assess", json={"notes": "again"}, headers=staff)
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")

    future = await stack.employment.post(
        f"{url}/services", json=service | {"date": "2999-01-01"}, headers=staff
    )
    assert (future.status_code, future.json()["code"]) == (422, "service_date_in_future")
    first = await stack.employment.post(f"{url}/services", json=service, headers=staff)
    assert first.status_code == 201, first.text
    assert (first.json()["type_label"], first.json()["recorded_by"]) == ("技能培训", "staff-1")
    second = {"type": "outreach_jobs", "date": "2026-01-12"}
    assert (await stack.employment.post(f"{url}/services", json=second, headers=staff)).status_code == 201
    profile = (await stack.employment.get(url, headers=staff)).json()
    assert (profile["status"], profile["services_count"]) == ("serviced", 2)

    page = await stack.employment.get(f"{url}/services", params={"limit": 1}, headers=stack.person("youth-1"))
    assert [s["type"] for s in page.json()["items"]] == ["skills_training"]
    rest = await stack.employment.get(
        f"{url}/services", params={"cursor": page.json()["next_cursor"]}, headers=staff
    )
    assert [s["type"] for s in rest.json()["items"]] == ["outreach_jobs"]
    assert rest.json()["next_cursor"] is None

    off = await stack.employment.post(f"{url}:deactivate", headers=staff)
    assert off.json()["status"] == "inactive"
    idle = await stack.employment.post(f"{url}/services", json=service, headers=staff)
    assert (idle.status_code, idle.json()["code"]) == (409, "invalid_transition")
    back = await stack.employment.post(f"{url}:reactivate", headers=staff)
    assert back.json()["status"] == "serviced"
    again = await stack.employment.post(f"{url}:reactivate", headers=staff)
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


async def test_the_seeker_cannot_assess_or_serve_themself(stack: Stack) -> None:
    community = await stack.community()
    created = await register(stack, "youth-1", community)
    own = await stack.employment.post(
        f"/v1/seekers/{created['id']}:assess", json={"notes": "我自己"}, headers=stack.person("youth-1")
    )
    assert (own.status_code, own.json()["code"]) == (403, "role_required")
    missing = await stack.employment.post(
        "/v1/seekers/skr_000000000000000000000000:assess", json={"notes": "x"}, headers=stack.staff(community)
    )
    assert missing.status_code == 404


# lists -----------------------------------------------------------------------------------------
async def test_league_staff_list_the_seekers_of_their_area_without_phones(stack: Stack) -> None:
    community = await stack.community()
    elsewhere = await stack.community("中山社区")
    first = await register(stack, "youth-1", community)
    second = await register(stack, "youth-2", community, category="laid_off", skills=["driving"])
    away = await register(stack, "youth-3", elsewhere)
    staff = stack.staff(community)

    listed = await stack.employment.get(
        "/v1/seekers", params={"area_id": community, "limit": 1}, headers=staff
    )
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()["items"]] == [first["id"]]
    assert PHONE not in listed.text
    assert "phone" not in listed.json()["items"][0]
    rest = await stack.employment.get(
        "/v1/seekers", params={"area_id": community, "cursor": listed.json()["next_cursor"]}, headers=staff
    )
    assert [s["id"] for s in rest.json()["items"]] == [second["id"]]

    by_category = await stack.employment.get(
        "/v1/seekers", params={"area_id": community, "category": "laid_off"}, headers=staff
    )
    assert [s["id"] for s in by_category.json()["items"]] == [second["id"]]
    by_skill = await stack.employment.get(
        "/v1/seekers", params={"area_id": community, "skill": "sewing"}, headers=staff
    )
    assert [s["id"] for s in by_skill.json()["items"]] == [first["id"]]
    city = await stack.employment.get(
        "/v1/seekers", params={"area_id": stack.city_id, "status": "registered"}, headers=stack.admin()
    )
    assert len(city.json()["items"]) == 3

    batch = await stack.employment.get(
        "/v1/seekers", params={"ids": f"{away['id']},{second['id']}"}, headers=staff
    )
    assert [s["id"] for s in batch.json()["items"]] == [second["id"]]
    youth = await stack.employment.get(
        "/v1/seekers", params={"area_id": community}, headers=stack.person("x")
    )
    assert (youth.status_code, youth.json()["code"]) == (403, "role_required")
    unnamed = await stack.employment.get("/v1/seekers", headers=staff)
    assert (unnamed.status_code, unnamed.json()["field"]) == (422, "area_id")


# editing one's own profile -----------------------------------------------------------------------
async def test_a_seeker_edits_their_profile_and_keeps_certified_skills(stack: Stack) -> None:
    community = await stack.community()
    moved_to = await stack.community("城东社区")
    created = await register(stack, "youth-1", community)
    await db(stack)["seekers"].update_one(
        {"_id": created["id"]}, {"$push": {"skills": "cert:vocational_skills"}, "$inc": {"version": 1}}
    )
    me = stack.person("youth-1")

    changed = await stack.employment.patch(
        "/v1/seekers/me",
        json={"skills": ["driving"], "residence_community_id": moved_to, "available_from": None},
        headers=me,
    )
    assert changed.status_code == 200, changed.text
    profile = changed.json()
    assert profile["skills"] == ["driving", "cert:vocational_skills"]
    assert (profile["residence_community_id"], profile["available_from"], profile["version"]) == (
        moved_to,
        None,
        3,
    )
    stored = await stack.context.seekers.seeker(created["id"])
    assert stored is not None
    assert stored["area_ids"][0] == moved_to

    cleared = await stack.employment.patch("/v1/seekers/me", json={"phone": None}, headers=me)
    assert (cleared.status_code, cleared.json()["code"], cleared.json()["field"]) == (
        422,
        "required",
        "phone",
    )
    young = await stack.employment.patch("/v1/seekers/me", json={"birth_year": 2015}, headers=me)
    assert (young.status_code, young.json()["code"]) == (422, "under_working_age")
    status = await stack.employment.patch("/v1/seekers/me", json={"status": "employed"}, headers=me)
    assert status.status_code == 422
    assert (await stack.context.seekers.seeker(created["id"])) == stored


# names and phones stay in the profile -----------------------------------------------------------
async def test_name_and_phone_never_reach_events_or_logs(
    stack: Stack, event_tap: EventTap, caplog: pytest.LogCaptureFixture
) -> None:
    community = await stack.community()
    caplog.set_level(logging.DEBUG)
    since = datetime.now(UTC)
    created = await register(stack, "youth-1", community)
    me = stack.person("youth-1")
    await stack.employment.patch(
        "/v1/seekers/me", json={"real_name": "李晓虹", "phone": "13700001111"}, headers=me
    )
    await stack.employment.post(
        f"/v1/seekers/{created['id']}:assess",
        json={"notes": "四知四清四掌握"},
        headers=stack.staff(community),
    )

    logged = [r for r in caplog.records if r.created >= since.timestamp()]
    assert any(getattr(r, "seeker_id", None) == created["id"] for r in logged)  # the writes were logged…
    text = "\n".join(f"{r.getMessage()} {vars(r)}" for r in logged)
    for personal in (NAME, PHONE, "李晓虹", "13700001111"):
        assert personal not in text  # …by id only
        assert all(personal not in e.model_dump_json() for e in event_tap.received)
