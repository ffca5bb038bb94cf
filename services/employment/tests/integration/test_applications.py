"""Applications (求职申请) on the real store and bus: applying, the employer's steps, the placement."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from employment_harness import Stack
from qingchun_contracts.employment import (
    ApplicationStatusChanged,
    ApplicationSubmitted,
    PlacementConfirmed,
    PostingClosed,
)
from qingchun_employment.app import applications
from qingchun_plumbing.testing.fixtures import EventTap

_phones = itertools.count(13900000001)


@dataclass
class Scene:
    community: str
    employer: str
    posting: str


async def register_seeker(stack: Stack, subject: str, community: str, name: str = "李晓燕") -> str:
    body = {
        "real_name": name,
        "phone": str(next(_phones)),
        "birth_year": 2001,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "graduate",
    }
    response = await stack.employment.post("/v1/seekers", json=body, headers=stack.person(subject))
    assert response.status_code == 201, response.text
    seeker_id: str = response.json()["id"]
    return seeker_id


async def published_posting(stack: Stack, employer: str, community: str, headcount: int = 1) -> str:
    body = {
        "employer_organization_id": employer,
        "title": "纺织车间操作工",
        "category": "manufacturing",
        "kind": "full_time",
        "headcount": headcount,
        "requirements": "身体健康, 能适应倒班",
        "place_organization_id": community,
        "origin_community_id": community,
        "pay_min": 3500,
        "pay_max": 4500,
    }
    created = await stack.employment.post("/v1/postings", json=body, headers=stack.admin())
    assert created.status_code == 201, created.text
    posting_id: str = created.json()["id"]
    for step in ("submit", "publish"):
        moved = await stack.employment.post(f"/v1/postings/{posting_id}:{step}", headers=stack.admin())
        assert moved.status_code == 200, moved.text
    return posting_id


async def scene(stack: Stack, headcount: int = 1) -> Scene:
    community = await stack.community()
    employer = await stack.employer()
    return Scene(community, employer, await published_posting(stack, employer, community, headcount))


async def apply(stack: Stack, posting: str, subject: str, note: str | None = None) -> dict[str, object]:
    body = {"cover_note": note} if note else None
    response = await stack.employment.post(
        f"/v1/postings/{posting}/applications", json=body, headers=stack.person(subject)
    )
    assert response.status_code == 201, response.text
    applied: dict[str, object] = response.json()
    return applied


async def test_a_seeker_applies_once_sharing_contact_with_the_employer(
    stack: Stack, event_tap: EventTap
) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-1", s.community)
    assert not await stack.context.applications.contact_shared(seeker, [s.employer])

    applied = await apply(stack, s.posting, "youth-1", "有两年纺织车间经验")
    assert (applied["status"], applied["status_label"], applied["seeker_id"]) == ("applied", "已申请", seeker)
    assert (applied["contact_shared"], applied["via_referral"]) == (True, False)
    assert await stack.context.applications.contact_shared(seeker, [s.employer])
    submitted = await event_tap.wait_for(ApplicationSubmitted.event_type)
    assert submitted.data == {
        "application_id": applied["id"],
        "posting_id": s.posting,
        "seeker_id": seeker,
        "via_referral": False,
    }

    again = await stack.employment.post(
        f"/v1/postings/{s.posting}/applications", headers=stack.person("youth-1")
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_applied")
    employer_staff = stack.staff(s.employer, "org_admin")
    listed = await stack.employment.get(f"/v1/postings/{s.posting}/applications", headers=employer_staff)
    assert [(i["seeker_id"], i["status"]) for i in listed.json()["items"]] == [(seeker, "applied")]


async def test_only_a_registered_seeker_applies(stack: Stack) -> None:
    s = await scene(stack)
    response = await stack.employment.post(
        f"/v1/postings/{s.posting}/applications", headers=stack.person("nobody")
    )
    assert (response.status_code, response.json()["code"]) == (422, "not_registered")


async def test_a_withdrawn_posting_takes_no_application_and_nothing_is_written(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-2", s.community)
    withdrawn = await stack.employment.post(f"/v1/postings/{s.posting}:withdraw", headers=stack.admin())
    assert withdrawn.status_code == 200, withdrawn.text

    refused = await stack.employment.post(
        f"/v1/postings/{s.posting}/applications", headers=stack.person("youth-2")
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "posting_closed")
    mine = await stack.employment.get(f"/v1/seekers/{seeker}/applications", headers=stack.person("youth-2"))
    assert mine.json()["items"] == []
    assert not await stack.context.applications.contact_shared(seeker, [s.employer])


async def test_the_full_path_to_hired_places_the_seeker_and_fills_the_posting(
    stack: Stack, event_tap: EventTap
) -> None:
    s = await scene(stack, headcount=1)
    seeker = await register_seeker(stack, "youth-3", s.community, name="王建国")
    applied = await apply(stack, s.posting, "youth-3")
    employer_staff = stack.staff(s.employer, "org_admin")
    for step, status in [("review", "reviewed"), ("invite", "interview"), ("offer", "offered")]:
        moved = await stack.employment.post(
            f"/v1/applications/{applied['id']}:{step}", headers=employer_staff
        )
        assert (moved.status_code, moved.json()["status"]) == (200, status), moved.text

    hired = await stack.employment.post(f"/v1/applications/{applied['id']}:hire", headers=employer_staff)
    assert (hired.status_code, hired.json()["status_label"]) == (200, "已入职"), hired.text
    assert [h["status"] for h in hired.json()["history"]] == [
        "applied",
        "reviewed",
        "interview",
        "offered",
        "hired",
    ]
    placed = await event_tap.wait_for(PlacementConfirmed.event_type)
    today = applications.local_today(stack.context).isoformat()
    assert placed.data == {
        "application_id": applied["id"],
        "posting_id": s.posting,
        "seeker_id": seeker,
        "subject_id": "youth-3",
        "employer_organization_id": s.employer,
        "posting_kind": "full_time",
        "started_on": today,
    }
    closed = await event_tap.wait_for(PostingClosed.event_type, lambda e: e.data["posting_id"] == s.posting)
    assert (closed.data["reason_code"], closed.data["hired"]) == ("filled", 1)
    posting = await stack.context.postings.posting(s.posting)
    assert posting is not None
    assert (posting["status"], posting["hired"]) == ("filled", 1)
    profile = await stack.context.seekers.seeker(seeker)
    assert profile is not None
    assert profile["status"] == "employed"
    await event_tap.wait_for(ApplicationStatusChanged.event_type, lambda e: e.data["status"] == "hired")
    statuses = [e.data["status"] for e in event_tap.of_type(ApplicationStatusChanged.event_type)]
    assert statuses == ["reviewed", "interview", "offered", "hired"]
    for envelope in event_tap.received:  # ids only: no name, no phone
        raw = envelope.model_dump_json()
        assert "王建国" not in raw
        assert profile["phone"] not in raw


async def test_steps_out_of_order_are_refused_and_change_nothing(stack: Stack) -> None:
    s = await scene(stack)
    await register_seeker(stack, "youth-4", s.community)
    applied = await apply(stack, s.posting, "youth-4")
    employer_staff = stack.staff(s.employer, "org_admin")
    for step in ("invite", "offer", "hire"):
        refused = await stack.employment.post(
            f"/v1/applications/{applied['id']}:{step}", headers=employer_staff
        )
        assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")
    rejected = await stack.employment.post(f"/v1/applications/{applied['id']}:reject", headers=employer_staff)
    assert rejected.json()["status"] == "rejected"
    late = await stack.employment.post(
        f"/v1/applications/{applied['id']}:withdraw", headers=stack.person("youth-4")
    )
    assert (late.status_code, late.json()["code"]) == (409, "invalid_transition")
    stored = await stack.context.applications.application(str(applied["id"]))
    assert stored is not None
    assert (stored["status"], stored["version"]) == ("rejected", 2)


async def test_only_the_applicant_withdraws_and_only_employer_staff_move_it_on(stack: Stack) -> None:
    s = await scene(stack)
    await register_seeker(stack, "youth-5", s.community)
    await register_seeker(stack, "youth-6", s.community)
    applied = await apply(stack, s.posting, "youth-5")
    url = f"/v1/applications/{applied['id']}"

    other = await stack.employment.post(f"{url}:withdraw", headers=stack.person("youth-6"))
    assert (other.status_code, other.json()["code"]) == (403, "not_your_application")
    own_review = await stack.employment.post(f"{url}:review", headers=stack.person("youth-5"))
    assert own_review.status_code == 403
    stranger_employer = await stack.employer("孝感市华丰食品有限公司")
    foreign = await stack.employment.post(
        f"{url}:review", headers=stack.staff(stranger_employer, "org_admin")
    )
    assert foreign.status_code == 403
    peek = await stack.employment.get(url, headers=stack.person("youth-6"))
    assert peek.status_code == 404

    withdrawn = await stack.employment.post(f"{url}:withdraw", headers=stack.person("youth-5"))
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")


async def test_who_reads_an_application(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-7", s.community)
    applied = await apply(stack, s.posting, "youth-7")
    url = f"/v1/applications/{applied['id']}"
    elsewhere = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    readers = {
        "seeker": stack.person("youth-7"),
        "employer": stack.staff(s.employer, "org_admin"),
        "home community": stack.staff(s.community),
        "other community": stack.staff(elsewhere),
    }
    codes = {who: (await stack.employment.get(url, headers=h)).status_code for who, h in readers.items()}
    assert codes == {"seeker": 200, "employer": 200, "home community": 200, "other community": 404}

    batch = await stack.employment.get(
        f"/v1/applications?ids={applied['id']},apl_missing", headers=readers["seeker"]
    )
    assert [i["id"] for i in batch.json()["items"]] == [applied["id"]]
    hidden = await stack.employment.get(
        f"/v1/applications?ids={applied['id']}", headers=readers["other community"]
    )
    assert hidden.json()["items"] == []
    of_seeker = await stack.employment.get(
        f"/v1/seekers/{seeker}/applications", headers=readers["other community"]
    )
    assert of_seeker.status_code == 403
    by_staff = await stack.employment.get(
        f"/v1/seekers/{seeker}/applications", headers=readers["home community"]
    )
    assert [i["id"] for i in by_staff.json()["items"]] == [applied["id"]]
    not_employer = await stack.employment.get(
        f"/v1/postings/{s.posting}/applications", headers=stack.person("youth-7")
    )
    assert not_employer.status_code == 403


async def test_applications_of_a_posting_page_in_order(stack: Stack) -> None:
    s = await scene(stack, headcount=3)
    for n in range(3):
        await register_seeker(stack, f"page-{n}", s.community)
        await apply(stack, s.posting, f"page-{n}")
    headers = stack.staff(s.employer, "org_admin")
    first = await stack.employment.get(f"/v1/postings/{s.posting}/applications?limit=2", headers=headers)
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    rest = await stack.employment.get(
        f"/v1/applications?posting_id={s.posting}&limit=2&cursor={cursor}", headers=headers
    )
    ids = [i["id"] for i in first.json()["items"] + rest.json()["items"]]
    assert (len(ids), ids == sorted(ids), rest.json()["next_cursor"]) == (3, True, None)


async def test_a_hire_interrupted_before_its_follow_ups_is_finished_once(stack: Stack) -> None:
    s = await scene(stack, headcount=2)
    seeker = await register_seeker(stack, "youth-8", s.community)
    applied = await apply(stack, s.posting, "youth-8")
    stored = await stack.context.applications.application(str(applied["id"]))
    assert stored is not None
    # What a crash right after the hire's write leaves: hired, the placement stored, nothing counted.
    await stack.context.applications.update(stored, {"status": "hired", "hire_recorded": False}, [])

    assert await applications.repair_hires(stack.context) == 1
    assert await applications.repair_hires(stack.context) == 0
    posting = await stack.context.postings.posting(s.posting)
    profile = await stack.context.seekers.seeker(seeker)
    assert posting is not None
    assert profile is not None
    assert (posting["hired"], posting["status"], profile["status"]) == (1, "published", "employed")
    again = await stack.employment.post(
        f"/v1/applications/{applied['id']}:hire", headers=stack.staff(s.employer, "org_admin")
    )
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


async def test_calling_hire_again_finishes_interrupted_follow_ups(stack: Stack) -> None:
    s = await scene(stack, headcount=1)
    seeker = await register_seeker(stack, "youth-9", s.community)
    applied = await apply(stack, s.posting, "youth-9")
    stored = await stack.context.applications.application(str(applied["id"]))
    assert stored is not None
    await stack.context.applications.update(stored, {"status": "hired", "hire_recorded": False}, [])

    retried = await stack.employment.post(
        f"/v1/applications/{applied['id']}:hire", headers=stack.staff(s.employer, "org_admin")
    )
    assert (retried.status_code, retried.json()["status"]) == (200, "hired")
    posting = await stack.context.postings.posting(s.posting)
    profile = await stack.context.seekers.seeker(seeker)
    assert posting is not None
    assert profile is not None
    assert (posting["status"], profile["status"]) == ("filled", "employed")
