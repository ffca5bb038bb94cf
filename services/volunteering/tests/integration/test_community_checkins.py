"""社区报到 on the real store and broker: a full round, the overdue sweep, claims under concurrency,
bad input that writes nothing, and who may see a member's check-in."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.testing.fixtures import EventTap
from qingchun_volunteering.app import community_checkins
from qingchun_volunteering.app.community_checkin_commands import DocumentsIn
from qingchun_volunteering.domain.community_checkins import DeadlinePassed, DocumentKind
from volunteering_harness import Stack

SUBMITTED = "qingchun.volunteering.community_checkin.submitted.v1"
CONFIRMED = "qingchun.volunteering.community_checkin.confirmed.v1"
OVERDUE = "qingchun.volunteering.community_checkin.overdue.v1"
POST_CLAIMED = "qingchun.volunteering.service_post.claimed.v1"
WISH_CLAIMED = "qingchun.volunteering.micro_wish.claimed.v1"
WISH_FULFILLED = "qingchun.volunteering.micro_wish.fulfilled.v1"
NAMES = {"m1": "张红梅", "m2": "李建国", "m3": "王晓燕"}


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


@dataclass
class World:
    stack: Stack
    school: str
    community: str
    other_community: str

    @property
    def api(self) -> Any:
        return self.stack.volunteering

    def branch(self) -> dict[str, str]:
        return self.stack.isolation.headers("org_admin", scope=[self.school], subject="branch-secretary")

    def staff(self, community: str | None = None) -> dict[str, str]:
        return self.stack.isolation.headers(
            "community_staff", scope=[community or self.community], subject="community-staff"
        )

    def member(self, subject: str) -> dict[str, str]:
        return self.stack.person(subject)

    async def open_round(
        self, subjects: list[str], deadline: date | None = None, **fields: Any
    ) -> dict[str, Any]:
        deadline = deadline or today() + timedelta(days=20)
        body = {
            "title": "2024年在职党员进社区报到",
            "sending_organization_id": self.school,
            "required_documents": ["introduction_letter", "receipt"],
            "checkin_deadline": deadline.isoformat(),
            "receipt_deadline": (deadline + timedelta(days=1)).isoformat(),
            "milestones": [{"name": "支部与社区对接", "due": deadline.isoformat()}],
            "members": [
                {"subject_id": s, "community_id": self.community, "display_name": NAMES.get(s, f"党员{s}")}
                for s in subjects
            ],
        } | fields
        response = await self.api.post("/v1/checkin-rounds", json=body, headers=self.branch())
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def checkins(self, round_id: str) -> dict[str, dict[str, Any]]:
        page = await self.api.get(
            f"/v1/checkin-rounds/{round_id}/checkins", params={"limit": 200}, headers=self.branch()
        )
        assert page.status_code == 200, page.text
        return {c["subject_id"]: c for c in page.json()["items"]}

    async def act(self, checkin_id: str, verb: str, headers: dict[str, str], body: Any = None) -> Any:
        return await self.api.post(f"/v1/community-checkins/{checkin_id}:{verb}", json=body, headers=headers)

    async def confirmed(self, checkin: dict[str, Any]) -> None:
        """Issue, submit and confirm one member's check-in."""
        letter = {"documents": ["introduction_letter"]}
        for verb, headers, body in (
            ("issue-documents", self.branch(), letter),
            ("submit", self.member(checkin["subject_id"]), letter),
            ("confirm", self.staff(), None),
        ):
            response = await self.act(checkin["id"], verb, headers, body)
            assert response.status_code == 200, response.text

    async def post(self, capacity: int) -> dict[str, Any]:
        body = {"community_id": self.community, "post_type": "culture_sports", "capacity": capacity}
        response = await self.api.post("/v1/service-posts", json=body, headers=self.staff())
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture
async def world(stack: Stack) -> World:
    street = await stack.org(
        "城区街道团工委",
        "league_working_committee",
        stack.city_id,
        area={"district": "灵武市", "street": "城区街道"},
    )
    community = await stack.org("育才街社区", "community", street)
    other = await stack.org("香雪社区", "community", street)
    school = await stack.org("灵武市第二中学", "school", stack.city_id)
    return World(stack, school, community, other)


def no_names_in(events: list[Any]) -> None:
    text = " ".join(e.model_dump_json() for e in events)
    assert all(name not in text for name in NAMES.values())


async def test_a_full_round(world: World, event_tap: EventTap, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    round_ = await world.open_round(["m1", "m2"])
    assert round_["required_documents_labels"] == ["《在职党员到社区报到介绍信》", "《报到回执》"]
    m1 = (await world.checkins(round_["id"]))["m1"]
    assert (m1["status"], m1["display_name"]) == ("invited", "张红梅")

    steps = [
        ("issue-documents", world.branch(), {"documents": ["introduction_letter", "receipt"]}, "doc_issued"),
        ("submit", world.member("m1"), {"documents": ["introduction_letter"]}, "submitted"),
        ("confirm", world.staff(), None, "confirmed"),
        ("return-receipt", world.branch(), None, "receipt_returned"),
    ]
    for verb, headers, body, status in steps:
        response = await world.act(m1["id"], verb, headers, body)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    post = await world.post(capacity=2)
    claimed = await world.api.post(f"/v1/service-posts/{post['id']}:claim", headers=world.member("m1"))
    assert claimed.status_code == 200, claimed.text
    assert (claimed.json()["free"], claimed.json()["claimed_by_me"]) == (1, True)

    mine = (await world.api.get("/v1/community-checkins/me", headers=world.member("m1"))).json()["items"]
    assert [c["id"] for c in mine] == [m1["id"]]
    assert mine[0]["status"] == "active"
    assert mine[0]["claimed_posts"] == [post["id"]]
    assert mine[0]["confirmed_by"] == "community-staff"
    assert [(s["action"], s["by"]) for s in mine[0]["history"]] == [
        ("issue_documents", "branch-secretary"),
        ("submit", "m1"),
        ("confirm", "community-staff"),
        ("return_receipt", "branch-secretary"),
        ("claim", "m1"),
    ]

    wish = await world.api.post(
        "/v1/micro-wishes",
        json={
            "community_id": world.community,
            "title": "想要一套初中数学辅导书",
            "description": "孩子升初二，家里缺少辅导资料",
            "household_ref": "hh-0042",
        },
        headers=world.staff(),
    )
    assert wish.status_code == 201, wish.text
    wish_id = wish.json()["id"]
    took = await world.api.post(f"/v1/micro-wishes/{wish_id}:claim", headers=world.member("m1"))
    assert (took.status_code, took.json()["status"], took.json()["household_ref"]) == (
        200,
        "claimed",
        "hh-0042",
    )
    done = await world.api.post(f"/v1/micro-wishes/{wish_id}:fulfil", headers=world.staff())
    assert (done.status_code, done.json()["status"]) == (200, "fulfilled")
    after = (await world.api.get(f"/v1/community-checkins/{m1['id']}", headers=world.member("m1"))).json()
    assert after["claimed_wishes"] == [wish_id]

    stats = await world.api.get(f"/v1/checkin-rounds/{round_['id']}/statistics", headers=world.branch())
    assert stats.json() == {
        "round_id": round_["id"],
        "invited": 2,
        "submitted": 1,
        "confirmed": 1,
        "receipts_returned": 1,
        "overdue": 0,
        "checkin_rate": 0.5,
    }

    for event_type in (SUBMITTED, CONFIRMED, POST_CLAIMED, WISH_CLAIMED, WISH_FULFILLED):
        event = await event_tap.wait_for(event_type)
        assert event.data["subject_id"] == "m1"
    confirmed = event_tap.of_type(CONFIRMED)[0]
    assert confirmed.data["checkin_id"] == m1["id"]
    assert confirmed.data["sending_organization_id"] == world.school
    no_names_in(event_tap.received)
    assert all(name not in caplog.text for name in NAMES.values())


async def test_the_overdue_sweep_follow_up_and_late_submission(world: World, event_tap: EventTap) -> None:
    round_ = await world.open_round(["m1", "m2", "m3"], deadline=today())
    members = await world.checkins(round_["id"])
    letter = {"documents": ["introduction_letter"]}
    await world.act(members["m1"]["id"], "issue-documents", world.branch(), letter)
    await world.act(members["m3"]["id"], "issue-documents", world.branch(), letter)
    on_time = await world.act(members["m3"]["id"], "submit", world.member("m3"), letter)
    assert on_time.status_code == 200, on_time.text

    context = world.stack.context
    assert await community_checkins.sweep_overdue(context) == 0  # the deadline day itself is not late
    later = dataclasses.replace(context, now=lambda: context.now() + timedelta(days=3))
    first, second = await asyncio.gather(
        community_checkins.sweep_overdue(later), community_checkins.sweep_overdue(later)
    )
    assert first + second == 2
    assert await community_checkins.sweep_overdue(later) == 0
    await event_tap.wait_for(OVERDUE, where=lambda e: e.data["subject_id"] == "m1")
    await event_tap.wait_for(OVERDUE, where=lambda e: e.data["subject_id"] == "m2")
    await asyncio.sleep(1.0)
    overdue_events = event_tap.of_type(OVERDUE)
    assert sorted(e.data["subject_id"] for e in overdue_events) == ["m1", "m2"]
    assert {e.data["deadline"] for e in overdue_events} == {today().isoformat()}
    no_names_in(event_tap.received)

    url = f"/v1/checkin-rounds/{round_['id']}/overdue"
    page1 = (await world.api.get(url, params={"limit": 1}, headers=world.branch())).json()
    page2 = (
        await world.api.get(url, params={"limit": 1, "cursor": page1["next_cursor"]}, headers=world.branch())
    ).json()
    assert sorted(c["subject_id"] for c in page1["items"] + page2["items"]) == ["m1", "m2"]
    assert page2["next_cursor"] is None

    refused = await world.act(members["m1"]["id"], "submit", world.member("m1"), letter)
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")
    followed = await world.act(
        members["m1"]["id"],
        "follow-up",
        world.branch(),
        {"kind": "find_cause", "reason": "busy_work", "note": "已电话联系，本周内报到"},
    )
    assert followed.status_code == 200, followed.text
    assert (followed.json()["status"], followed.json()["overdue_reason_label"]) == ("follow_up", "工作繁忙")
    assert followed.json()["follow_ups"][0]["kind_label"] == "摸清原因"
    late = await world.act(members["m1"]["id"], "submit", world.member("m1"), letter)
    assert (late.status_code, late.json()["status"], late.json()["was_overdue"]) == (200, "submitted", True)

    remaining = (await world.api.get(url, headers=world.branch())).json()["items"]
    assert [c["subject_id"] for c in remaining] == ["m2"]
    stats = (
        await world.api.get(f"/v1/checkin-rounds/{round_['id']}/statistics", headers=world.branch())
    ).json()
    assert (stats["submitted"], stats["overdue"], stats["checkin_rate"]) == (2, 1, 0.0)


async def test_a_late_member_cannot_submit_before_the_sweep_catches_them(world: World) -> None:
    round_ = await world.open_round(["m1"], deadline=today())
    m1 = (await world.checkins(round_["id"]))["m1"]
    await world.act(m1["id"], "issue-documents", world.branch(), {"documents": ["introduction_letter"]})
    context = world.stack.context
    later = dataclasses.replace(context, now=lambda: context.now() + timedelta(days=1))
    member = Caller("m1", frozenset({Role.VOLUNTEER}))
    with pytest.raises(DeadlinePassed):
        await community_checkins.submit(
            later, member, m1["id"], DocumentsIn(documents=[DocumentKind.INTRODUCTION_LETTER])
        )
    unchanged = (await world.checkins(round_["id"]))["m1"]
    assert (unchanged["status"], unchanged["version"]) == ("doc_issued", 2)


async def test_claims_under_concurrency(world: World, event_tap: EventTap) -> None:
    people = [f"c{i:02d}" for i in range(12)]
    round_ = await world.open_round(people)
    checkins = await world.checkins(round_["id"])
    for subject in people:
        await world.confirmed(checkins[subject])
    post = await world.post(capacity=3)
    responses = await asyncio.gather(
        *[world.api.post(f"/v1/service-posts/{post['id']}:claim", headers=world.member(s)) for s in people]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 3 + [409] * 9
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"post_full"}
    final = (await world.api.get(f"/v1/service-posts/{post['id']}", headers=world.staff())).json()
    winners = {s for s, r in zip(people, responses, strict=True) if r.status_code == 200}
    assert (final["free"], set(final["claimer_subject_ids"])) == (0, winners)
    again = await world.api.post(
        f"/v1/service-posts/{post['id']}:claim", headers=world.member(next(iter(winners)))
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_claimed")
    active = await world.checkins(round_["id"])
    assert {s for s, c in active.items() if c["status"] == "active"} == winners

    wish = await world.api.post(
        "/v1/micro-wishes",
        json={"community_id": world.community, "title": "修理自行车", "description": "老人的自行车坏了"},
        headers=world.staff(),
    )
    grabs = await asyncio.gather(
        *[
            world.api.post(f"/v1/micro-wishes/{wish.json()['id']}:claim", headers=world.member(s))
            for s in people
        ]
    )
    assert sorted(r.status_code for r in grabs) == [200] + [409] * 11
    await event_tap.wait_for(WISH_CLAIMED)
    await asyncio.sleep(1.0)
    assert len(event_tap.of_type(POST_CLAIMED)) == 3
    assert len(event_tap.of_type(WISH_CLAIMED)) == 1


async def _nothing_written(world: World) -> None:
    rounds = await world.api.get(
        "/v1/checkin-rounds", params={"sending_organization_id": world.school}, headers=world.branch()
    )
    listed = await world.api.get(
        "/v1/community-checkins", params={"community_id": world.community}, headers=world.staff()
    )
    assert (rounds.json()["items"], listed.json()["items"]) == ([], [])


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"checkin_deadline": "2000-01-01"}, 422, "date_in_past", "checkin_deadline"),
        ({"receipt_deadline": "2000-01-01"}, 422, "receipt_before_checkin", "receipt_deadline"),
        ({"milestones": [{"name": "动员会", "due": "2000-01-01"}]}, 422, "date_in_past", "milestones.0.due"),
        ({"required_documents": ["membership_card"]}, 422, "invalid_input", "required_documents.0"),
        ({"required_documents": []}, 422, "invalid_input", "required_documents"),
        ({"members": []}, 422, "invalid_input", "members"),
        ({"surprise": 1}, 422, "invalid_input", "surprise"),
        (
            {"sending_organization_id": "org_000000000000000000000000"},
            422,
            "unknown_organization",
            "sending_organization_id",
        ),
    ],
)
async def test_a_bad_round_writes_nothing(
    world: World, change: dict[str, Any], status: int, code: str, field: str | None
) -> None:
    deadline = today() + timedelta(days=5)
    body = {
        "title": "报到",
        "sending_organization_id": world.school,
        "required_documents": ["checkin_card", "registration_form"],
        "checkin_deadline": deadline.isoformat(),
        "receipt_deadline": deadline.isoformat(),
        "members": [{"subject_id": "m1", "community_id": world.community, "display_name": "张红梅"}],
    } | change
    response = await world.api.post("/v1/checkin-rounds", json=body, headers=world.branch())
    problem = response.json()
    assert (response.status_code, problem["code"], problem.get("field", field)) == (status, code, field)
    assert "张红梅" not in response.text
    await _nothing_written(world)


async def test_bad_members_and_callers_write_nothing(world: World) -> None:
    deadline = (today() + timedelta(days=5)).isoformat()
    body: dict[str, Any] = {
        "title": "报到",
        "sending_organization_id": world.school,
        "required_documents": ["introduction_letter"],
        "checkin_deadline": deadline,
        "receipt_deadline": deadline,
    }

    def members(*pairs: tuple[str, str]) -> dict[str, Any]:
        return body | {
            "members": [{"subject_id": s, "community_id": c, "display_name": "某某"} for s, c in pairs]
        }

    cases = [
        (
            members(("m1", world.community), ("m1", world.other_community)),
            world.branch(),
            422,
            "duplicate_member",
            "members.1.subject_id",
        ),
        (
            members(("m1", world.community), ("m2", world.school)),
            world.branch(),
            422,
            "not_a_community",
            "members.1.community_id",
        ),
        (
            members(("m1", "org_000000000000000000000000")),
            world.branch(),
            422,
            "unknown_organization",
            "members.0.community_id",
        ),
        (members(("m1", world.community)), world.staff(), 403, "out_of_scope", "sending_organization_id"),
        (members(("m1", world.community)), world.member("m1"), 403, "role_required", None),
    ]
    for payload, headers, status, code, field in cases:
        response = await world.api.post("/v1/checkin-rounds", json=payload, headers=headers)
        assert (response.status_code, response.json()["code"], response.json().get("field")) == (
            status,
            code,
            field,
        ), response.text
    await _nothing_written(world)


async def test_refused_transitions_change_nothing(world: World) -> None:
    round_ = await world.open_round(
        ["m1", "m2"], required_documents=["checkin_card", "registration_form", "receipt"]
    )
    members = await world.checkins(round_["id"])
    m1, m2 = members["m1"]["id"], members["m2"]["id"]
    issued = await world.act(m1, "issue-documents", world.branch(), {"documents": ["checkin_card"]})
    assert issued.status_code == 200
    post = await world.post(capacity=5)
    cases = [
        (
            m1,
            "issue-documents",
            world.branch(),
            {"documents": ["introduction_letter"]},
            422,
            "document_not_required",
        ),
        (m1, "submit", world.member("m1"), {"documents": ["checkin_card"]}, 422, "documents_missing"),
        (
            m1,
            "submit",
            world.member("m2"),
            {"documents": ["checkin_card", "registration_form"]},
            403,
            "not_your_checkin",
        ),
        (m1, "submit", world.member("m1"), {"documents": []}, 422, "invalid_input"),
        (m1, "confirm", world.staff(), None, 409, "invalid_transition"),
        (m1, "follow-up", world.branch(), {"kind": "urge"}, 409, "invalid_transition"),
        (m1, "follow-up", world.branch(), {"kind": "urge", "reason": "sick_of_it"}, 422, "invalid_input"),
        (m2, "reissue-card", world.branch(), {"reason": "lost"}, 409, "invalid_transition"),
        (m1, "return-receipt", world.branch(), None, 409, "invalid_transition"),
        (m1, "issue-documents", world.staff(), {"documents": ["registration_form"]}, 403, "out_of_scope"),
        ("cck_missing", "confirm", world.staff(), None, 404, "not_found"),
    ]
    for checkin_id, verb, headers, payload, status, code in cases:
        response = await world.act(checkin_id, verb, headers, payload)
        assert (response.status_code, response.json()["code"]) == (status, code), (verb, response.text)
    missing = await world.act(m1, "submit", world.member("m1"), {"documents": ["checkin_card"]})
    assert "《在职党员基本情况登记表》" in missing.json()["detail"]

    submitted = await world.act(
        m1, "submit", world.member("m1"), {"documents": ["checkin_card", "registration_form"]}
    )
    assert submitted.status_code == 200
    for headers, code in (
        (world.staff(world.other_community), "out_of_scope"),
        (world.member("m1"), "role_required"),
        (world.branch(), "out_of_scope"),
    ):
        wrong = await world.act(m1, "confirm", headers)
        assert (wrong.status_code, wrong.json()["code"]) == (403, code)
    unclaimed = await world.api.post(f"/v1/service-posts/{post['id']}:claim", headers=world.member("m1"))
    assert (unclaimed.status_code, unclaimed.json()["code"]) == (409, "checkin_not_confirmed")
    reissued = await world.act(m1, "reissue-card", world.branch(), {"reason": "full"})
    assert reissued.json()["card_reissues"][0]["reason_label"] == "卡证已填满"

    after = await world.checkins(round_["id"])
    assert (after["m1"]["status"], after["m1"]["version"]) == ("submitted", 4)
    assert (after["m2"]["status"], after["m2"]["version"]) == ("invited", 1)
    post_after = (await world.api.get(f"/v1/service-posts/{post['id']}", headers=world.staff())).json()
    assert (post_after["free"], post_after["claimer_subject_ids"]) == (5, [])

    elsewhere = {"community_id": world.school, "post_type": "civility", "capacity": 1}
    for payload, headers, status, code in (
        (elsewhere, world.stack.admin(), 422, "not_a_community"),
        (elsewhere | {"community_id": world.community, "capacity": 0}, world.staff(), 422, "invalid_input"),
        (
            elsewhere | {"community_id": world.community},
            world.staff(world.other_community),
            403,
            "out_of_scope",
        ),
    ):
        response = await world.api.post("/v1/service-posts", json=payload, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code)


async def test_only_the_member_and_their_organisers_see_a_checkin(world: World) -> None:
    round_ = await world.open_round(["m1", "m2"])
    members = await world.checkins(round_["id"])
    m1 = members["m1"]["id"]
    for headers, status in (
        (world.member("m1"), 200),
        (world.branch(), 200),
        (world.staff(), 200),
        (world.stack.admin(), 200),
        (world.member("m2"), 403),
        (world.member("stranger"), 403),
        (world.staff(world.other_community), 403),
        (world.stack.isolation.headers("guardian", subject="m1-parent"), 403),
    ):
        response = await world.api.get(f"/v1/community-checkins/{m1}", headers=headers)
        assert response.status_code == status, response.text
        assert ("张红梅" in response.text) is (status == 200)

    for subject, expected in (("m1", ["m1"]), ("m2", ["m2"]), ("stranger", [])):
        mine = await world.api.get("/v1/community-checkins/me", headers=world.member(subject))
        assert [c["subject_id"] for c in mine.json()["items"]] == expected
    batch = await world.api.get("/v1/community-checkins", params={"ids": m1}, headers=world.member("m2"))
    assert batch.json()["items"] == []

    for path in (
        f"/v1/checkin-rounds/{round_['id']}",
        f"/v1/checkin-rounds/{round_['id']}/checkins",
        f"/v1/checkin-rounds/{round_['id']}/overdue",
        f"/v1/checkin-rounds/{round_['id']}/statistics",
    ):
        assert (await world.api.get(path, headers=world.branch())).status_code == 200
        for headers, code in ((world.member("m1"), "role_required"), (world.staff(), "out_of_scope")):
            refused = await world.api.get(path, headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (403, code), path
    community_list = await world.api.get(
        "/v1/community-checkins", params={"community_id": world.community}, headers=world.member("m1")
    )
    assert (community_list.status_code, community_list.json()["code"]) == (403, "role_required")

    await world.confirmed(members["m1"])
    wish = await world.api.post(
        "/v1/micro-wishes",
        json={
            "community_id": world.community,
            "title": "陪伴独居老人聊天",
            "description": "每周一次",
            "household_ref": "hh-7",
        },
        headers=world.staff(),
    )
    await world.api.post(f"/v1/micro-wishes/{wish.json()['id']}:claim", headers=world.member("m1"))
    seen_by_other = (
        await world.api.get(f"/v1/micro-wishes/{wish.json()['id']}", headers=world.member("m2"))
    ).json()
    assert (seen_by_other["household_ref"], seen_by_other["claimed_by"]) == (None, None)
    seen_by_staff = (
        await world.api.get(f"/v1/micro-wishes/{wish.json()['id']}", headers=world.staff())
    ).json()
    assert (seen_by_staff["household_ref"], seen_by_staff["claimed_by"]) == ("hh-7", "m1")


# rounds copied from the paper ledger (台账) ------------------------------------------------------
def _member(world: World, subject: str, reported: int | None) -> dict[str, object]:
    reported_on = None if reported is None else (today() - timedelta(days=reported)).isoformat()
    return {"subject_id": subject, "community_id": world.community, "display_name": f"党员{subject}"} | (
        {"reported_on": reported_on} if reported_on else {}
    )


async def test_a_ledger_round_finds_its_overdue_member_at_once(world: World, event_tap: EventTap) -> None:
    deadline = today() - timedelta(days=5)
    members = [_member(world, "l1", 9), _member(world, "l2", 7), _member(world, "l3", None)]
    round_ = await world.open_round([], deadline=deadline, members=members, backfill=True)
    checkins = await world.checkins(round_["id"])
    assert {s: c["status"] for s, c in checkins.items()} == {
        "l1": "submitted",
        "l2": "submitted",
        "l3": "overdue",
    }
    overdue = await event_tap.wait_for(OVERDUE, where=lambda e: e.data["round_id"] == round_["id"])
    assert overdue.data["subject_id"] == "l3"
    submitted = await event_tap.wait_for(SUBMITTED, where=lambda e: e.data["subject_id"] == "l2")
    assert submitted.data["round_id"] == round_["id"]
    listed = await world.api.get(f"/v1/checkin-rounds/{round_['id']}/overdue", headers=world.branch())
    assert [c["subject_id"] for c in listed.json()["items"]] == ["l3"]
    confirmed = await world.act(checkins["l1"]["id"], "confirm", world.staff())
    assert confirmed.json()["status"] == "confirmed", confirmed.text
    assert len([e for e in event_tap.of_type(OVERDUE) if e.data["round_id"] == round_["id"]]) == 1


async def test_only_a_ledger_round_may_say_when_members_reported(world: World) -> None:
    refused = await world.api.post(
        "/v1/checkin-rounds",
        json={
            "title": "未补录的批次",
            "sending_organization_id": world.school,
            "required_documents": ["introduction_letter"],
            "checkin_deadline": (today() + timedelta(days=3)).isoformat(),
            "receipt_deadline": (today() + timedelta(days=4)).isoformat(),
            "members": [_member(world, "l4", 1)],
        },
        headers=world.branch(),
    )
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "reported_on_needs_backfill",
        "members.0.reported_on",
    )
    future = _member(world, "l5", None) | {"reported_on": (today() + timedelta(days=1)).isoformat()}
    ahead = await world.api.post(
        "/v1/checkin-rounds",
        json={
            "title": "补录批次",
            "sending_organization_id": world.school,
            "required_documents": ["introduction_letter"],
            "checkin_deadline": (today() - timedelta(days=3)).isoformat(),
            "receipt_deadline": today().isoformat(),
            "members": [future],
            "backfill": True,
        },
        headers=world.branch(),
    )
    assert (ahead.status_code, ahead.json()["code"]) == (422, "date_in_future")
    mine = await world.api.get("/v1/community-checkins/me", headers=world.member("l5"))
    assert mine.json()["items"] == []
