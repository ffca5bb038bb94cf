"""Completion certificates on the real store and bus: issue, public verification without a token,
tampering, revocation, the event, and who may do what."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from education_harness import Stack
from qingchun_education.adapters.certificates import CERTIFICATES
from qingchun_education.domain.certificates import NUMBERS
from qingchun_plumbing.mongo import Database, connect, database
from qingchun_plumbing.signing import PublicKey, signature_holds
from qingchun_plumbing.signing_keys import SIGNING_KEYS
from qingchun_plumbing.testing.fixtures import EventTap

ISSUED = "qingchun.education.certificate.issued.v1"
NEXT_WEEK = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
NAME = "欧阳娜娜"
CHILD, GUARDIAN = "sub-child-81", "sub-guardian-81"
BORN = date(date.today().year - 12, 3, 1).isoformat()


@contextlib.asynccontextmanager
async def service_db(stack: Stack) -> AsyncIterator[Database]:
    """The education database itself, to tamper with stored certificates and count what was written."""
    client = connect(stack.isolation.components.mongo_url)
    try:
        yield database(client, stack.isolation.prefix, "education")
    finally:
        await client.close()


class World:
    """A community's course with one enrolled child (their own account ``CHILD``, guardian ``GUARDIAN``)."""

    def __init__(self, stack: Stack, community: str, other: str) -> None:
        self.stack, self.community, self.other = stack, community, other
        self.staff = stack.staff(community, subject="staff-1")
        self.course_id = self.learner_id = self.enrolment_id = ""

    async def post(
        self, path: str, headers: dict[str, str] | None = None, body: Any = None
    ) -> httpx.Response:
        return await self.stack.education.post(
            path, json=body, headers=self.staff if headers is None else headers
        )

    async def open_course(self, **fields: Any) -> None:
        programme = await self.post(
            "/v1/programmes",
            body={
                "name": "市民学校",
                "owner_organization_id": self.community,
                "kind": "skills_training",
                "target_group": "all_residents",
                "season": "year_round",
                "year": NEXT_WEEK.year,
            },
        )
        assert programme.status_code == 201, programme.text
        session = {
            "starts_at": NEXT_WEEK.isoformat(),
            "ends_at": (NEXT_WEEK + timedelta(hours=2)).isoformat(),
            "venue": "社区活动室",
        }
        course = {
            "programme_id": programme.json()["id"],
            "title": "老年电脑学习班",
            "category": "computer",
            "target_group": "all_residents",
            "mode": "expert_lecture",
            "capacity": 10,
            "sessions": [session],
        } | fields
        created = await self.post("/v1/courses", body=course)
        assert created.status_code == 201, created.text
        self.course_id = created.json()["id"]
        assert (await self.post(f"/v1/courses/{self.course_id}:schedule")).status_code == 200

    async def enrol_child(self) -> None:
        guardian = self.stack.person(GUARDIAN, "guardian")
        body = {"display_name": NAME, "birth_date": BORN, "for_child": True, "child_subject_id": CHILD}
        created = await self.post("/v1/learners", guardian, body)
        assert created.status_code == 201, created.text
        self.learner_id = created.json()["id"]
        assert (await self.post(f"/v1/learners/{self.learner_id}/consent", guardian)).status_code == 200
        enrolment = await self.post(
            f"/v1/courses/{self.course_id}/enrolments", guardian, {"learner_id": self.learner_id}
        )
        assert enrolment.status_code == 201, enrolment.text
        self.enrolment_id = enrolment.json()["id"]

    async def complete(self, body: dict[str, Any] | None = None) -> None:
        done = await self.post(f"/v1/enrolments/{self.enrolment_id}:complete", body=body or {})
        assert done.status_code == 200, done.text

    async def issue(self, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.post(f"/v1/enrolments/{self.enrolment_id}/certificate", headers)

    async def verify(self, number: str) -> httpx.Response:
        return await self.stack.education.get(f"/v1/certificates/{number}/verification")  # no token


async def build(stack: Stack, complete: bool = True, **course: Any) -> World:
    community = await stack.community()
    other = await stack.org("朝阳社区", "community", stack.city_id)
    world = World(stack, community, other)
    await world.open_course(**course)
    await world.enrol_child()
    if complete:
        await world.complete({"exam_score": 90} if course.get("has_exam") else None)
    return world


@pytest.fixture
async def world(stack: Stack) -> World:
    return await build(stack)


def assert_public(body: dict[str, Any], world: World) -> None:
    text = json.dumps(body, ensure_ascii=False)
    for secret in (world.learner_id, world.enrolment_id, NAME, BORN, CHILD, GUARDIAN):
        assert secret not in text, secret


def assert_no_score(attestation: dict[str, Any]) -> None:
    """The exam score (90) is never stated: no field names it and no value is it. Matching the
    digits in the serialised text would also hit the signature's hex digits now and then."""
    assert not [key for key in attestation if "score" in key], attestation
    assert 90 not in attestation.values(), attestation
    assert "90" not in attestation.values(), attestation


async def test_issue_verify_revoke_verify(stack: Stack, event_tap: EventTap) -> None:
    world = await build(stack, has_exam=True, pass_mark=60)
    issued = await world.issue()
    assert issued.status_code == 201, issued.text
    certificate = issued.json()
    number = certificate["number"]
    assert number.startswith("QE-")
    assert (certificate["valid"], certificate["holder_name"], certificate["learner_id"]) == (
        True,
        NAME,
        world.learner_id,
    )
    assert (certificate["course_title"], certificate["issuer_name"]) == ("老年电脑学习班", "育才街社区")
    assert (certificate["exam_result"], certificate["exam_result_label"]) == ("passed", "考核合格")
    assert certificate["verification_url"] == f"http://127.0.0.1:8103/v1/certificates/{number}/verification"

    public = await world.verify(number)
    assert public.status_code == 200, public.text
    view = public.json()
    assert (view["valid"], view["signature_valid"], view["status"]) == (True, True, "valid")
    assert (view["holder_name_masked"], view["course_title"], view["exam_result"]) == (
        "欧阳**",
        "老年电脑学习班",
        "passed",
    )
    assert view["completed_on"] == certificate["completed_on"]
    assert_no_score(view["attestation"])
    assert_public(view, world)

    keys = await stack.education.get("/v1/certificates/signing-keys")  # no token either
    assert keys.status_code == 200, keys.text
    (key,) = keys.json()["items"]
    assert (key["kid"], key["current"]) == (view["kid"], True)
    offline = PublicKey(key["kid"], base64.b64decode(key["public_key_base64"]))
    assert signature_holds(offline, view["attestation"], view["signature"])

    event = await event_tap.wait_for(ISSUED)
    assert event.data == {
        "certificate_number": number,
        "enrolment_id": world.enrolment_id,
        "course_id": world.course_id,
        "learner_id": world.learner_id,
        "issuer_organization_id": world.community,
        "verification_url": certificate["verification_url"],
        "subject_id": CHILD,
        "category": "computer",
    }
    assert NAME not in event.model_dump_json()
    assert "欧阳" not in event.model_dump_json()

    revoke = f"/v1/certificates/{number}:revoke"
    revoked = await world.post(revoke, body={"reason": "data_error", "note": "课程名称有误"})
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["valid"]) == ("revoked", False)
    after = (await world.verify(number)).json()
    assert (after["valid"], after["signature_valid"], after["status"]) == (False, True, "revoked")
    assert (after["revoke_reason"], after["revoke_reason_label"]) == ("data_error", "信息有误")
    assert "课程名称有误" not in json.dumps(after, ensure_ascii=False)
    again = await world.post(revoke, body={"reason": "other"})
    assert (again.status_code, again.json()["code"]) == (409, "already_revoked")

    replacement = await world.issue()  # a revoked certificate makes room for a corrected one
    assert replacement.status_code == 201, replacement.text
    assert replacement.json()["number"] != number


async def test_tampering_with_the_stored_certificate_shows_as_invalid(world: World) -> None:
    number = (await world.issue()).json()["number"]
    async with service_db(world.stack) as db:
        await db[CERTIFICATES].update_one(
            {"number": number}, {"$set": {"attestation.course_title": "博士课程"}}
        )
    view = (await world.verify(number)).json()
    assert (view["valid"], view["signature_valid"], view["status"]) == (False, False, "valid")
    async with service_db(world.stack) as db:
        await db[CERTIFICATES].update_one(
            {"number": number},
            {"$set": {"attestation.course_title": "老年电脑学习班", "record.learner_name": "张三"}},
        )
    full = await world.stack.education.get(f"/v1/certificates/{number}", headers=world.staff)
    assert (full.json()["valid"], full.json()["holder_name"]) == (False, "张三")


async def test_an_unfinished_course_earns_no_certificate_and_writes_nothing(stack: Stack) -> None:
    world = await build(stack, complete=False)
    refused = await world.issue()
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        409,
        "not_completed",
        "enrolment_id",
    )
    unknown = await world.post("/v1/enrolments/enr_000000000000000000000000/certificate")
    assert (unknown.status_code, unknown.json()["field"]) == (404, "enrolment_id")
    async with service_db(stack) as db:
        assert await db[CERTIFICATES].count_documents({}) == 0
        assert await db[SIGNING_KEYS].count_documents({}) == 0


async def test_one_valid_certificate_per_enrolment_even_when_issued_at_once(world: World) -> None:
    responses = await asyncio.gather(world.issue(), world.issue(), world.issue())
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_issued"}
    async with service_db(world.stack) as db:
        assert await db[CERTIFICATES].count_documents({}) == 1


async def test_numbers_malformed_mistyped_and_unknown(world: World) -> None:
    number = (await world.issue()).json()["number"]
    typo = number[:-1] + ("A" if number[-1] != "A" else "B")
    cases = [
        ("not-a-number", 422, "certificate_number_malformed"),
        ("QC" + number[2:], 422, "certificate_number_malformed"),  # volunteering's, not ours
        ("QE-2025-" + "A" * 60, 422, "invalid_input"),
        (typo, 422, "certificate_number_mistyped"),
        (NUMBERS.number(2025, 0), 404, "unknown_certificate"),
    ]
    for typed, status, code in cases:
        response = await world.verify(typed)
        assert (response.status_code, response.json()["code"]) == (status, code), typed
    lower = await world.verify(number.lower().replace("-", ""))
    assert lower.json()["number"] == number


async def test_who_may_issue_revoke_and_read(world: World) -> None:
    stack = world.stack
    anonymous: dict[str, str] = {}
    out_of_scope = stack.staff(world.other, subject="staff-2")

    async def status(method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, str]:
        response = await stack.education.request(method, path, headers=headers, json=body)
        return response.status_code, response.json().get("code", "") if response.status_code >= 400 else ""

    issue = f"/v1/enrolments/{world.enrolment_id}/certificate"
    assert await status("POST", issue, anonymous) == (401, "token_missing")
    assert await status("POST", issue, stack.person(CHILD)) == (403, "role_required")
    assert await status("POST", issue, out_of_scope) == (403, "out_of_scope")
    number = (await world.issue()).json()["number"]

    revoke, body = f"/v1/certificates/{number}:revoke", {"reason": "duplicate"}
    assert await status("POST", revoke, anonymous, body) == (401, "token_missing")
    assert await status("POST", revoke, stack.person(GUARDIAN, "guardian"), body) == (403, "role_required")
    assert await status("POST", revoke, out_of_scope, body) == (403, "out_of_scope")
    assert await status("POST", revoke, world.staff, {"reason": "lost"}) == (422, "invalid_input")

    full = f"/v1/certificates/{number}"
    assert await status("GET", full, anonymous) == (401, "token_missing")
    assert await status("GET", full, stack.person("stranger")) == (403, "not_visible")
    assert await status("GET", full, out_of_scope) == (403, "not_visible")
    for allowed in (stack.person(CHILD), stack.person(GUARDIAN, "guardian"), world.staff, stack.admin()):
        response = await stack.education.get(full, headers=allowed)
        assert response.status_code == 200, response.text
        assert response.json()["holder_name"] == NAME

    listing = f"/v1/learners/{world.learner_id}/certificates"
    assert await status("GET", listing, stack.person("stranger")) == (403, "role_required")
    assert (await stack.education.get(listing, headers=out_of_scope)).json()["items"] == []
    for allowed in (stack.person(CHILD), stack.person(GUARDIAN, "guardian"), world.staff, stack.admin()):
        items = (await stack.education.get(listing, headers=allowed)).json()["items"]
        assert [c["number"] for c in items] == [number]
    assert await status("POST", revoke, stack.admin(), body) == (200, "")


async def test_a_learners_certificates_page(stack: Stack) -> None:
    world = await build(stack)
    numbers = [(await world.issue()).json()["number"]]
    for _ in range(2):  # revoke and reissue: three certificates of one learner
        assert (
            await world.post(f"/v1/certificates/{numbers[-1]}:revoke", body={"reason": "other"})
        ).is_success
        numbers.append((await world.issue()).json()["number"])
    listing = f"/v1/learners/{world.learner_id}/certificates"
    first = (await stack.education.get(listing, params={"limit": 2}, headers=world.staff)).json()
    assert [c["number"] for c in first["items"]] == numbers[:2]
    rest = (
        await stack.education.get(listing, params={"cursor": first["next_cursor"]}, headers=world.staff)
    ).json()
    assert ([c["number"] for c in rest["items"]], rest["next_cursor"]) == (numbers[2:], None)
    assert [c["status"] for c in first["items"] + rest["items"]] == ["revoked", "revoked", "valid"]
    unknown = await stack.education.get(
        "/v1/learners/lrn_000000000000000000000000/certificates", headers=world.staff
    )
    assert unknown.status_code == 404


async def test_a_course_without_exam_says_so(stack: Stack) -> None:
    world = await build(stack)
    view = (await world.verify((await world.issue()).json()["number"])).json()
    assert (view["exam_result"], view["exam_result_label"], view["valid"]) == ("no_exam", "无考核", True)
    assert date.fromisoformat(view["completed_on"]) <= date.fromisoformat(view["issued_on"])
