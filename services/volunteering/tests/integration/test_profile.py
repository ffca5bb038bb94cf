"""Editing one's own profile: availability windows, talent pool, home community; nothing else."""

from __future__ import annotations

from volunteering_harness import Stack

WINDOWS = [
    {"weekday": 6, "starts": "08:30:00", "ends": "11:30:00"},
    {"weekday": 3, "starts": "19:00", "ends": "21:00"},
]


async def test_a_volunteer_edits_their_own_profile(stack: Stack) -> None:
    community = await stack.org("育才街社区", "community", stack.city_id)
    await stack.volunteer("yc-1", specialties=["书法"], availability=WINDOWS[:1])
    changed = await stack.volunteering.patch(
        "/v1/volunteers/me",
        json={
            "availability": WINDOWS,
            "talent_pool": True,
            "home_community_id": community,
            "specialties": ["书法", "国学"],
        },
        headers=stack.person("yc-1"),
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert [w["weekday"] for w in body["availability"]] == [6, 3]
    assert (body["talent_pool"], body["home_community_id"], body["specialties"]) == (
        True,
        community,
        ["书法", "国学"],
    )
    assert (body["verified_minutes"], body["star_level"], body["star_level_label"]) == (0, 0, "未评星")
    again = (await stack.volunteering.get("/v1/volunteers/me", headers=stack.person("yc-1"))).json()
    assert again["availability"] == body["availability"]


async def test_bad_profile_changes_are_refused_and_change_nothing(stack: Stack) -> None:
    await stack.volunteer("yc-2", availability=WINDOWS[:1])
    cases = [
        ({"availability": [WINDOWS[0], WINDOWS[0]]}, "availability_repeated", "availability.1"),
        (
            {"availability": [{"weekday": 2, "starts": "10:00", "ends": "09:00"}]},
            "availability_times",
            "availability.0.ends",
        ),
        ({"home_community_id": "org_" + "0" * 24}, "unknown_organization", "home_community_id"),
        ({"home_community_id": "org_nowhere"}, "invalid_input", "home_community_id"),
        ({"birth_date": "2001-01-01"}, None, None),
    ]
    for change, code, field in cases:
        refused = await stack.volunteering.patch(
            "/v1/volunteers/me", json=change, headers=stack.person("yc-2")
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        if code is not None:
            assert (refused.json()["code"], refused.json()["field"]) == (code, field)
    after = (await stack.volunteering.get("/v1/volunteers/me", headers=stack.person("yc-2"))).json()
    assert after["availability"][0]["weekday"] == WINDOWS[0]["weekday"]
    assert len(after["availability"]) == 1
    assert after["home_community_id"] is None


async def test_only_registered_volunteers_have_a_profile_to_edit(stack: Stack) -> None:
    missing = await stack.volunteering.patch(
        "/v1/volunteers/me", json={"talent_pool": True}, headers=stack.person("nobody")
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "not_registered")


async def test_editing_availability_or_specialties_rewrites_the_match_slots(stack: Stack) -> None:
    """Volunteers-for-a-shift finds volunteers by these fields: an edit must move them at once."""
    await stack.volunteer("yc-3", specialties=["书法"], availability=WINDOWS[:1])
    volunteers = stack.volunteering_app.state.runtime.db["volunteers"]
    first = await volunteers.find_one({"subject_id": "yc-3"})
    assert first is not None
    assert first["weekly_slots"] == ["6-08", "6-09", "6-10", "6-11"]
    assert first["skill_slots"] == ["书法@6-am"]
    changed = await stack.volunteering.patch(
        "/v1/volunteers/me", json={"availability": WINDOWS[1:]}, headers=stack.person("yc-3")
    )
    assert changed.status_code == 200, changed.text
    moved = await volunteers.find_one({"subject_id": "yc-3"})
    assert moved is not None
    assert (moved["weekly_slots"], moved["skill_slots"]) == (["3-19", "3-20"], ["书法@3-eve"])
    changed = await stack.volunteering.patch(
        "/v1/volunteers/me", json={"specialties": ["国学"]}, headers=stack.person("yc-3")
    )
    assert changed.status_code == 200, changed.text
    retagged = await volunteers.find_one({"subject_id": "yc-3"})
    assert retagged is not None
    assert (retagged["weekly_slots"], retagged["skill_slots"]) == (["3-19", "3-20"], ["国学@3-eve"])
