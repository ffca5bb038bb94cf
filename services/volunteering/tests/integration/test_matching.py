"""Matching on the real store: a small world whose best matches are known, and who may ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from qingchun_plumbing.derived import BACKFILLS, backfill
from qingchun_plumbing.testing.fixtures import serve
from qingchun_plumbing.testing.probe import eventually
from qingchun_volunteering.app.volunteers import MATCH_FIELDS
from qingchun_volunteering.domain.matching import shift_skill_slots, shift_slots
from qingchun_volunteering.service import create_app
from qingchun_volunteering.settings import VolunteeringSettings
from volunteering_harness import Stack

SHANGHAI = ZoneInfo("Asia/Shanghai")
SATURDAY_MORNING = [{"weekday": 6, "starts": "09:00:00", "ends": "12:00:00"}]


def next_saturday_nine() -> datetime:
    today = datetime.now(SHANGHAI).date() + timedelta(days=2)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    return datetime(saturday.year, saturday.month, saturday.day, 9, tzinfo=SHANGHAI)


def shift(starts: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "capacity": 5,
        "place": "育才街社区青年之家",
    } | fields


@dataclass
class World:
    street: str
    home: str
    neighbour: str
    far_street: str
    far: str
    shift_id: str
    far_shift_id: str
    planned_shift_id: str
    ids: dict[str, str]


async def world(stack: Stack) -> World:
    """育才街社区 and 西湖社区 in one street, 香雪社区 in another; a first-aid shift at 育才街社区."""
    street = await stack.org("城区街道团工委", "league_working_committee", stack.city_id)
    home = await stack.org("育才街社区", "community", street)
    neighbour = await stack.org("西湖社区", "community", street)
    far_street = await stack.org("东塔街道团工委", "league_working_committee", stack.city_id)
    far = await stack.org("香雪社区", "community", far_street)
    saturday = next_saturday_nine()
    ids = {}
    for subject, community, skills, born in [
        ("alice", home, ["急救"], "1998-05-04"),
        ("bob", neighbour, [], "1995-01-01"),
        ("carol", far, ["急救"], "1990-03-03"),
    ]:
        created = await stack.volunteer(
            subject, born=born, home_community_id=community, specialties=skills, availability=SATURDAY_MORNING
        )
        ids[subject] = created["id"]
    teen_born = date(datetime.now(SHANGHAI).year - 15, 1, 1).isoformat()
    teen = await stack.volunteer(
        "teen",
        born=teen_born,
        home_community_id=home,
        specialties=["急救"],
        availability=SATURDAY_MORNING,
        guardian_subject_id="teen-guardian",
        phone="13800000000",
    )
    ids["teen"] = teen["id"]
    first_aid = await stack.activity(home, shifts=[shift(saturday, required_skills=["急救"])])
    elsewhere = await stack.activity(far, shifts=[shift(saturday)])
    planned = await stack.activity(home, publish=False, shifts=[shift(saturday + timedelta(days=1))])
    return World(
        street,
        home,
        neighbour,
        far_street,
        far,
        first_aid["shift_ids"][0],
        elsewhere["shift_ids"][0],
        planned["shift_ids"][0],
        ids,
    )


def reasons(item: dict[str, Any]) -> dict[str, str]:
    return {r["factor"]: r["detail"] for r in item["reasons"]}


async def test_a_volunteer_gets_open_shifts_near_home_with_reasons(stack: Stack) -> None:
    w = await world(stack)
    response = await stack.volunteering.get("/v1/volunteers/me/matches", headers=stack.person("alice"))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["id"] for i in items] == [w.shift_id]  # not the far street's, not the unpublished one
    best = items[0]
    assert best["eligible"] is True
    assert reasons(best) == {
        "skills": "具备所需技能1/1项",
        "availability": "可服务时间覆盖180/180分钟",
        "proximity": "同社区",
        "reliability": "暂无服务记录（按新志愿者估计）",
        "eligibility": "符合年龄要求",
    }
    assert best["score"] == pytest.approx(0.35 + 0.30 + 0.20 + 0.15 * 0.8)
    labels = {r["factor"]: r["factor_label"] for r in best["reasons"]}
    assert labels["proximity"] == "就近"


async def test_a_minor_without_consent_sees_the_shift_last_with_the_reason(stack: Stack) -> None:
    w = await world(stack)
    response = await stack.volunteering.get("/v1/volunteers/me/matches", headers=stack.person("teen"))
    assert response.status_code == 200, response.text
    (item,) = response.json()["items"]
    assert (item["id"], item["eligible"], item["score"]) == (w.shift_id, False, 0)
    gate = next(r for r in item["reasons"] if r["factor"] == "eligibility")
    assert gate["code"] == "consent_required"


async def test_organisers_rank_volunteers_for_a_shift(stack: Stack) -> None:
    w = await world(stack)
    staff = stack.isolation.headers("community_staff", scope=[w.street], subject="staff-1")
    response = await stack.volunteering.get(f"/v1/shifts/{w.shift_id}/matches", headers=staff)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    ids = {v: k for k, v in w.ids.items()}
    # alice: skill, time, same community; carol: skill and time, but another street; bob: same
    # street, no first aid; the teen has everything but a guardian's consent, so comes last.
    assert [ids[i["id"]] for i in items] == ["alice", "carol", "bob", "teen"]
    assert [i["eligible"] for i in items] == [True, True, True, False]
    assert reasons(items[1])["proximity"] == "同市"
    assert reasons(items[2])["proximity"] == "同街道"
    assert reasons(items[2])["skills"] == "具备所需技能0/1项"
    assert items[0]["score"] > items[1]["score"] > items[2]["score"]


async def test_a_minor_appears_only_as_id_band_score_and_reasons(stack: Stack) -> None:
    w = await world(stack)
    response = await stack.volunteering.get(f"/v1/shifts/{w.shift_id}/matches", headers=stack.admin())
    assert response.status_code == 200, response.text
    teen = next(i for i in response.json()["items"] if i["id"] == w.ids["teen"])
    assert set(teen) == {"id", "age_band", "age_band_label", "score", "eligible", "reasons"}
    assert teen["age_band"] == "minor"
    for secret in ("志愿者teen", "13800000000", "teen-guardian", "-01-01"):
        assert secret not in response.text


async def test_pages_follow_the_rank(stack: Stack) -> None:
    w = await world(stack)
    url = f"/v1/shifts/{w.shift_id}/matches"
    first = (await stack.volunteering.get(url, params={"limit": 2}, headers=stack.admin())).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = (
        await stack.volunteering.get(
            url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=stack.admin()
        )
    ).json()
    everything = (await stack.volunteering.get(url, headers=stack.admin())).json()["items"]
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in everything]
    assert second["next_cursor"] is None


async def test_who_may_rank_volunteers(stack: Stack) -> None:
    w = await world(stack)
    url = f"/v1/shifts/{w.shift_id}/matches"
    as_volunteer = await stack.volunteering.get(url, headers=stack.person("alice"))
    assert (as_volunteer.status_code, as_volunteer.json()["code"]) == (403, "role_required")
    elsewhere = stack.isolation.headers("community_staff", scope=[w.far_street], subject="staff-2")
    out_of_scope = await stack.volunteering.get(url, headers=elsewhere)
    assert (out_of_scope.status_code, out_of_scope.json()["code"]) == (403, "out_of_scope")
    guardian = await stack.volunteering.get(url, headers=stack.person("teen-guardian", "guardian"))
    assert guardian.status_code == 403
    partner = stack.isolation.headers("partner", scope=[stack.city_id], subject="partner-1")
    assert (await stack.volunteering.get(url, headers=partner)).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 51}, "limit"), ({"limit": 0}, "limit"), ({"cursor": "not-a-cursor"}, "cursor")],
)
async def test_bad_paging_is_refused(stack: Stack, params: dict[str, Any], field: str) -> None:
    await stack.volunteer("dora")
    response = await stack.volunteering.get(
        "/v1/volunteers/me/matches", params=params, headers=stack.person("dora")
    )
    assert response.status_code == 422, response.text
    assert field in response.text


async def test_unknown_shift_and_unregistered_caller(stack: Stack) -> None:
    missing = await stack.volunteering.get("/v1/shifts/sft_missing/matches", headers=stack.admin())
    assert missing.status_code == 404
    nobody = await stack.volunteering.get("/v1/volunteers/me/matches", headers=stack.person("nobody"))
    assert (nobody.status_code, nobody.json()["code"]) == (404, "not_registered")


async def test_only_volunteers_free_when_the_shift_runs_are_candidates(stack: Stack) -> None:
    """The candidate queries read by ``weekly_slots``/``skill_slots``, kept by registration."""
    home = await stack.org("育才街社区", "community", stack.city_id)
    saturday = next_saturday_nine()
    sunday_morning = [{"weekday": 7, "starts": "09:00:00", "ends": "12:00:00"}]
    saturday_late = [{"weekday": 6, "starts": "11:30:00", "ends": "13:00:00"}]
    ids = {}
    for subject, windows, skills in [
        ("free", SATURDAY_MORNING, []),
        ("late", saturday_late, ["急救"]),
        ("sunday", sunday_morning, ["急救"]),
        ("never", [], ["急救"]),
    ]:
        created = await stack.volunteer(
            subject, home_community_id=home, availability=windows, specialties=skills
        )
        ids[created["id"]] = subject
    matching = stack.context.matching
    hours = shift_slots(saturday, saturday + timedelta(hours=3), SHANGHAI)
    free = await matching.volunteers_free(home, hours)
    assert sorted(ids[v["_id"]] for v in free) == ["free", "late"]
    keys = shift_skill_slots(["急救"], saturday, saturday + timedelta(hours=3), SHANGHAI)
    skilled = await matching.volunteers_with_skill_free(keys[0], [home])
    assert [ids[v["_id"]] for v in skilled] == ["late"]


async def test_volunteers_written_before_the_slots_get_them_when_the_service_starts(stack: Stack) -> None:
    """The job wired in service.py, on a database as the release before left it: a volunteer
    without ``weekly_slots``/``skill_slots`` and no mark. A service starting on it gives them the
    fields; the next run, finding nothing, marks the collection done."""
    db = stack.volunteering_app.state.runtime.db
    volunteers, marks = db["volunteers"], db[BACKFILLS]

    async def marked() -> bool:
        return await marks.find_one({"_id": MATCH_FIELDS.name}) is not None

    await eventually(marked, what="the running service's first run marking its empty collection")
    home = await stack.org("西湖社区", "community", stack.city_id)
    created = await stack.volunteer(
        "old", home_community_id=home, availability=SATURDAY_MORNING, specialties=["急救"]
    )
    await volunteers.update_one({"_id": created["id"]}, {"$unset": {"weekly_slots": "", "skill_slots": ""}})
    await marks.delete_many({})
    saturday = next_saturday_nine()
    hours = shift_slots(saturday, saturday + timedelta(hours=3), SHANGHAI)
    (skill_slot,) = shift_skill_slots(["急救"], saturday, saturday + timedelta(hours=3), SHANGHAI)
    matching = stack.context.matching
    assert await matching.volunteers_free(home, hours) == []

    async def found() -> bool:
        return [v["_id"] for v in await matching.volunteers_free(home, hours)] == [created["id"]]

    settings = stack.isolation.settings(VolunteeringSettings, "volunteering")
    async with serve(create_app(settings)):
        await eventually(found, what="the volunteer backfilled by the starting service")
    skilled = await matching.volunteers_with_skill_free(skill_slot, [home])
    assert [v["_id"] for v in skilled] == [created["id"]]
    fields = {"weekly_slots": 1, "skill_slots": 1, "version": 1}
    before = await volunteers.find_one({"_id": created["id"]}, fields)
    assert before is not None
    assert (before["weekly_slots"], before["version"]) == (["6-09", "6-10", "6-11"], 1)
    assert not await marked()  # that run wrote: an old instance may still be writing
    assert await backfill(db, MATCH_FIELDS) == 0
    assert await marked()
    assert await volunteers.find_one({"_id": created["id"]}, fields) == before
