"""Who may touch a care file, through the HTTP API on the real stack: every role against every
action, allowed or refused with 403, each attempt audited and each refusal writing nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from education_harness import Stack

NAME, GUARDIAN = "王小军", "王德胜"
CARE_STAFF = {
    "create",
    "read",
    "list",
    "update",
    "transition",
    "assign_helper",
    "log_visit",
    "escalate",
}
SUPERVISOR = {"read", "list", "assign_helper", "escalate", "statistics", "read_audit"}
HELPER = {"read", "list", "log_visit"}
SUCCESS = {"create": 201, "log_visit": 201, "escalate": 201}


@dataclass
class World:
    stack: Stack
    street: str
    community: str
    other_street: str
    other_community: str
    case_id: str


def case_body(community: str) -> dict[str, Any]:
    return {
        "jurisdiction_organization_id": community,
        "youth": {"display_name": NAME, "birth_date": "2009-04-17", "gender": "male"},
        "categories": ["idle", "misconduct_record"],
        "guardian": {"name": GUARDIAN, "relation": "father", "contact": "13900001111"},
        "schooling_status": "dropped_out",
        "employment_status": "unemployed",
        "measures": ["pairing", "law_education"],
        "responsible_person_subject_id": "carer",
    }


async def world(stack: Stack, elsewhere: bool = False) -> World:
    """A case in its community, filed and assigned, with one helper (subject ``helper``).

    Staff elsewhere hold tokens scoped to another street and community; those are registered only
    when a test needs a case there."""
    street = await stack.org("城北街道团工委", "league_working_committee", stack.city_id)
    community = await stack.org("育才街社区", "community", street)
    other_street, other_community = "org_0000000000000000000000a1", "org_0000000000000000000000a2"
    if elsewhere:
        other_street = await stack.org("城南街道团工委", "league_working_committee", stack.city_id)
        other_community = await stack.org("西湖社区", "community", other_street)
    staff = stack.staff(community, subject="carer")
    created = await stack.education.post("/v1/care-cases", json=case_body(community), headers=staff)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    for action in ("file", "assign"):
        moved = await stack.education.post(
            f"/v1/care-cases/{case_id}/transitions", json={"action": action}, headers=staff
        )
        assert moved.status_code == 200, moved.text
    helper = await stack.education.post(
        f"/v1/care-cases/{case_id}/helpers", json={"subject_id": "helper"}, headers=staff
    )
    assert helper.status_code == 200, helper.text
    return World(stack, street, community, other_street, other_community, case_id)


Action = Callable[[World, dict[str, str]], Awaitable[httpx.Response]]


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


ACTIONS: dict[str, Action] = {
    "create": lambda w, h: w.stack.education.post("/v1/care-cases", json=case_body(w.community), headers=h),
    "read": lambda w, h: w.stack.education.get(f"/v1/care-cases/{w.case_id}", headers=h),
    "list": lambda w, h: w.stack.education.get(
        "/v1/care-cases", params={"jurisdiction_organization_id": w.community}, headers=h
    ),
    "update": lambda w, h: w.stack.education.patch(
        f"/v1/care-cases/{w.case_id}", json={"schooling_status": "in_school"}, headers=h
    ),
    "transition": lambda w, h: w.stack.education.post(
        f"/v1/care-cases/{w.case_id}/transitions", json={"action": "start_help"}, headers=h
    ),
    "assign_helper": lambda w, h: w.stack.education.post(
        f"/v1/care-cases/{w.case_id}/helpers", json={"subject_id": "second_helper"}, headers=h
    ),
    "log_visit": lambda w, h: w.stack.education.post(
        f"/v1/care-cases/{w.case_id}/visits",
        json={"visited_on": _today(), "kind": "home_visit", "notes": "到户走访"},
        headers=h,
    ),
    "escalate": lambda w, h: w.stack.education.post(
        f"/v1/care-cases/{w.case_id}/escalations",
        json={"to": "police", "reason_code": "incitement", "note": "发现有人教唆"},
        headers=h,
    ),
    "statistics": lambda w, h: w.stack.education.get(
        "/v1/care-statistics", params={"organization_id": w.community}, headers=h
    ),
    "read_audit": lambda w, h: w.stack.education.get(f"/v1/care-cases/{w.case_id}/audit", headers=h),
}

# Who calls, as (role, where their scope is, subject), and what they may do.
CALLERS: dict[str, tuple[str, str | None, set[str]]] = {
    "assigned helper (mentor)": ("mentor", None, HELPER),
    "community care staff": ("community_staff", "community", CARE_STAFF),
    "street 关工委/league staff": ("district_admin", "street", SUPERVISOR),
    "city league admin": ("city_admin", "city", SUPERVISOR),
    "care staff of another community": ("community_staff", "other_community", set()),
    "league staff of another street": ("district_admin", "other_street", set()),
    "organisation admin in scope": ("org_admin", "community", set()),
    "school staff in scope": ("school_staff", "community", set()),
    "mentor not assigned": ("mentor", "community", set()),
    "volunteer": ("volunteer", None, set()),
    "guardian": ("guardian", None, set()),
    "partner agency": ("partner", None, set()),
}


def headers_of(w: World, caller: str) -> tuple[dict[str, str], str]:
    role, where, _ = CALLERS[caller]
    subject = "helper" if caller.startswith("assigned helper") else f"s_{role}_{where}"
    orgs = {
        "community": w.community,
        "street": w.street,
        "city": w.stack.city_id,
        "other_community": w.other_community,
        "other_street": w.other_street,
    }
    scope = [orgs[where]] if where else None
    return w.stack.isolation.headers(role, scope=scope, subject=subject), subject


@pytest.mark.parametrize("caller", list(CALLERS))
async def test_every_role_against_every_action(stack: Stack, caller: str) -> None:
    w = await world(stack)
    headers, subject = headers_of(w, caller)
    allowed = CALLERS[caller][2]
    before = await stack.context.care.case(w.case_id)
    for action, call in ACTIONS.items():
        response = await call(w, headers)
        if action in allowed:
            assert response.status_code == SUCCESS.get(action, 200), (action, response.text)
        else:
            assert response.status_code == 403, (action, response.text)
            body = response.json()
            assert response.headers["content-type"].startswith("application/problem+json")
            assert body["code"] == "care_access_refused", action
            assert [s for s in (NAME, GUARDIAN, "misconduct_record", "有劣迹") if s in response.text] == []
    audit = await stack.education_app.state.runtime.db["care_audit"].find({"subject": subject}).to_list()
    outcomes = {(e["action"], e["outcome"]) for e in audit}
    assert outcomes == {(a, "allowed" if a in allowed else "refused") for a in ACTIONS}
    assert all(e["case_id"] in (w.case_id, None) for e in audit)
    assert all(NAME not in str(e) for e in audit)
    if not allowed:  # a refused write wrote nothing but its audit entry
        assert await stack.context.care.case(w.case_id) == before
        assert (await ACTIONS["list"](w, stack.staff(w.community))).json()["items"][0]["version"] == 4


async def test_lists_are_scoped_and_the_audit_trail_is_for_supervisors(stack: Stack) -> None:
    w = await world(stack, elsewhere=True)
    far = await stack.education.post(
        "/v1/care-cases", json=case_body(w.other_community), headers=stack.staff(w.other_community)
    )
    assert far.status_code == 201
    mine = await stack.education.get("/v1/care-cases", headers=stack.person("helper", "mentor"))
    assert [c["id"] for c in mine.json()["items"]] == [w.case_id]
    city = await stack.education.get("/v1/care-cases", params={"limit": 1}, headers=stack.admin())
    assert len(city.json()["items"]) == 1
    assert city.json()["next_cursor"]
    rest = await stack.education.get(
        "/v1/care-cases", params={"limit": 1, "cursor": city.json()["next_cursor"]}, headers=stack.admin()
    )
    assert {city.json()["items"][0]["id"], rest.json()["items"][0]["id"]} == {w.case_id, far.json()["id"]}
    batch = await stack.education.get(
        "/v1/care-cases", params={"ids": f"{w.case_id},{far.json()['id']}"}, headers=stack.staff(w.community)
    )
    assert [c["id"] for c in batch.json()["items"]] == [w.case_id]
    trail = await stack.education.get(
        f"/v1/care-cases/{w.case_id}/audit", headers=stack.staff(w.street, "district_admin")
    )
    assert trail.status_code == 200
    assert [(e["action"]["code"], e["outcome"]) for e in trail.json()["items"]][:3] == [
        ("transition", "allowed"),
        ("transition", "allowed"),
        ("assign_helper", "allowed"),
    ]
    missing = await stack.education.get("/v1/care-cases/case_0000", headers=stack.staff(w.community))
    assert missing.status_code == 404
