"""Staff referrals (职业介绍): proposed by league staff of the seeker's community, answered by the seeker."""

from __future__ import annotations

from integration.test_applications import apply, published_posting, register_seeker, scene

from employment_harness import Stack
from qingchun_contracts.employment import ApplicationSubmitted
from qingchun_employment.app import applications
from qingchun_plumbing.testing.fixtures import EventTap


async def refer(stack: Stack, seeker: str, posting: str, headers: dict[str, str]) -> dict[str, object]:
    body = {"seeker_id": seeker, "posting_id": posting, "note": "你有纺织经验, 这个岗位离家近"}
    response = await stack.employment.post("/v1/referrals", json=body, headers=headers)
    assert response.status_code == 201, response.text
    referral: dict[str, object] = response.json()
    return referral


async def test_an_accepted_referral_becomes_an_application_sharing_contact(
    stack: Stack, event_tap: EventTap
) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-1", s.community)
    referral = await refer(stack, seeker, s.posting, stack.staff(s.community))
    assert (referral["status"], referral["status_label"], referral["application_id"]) == (
        "proposed",
        "已推荐",
        None,
    )
    assert not await stack.context.applications.contact_shared(seeker, [s.employer])
    employer_view = await stack.employment.get(
        f"/v1/postings/{s.posting}/applications", headers=stack.staff(s.employer, "org_admin")
    )
    assert employer_view.json()["items"] == []

    accepted = await stack.employment.post(
        f"/v1/referrals/{referral['id']}:accept", headers=stack.person("youth-1")
    )
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted"), accepted.text
    application_id = accepted.json()["application_id"]
    assert await stack.context.applications.contact_shared(seeker, [s.employer])
    stored = await stack.context.applications.application(application_id)
    assert stored is not None
    assert (stored["via_referral"], stored["contact_shared"], stored["referral_id"]) == (
        True,
        True,
        referral["id"],
    )
    submitted = await event_tap.wait_for(ApplicationSubmitted.event_type)
    assert (submitted.data["application_id"], submitted.data["via_referral"]) == (application_id, True)

    twice = await stack.employment.post(
        f"/v1/referrals/{referral['id']}:accept", headers=stack.person("youth-1")
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")


async def test_a_seeker_is_referred_to_a_posting_once(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-2", s.community)
    await refer(stack, seeker, s.posting, stack.staff(s.community))
    body = {"seeker_id": seeker, "posting_id": s.posting}
    again = await stack.employment.post("/v1/referrals", json=body, headers=stack.admin())
    assert (again.status_code, again.json()["code"]) == (409, "already_referred")

    other = await published_posting(stack, s.employer, s.community)
    await apply(stack, other, "youth-2")
    applied_first = await stack.employment.post(
        "/v1/referrals", json={"seeker_id": seeker, "posting_id": other}, headers=stack.admin()
    )
    assert (applied_first.status_code, applied_first.json()["code"]) == (409, "already_applied")


async def test_only_league_staff_of_the_seekers_community_refer(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-3", s.community)
    elsewhere = await stack.org("广场街道团工委", "league_working_committee", stack.city_id)
    body = {"seeker_id": seeker, "posting_id": s.posting}
    for headers in (stack.staff(elsewhere), stack.staff(s.employer, "org_admin"), stack.person("youth-3")):
        refused = await stack.employment.post("/v1/referrals", json=body, headers=headers)
        assert refused.status_code == 403, refused.text
    listed = await stack.employment.get(f"/v1/referrals?seeker_id={seeker}", headers=stack.admin())
    assert listed.json()["items"] == []


async def test_a_closed_posting_takes_no_referral(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-4", s.community)
    withdrawn = await stack.employment.post(f"/v1/postings/{s.posting}:withdraw", headers=stack.admin())
    assert withdrawn.status_code == 200, withdrawn.text
    body = {"seeker_id": seeker, "posting_id": s.posting}
    refused = await stack.employment.post("/v1/referrals", json=body, headers=stack.staff(s.community))
    assert (refused.status_code, refused.json()["code"]) == (409, "posting_closed")


async def test_a_declined_referral_reaches_no_employer(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-5", s.community)
    await register_seeker(stack, "youth-6", s.community)
    referral = await refer(stack, seeker, s.posting, stack.staff(s.community))
    url = f"/v1/referrals/{referral['id']}"

    not_theirs = await stack.employment.post(f"{url}:accept", headers=stack.person("youth-6"))
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_your_referral")
    assert (await stack.employment.get(url, headers=stack.person("youth-6"))).status_code == 404
    declined = await stack.employment.post(f"{url}:decline", headers=stack.person("youth-5"))
    assert (declined.status_code, declined.json()["status_label"]) == (200, "已谢绝")
    late = await stack.employment.post(f"{url}:accept", headers=stack.person("youth-5"))
    assert (late.status_code, late.json()["code"]) == (409, "invalid_transition")
    assert await stack.context.applications.application_of(seeker, s.posting) is None
    assert not await stack.context.applications.contact_shared(seeker, [s.employer])


async def test_accepting_again_adopts_the_application_an_interrupted_accept_wrote(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-7", s.community)
    referral = await refer(stack, seeker, s.posting, stack.staff(s.community))
    # What a crash between the two writes of an accept leaves: the application, the referral unanswered.
    caller = type("Seeker", (), {"subject": "youth-7"})()
    posting = await stack.context.posting(s.posting)
    profile = await stack.context.seeker(seeker)
    written = await applications.submit(
        stack.context, caller, posting, profile, cover_note=None, referral_id=str(referral["id"])
    )

    accepted = await stack.employment.post(
        f"/v1/referrals/{referral['id']}:accept", headers=stack.person("youth-7")
    )
    assert (accepted.status_code, accepted.json()["application_id"]) == (200, written["_id"])


async def test_referrals_are_listed_for_the_seeker_and_league_staff_only(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-8", s.community)
    referral = await refer(stack, seeker, s.posting, stack.staff(s.community))
    mine = await stack.employment.get(f"/v1/referrals?seeker_id={seeker}", headers=stack.person("youth-8"))
    assert [r["id"] for r in mine.json()["items"]] == [referral["id"]]
    of_posting = await stack.employment.get(f"/v1/referrals?posting_id={s.posting}", headers=stack.admin())
    assert [r["id"] for r in of_posting.json()["items"]] == [referral["id"]]
    employer = await stack.employment.get(
        f"/v1/referrals?posting_id={s.posting}", headers=stack.staff(s.employer, "org_admin")
    )
    assert employer.status_code == 403
    nothing_named = await stack.employment.get("/v1/referrals", headers=stack.admin())
    assert (nothing_named.status_code, nothing_named.json()["code"]) == (422, "missing")
