"""Ventures (创业项目) and 创业明星 nominations on the real store and bus."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from employment_harness import Stack
from qingchun_contracts.employment import VentureStarted
from qingchun_employment.app import ventures
from qingchun_employment.app.venture_commands import VentureCreate
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.testing.fixtures import EventTap

_phones = itertools.count(13700000001)


@dataclass
class Scene:
    street: str
    community: str
    founder: str


async def scene(stack: Stack) -> Scene:
    street = await stack.org("新华街道团工委", "league_working_committee", stack.city_id)
    community = await stack.org("文昌阁社区", "community", street)
    body = {
        "real_name": "张建华",
        "phone": str(next(_phones)),
        "birth_year": 1998,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "returnee",
        "entrepreneurial_intent": True,
    }
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person("founder-1"))
    assert response.status_code == 201, response.text
    return Scene(street, community, response.json()["id"])


def venture_body(scene: Scene, **fields: object) -> dict[str, object]:
    return {
        "founder_seeker_id": scene.founder,
        "name": "孝感市建华电商工作室",
        "kind": "homecoming",
        "sector": "电子商务",
        "street_organization_id": scene.street,
        "started_on": "2026-03-01",
        "jobs_created": 3,
    } | fields


async def test_registering_a_venture_publishes_it_without_the_founder(
    stack: Stack, event_tap: EventTap
) -> None:
    here = await scene(stack)
    incubator = await stack.org("孝感市青年创业孵化基地", "incubator", here.street)
    body = venture_body(here, incubator_organization_id=incubator)
    response = await stack.employment.post("/v1/ventures", json=body, headers=stack.staff(here.street))
    assert response.status_code == 201, response.text
    venture = response.json()
    assert (venture["kind_label"], venture["founder_seeker_id"]) == ("返乡创业", here.founder)

    started = await event_tap.wait_for(VentureStarted.event_type, lambda e: e.subject == venture["id"])
    assert started.data == {
        "venture_id": venture["id"],
        "name": "孝感市建华电商工作室",
        "kind": "homecoming",
        "street_organization_id": here.street,
        "incubator_organization_id": incubator,
        "jobs_created": 3,
    }
    founder = await stack.context.seekers.seeker(here.founder)
    assert founder is not None
    assert founder["status"] == "started_business"


async def test_the_founder_is_shown_only_to_the_founder_and_street_staff(stack: Stack) -> None:
    here = await scene(stack)
    created = await stack.employment.post(
        "/v1/ventures", json=venture_body(here), headers=stack.staff(here.street)
    )
    path = f"/v1/ventures/{created.json()['id']}"
    seen = {
        who: (await stack.employment.get(path, headers=headers)).json()["founder_seeker_id"]
        for who, headers in {
            "founder": stack.person("founder-1"),
            "street staff": stack.staff(here.street),
            "community staff below": stack.staff(here.community),
            "stranger": stack.person("someone-else"),
        }.items()
    }
    assert seen == {
        "founder": here.founder,
        "street staff": here.founder,
        "community staff below": None,
        "stranger": None,
    }
    listed = await stack.employment.get(
        "/v1/ventures", params={"organization_id": stack.city_id}, headers=stack.person("someone-else")
    )
    assert [v["name"] for v in listed.json()["items"]] == ["孝感市建华电商工作室"]


async def test_registration_refusals_write_nothing(stack: Stack) -> None:
    here = await scene(stack)
    other_street = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    cases = [
        (venture_body(here), stack.staff(other_street), 403),
        (venture_body(here, started_on="2999-01-01"), stack.staff(here.street), 422),
        (venture_body(here, founder_seeker_id="skr_" + "0" * 24), stack.staff(here.street), 422),
        (venture_body(here, jobs_created=-1), stack.staff(here.street), 422),
    ]
    for body, headers, status in cases:
        response = await stack.employment.post("/v1/ventures", json=body, headers=headers)
        assert response.status_code == status, response.text
    assert await stack.context.ventures.find_ventures({}, None, 10) == []
    founder = await stack.context.seekers.seeker(here.founder)
    assert founder is not None
    assert founder["status"] == "registered"


async def test_the_street_community_and_incubator_are_checked_against_the_registry(stack: Stack) -> None:
    here = await scene(stack)
    other_street = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    other_community = await stack.org("城东社区", "community", other_street)
    enterprise = await stack.employer(parent_id=here.street)
    base = await stack.org("孝感市大学生创业示范基地", "entrepreneurship_demo_base", here.street)
    staff, city = stack.staff(here.street), stack.admin()
    street, community = "street_organization_id", "community_organization_id"
    incubator = "incubator_organization_id"
    cases = [
        ({street: here.community}, staff, "not_a_street", street),
        ({street: enterprise}, staff, "not_a_street", street),
        ({street: "org_" + "0" * 24}, city, "unknown_organization", street),
        ({community: other_community}, city, "community_not_in_street", community),
        ({community: enterprise}, staff, "not_a_community", community),
        ({incubator: enterprise}, staff, "not_an_incubator", incubator),
    ]
    for changes, headers, code, field in cases:
        body = venture_body(here, **changes)
        response = await stack.employment.post("/v1/ventures", json=body, headers=headers)
        problem = response.json()
        assert (response.status_code, problem["code"], problem["field"]) == (422, code, field), response.text
    assert await stack.context.ventures.find_ventures({}, None, 10) == []

    body = venture_body(here, community_organization_id=here.community, incubator_organization_id=base)
    created = await stack.employment.post("/v1/ventures", json=body, headers=staff)
    assert created.status_code == 201, created.text
    assert created.json()["community_organization_id"] == here.community


async def test_a_registration_interrupted_before_the_founders_status_is_finished_once(stack: Stack) -> None:
    here = await scene(stack)
    staff = Caller(subject="staff-1", roles=frozenset({Role.COMMUNITY_STAFF}), scope=frozenset({here.street}))
    # What a crash right after the venture's write leaves: the venture (and its event), the founder
    # not yet marked.
    written = await ventures.record_venture(stack.context, staff, VentureCreate(**venture_body(here)))
    founder = await stack.context.seekers.seeker(here.founder)
    assert founder is not None
    assert founder["status"] == "registered"

    assert await ventures.repair_founders(stack.context) == 1
    assert await ventures.repair_founders(stack.context) == 0
    founder = await stack.context.seekers.seeker(here.founder)
    stored = await stack.context.ventures.venture(written["_id"])
    assert founder is not None
    assert stored is not None
    assert (founder["status"], stored["founder_recorded"]) == ("started_business", True)


async def test_jobs_are_recorded_as_a_dated_history(stack: Stack) -> None:
    here = await scene(stack)
    created = await stack.employment.post(
        "/v1/ventures", json=venture_body(here), headers=stack.staff(here.street)
    )
    path = f"/v1/ventures/{created.json()['id']}/jobs"
    for on, jobs in [("2026-06-01", 8), ("2026-04-01", 5)]:
        response = await stack.employment.post(
            path, json={"on": on, "jobs": jobs}, headers=stack.staff(here.street)
        )
        assert response.status_code == 200, response.text
    assert response.json()["jobs_created"] == 8
    assert response.json()["jobs_history"] == [
        {"on": "2026-03-01", "jobs": 3},
        {"on": "2026-04-01", "jobs": 5},
        {"on": "2026-06-01", "jobs": 8},
    ]
    early = await stack.employment.post(
        path, json={"on": "2026-02-01", "jobs": 1}, headers=stack.staff(here.street)
    )
    assert (early.status_code, early.json()["code"]) == (422, "before_start")


async def test_one_nomination_a_year_decided_once_above_the_street(stack: Stack) -> None:
    here = await scene(stack)
    created = await stack.employment.post(
        "/v1/ventures", json=venture_body(here), headers=stack.staff(here.street)
    )
    path = f"/v1/ventures/{created.json()['id']}/nominations"
    body = {"year": 2026, "reason": "带动3名返乡青年就业"}
    first = await stack.employment.post(path, json=body, headers=stack.staff(here.street))
    assert first.status_code == 201, first.text
    again = await stack.employment.post(
        path, json=body | {"reason": "再次提名"}, headers=stack.staff(here.street)
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_nominated")

    nomination = first.json()["id"]
    by_street = await stack.employment.post(
        f"/v1/nominations/{nomination}:select", headers=stack.staff(here.street)
    )
    assert by_street.status_code == 403
    selected = await stack.employment.post(f"/v1/nominations/{nomination}:select", headers=stack.admin())
    assert (selected.status_code, selected.json()["status_label"]) == (200, "当选创业明星"), selected.text
    declined = await stack.employment.post(f"/v1/nominations/{nomination}:decline", headers=stack.admin())
    assert (declined.status_code, declined.json()["code"]) == (409, "invalid_transition")

    listed = await stack.employment.get(
        "/v1/nominations",
        params={"organization_id": here.street, "year": 2026},
        headers=stack.staff(here.street),
    )
    assert [(n["id"], n["status"]) for n in listed.json()["items"]] == [(nomination, "selected")]
