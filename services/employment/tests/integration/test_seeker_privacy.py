"""Who reads a job seeker's profile: the seeker, league staff over their community, and an employer's
admin only while the seeker's application there is live; never another employer, by any route."""

from __future__ import annotations

from integration.test_applications import apply, published_posting, register_seeker, scene
from integration.test_referrals import refer

from employment_harness import Stack

NAME = "陈思远"


async def read(stack: Stack, seeker: str, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = await stack.employment.get(f"/v1/seekers/{seeker}", headers=headers)
    body: dict[str, object] = response.json()
    return response.status_code, body


async def act(stack: Stack, application: object, action: str, headers: dict[str, str]) -> None:
    response = await stack.employment.post(f"/v1/applications/{application}:{action}", headers=headers)
    assert response.status_code == 200, response.text


async def test_an_employer_reads_only_the_seekers_who_applied_there(stack: Stack) -> None:
    s = await scene(stack)
    other = await stack.employer("孝感市槐荫物流有限公司")
    other_posting = await published_posting(stack, other, s.community)
    seeker = await register_seeker(stack, "youth-1", s.community, name=NAME)
    mine, theirs = stack.staff(s.employer, "org_admin"), stack.staff(other, "org_admin")

    status, refused = await read(stack, seeker, mine)  # not applied yet: nothing, not even skills
    assert (status, refused["code"], refused["field"]) == (403, "not_your_profile", "seeker_id")
    await apply(stack, s.posting, "youth-1")
    status, seen = await read(stack, seeker, mine)
    assert (status, seen["contact_visible"], seen["real_name"]) == (200, True, NAME)
    assert (seen["category"], seen["birth_year"], seen["consent"]) == (None, None, None)

    status, refused = await read(stack, seeker, theirs)
    assert (status, refused["code"]) == (403, "not_your_profile")
    assert NAME not in str(refused)
    ids = {"ids": seeker}
    for headers in (theirs, mine):  # the batch line carries the category: league staff only
        batch = await stack.employment.get("/v1/seekers", params=ids, headers=headers)
        assert (batch.status_code, batch.json()["code"]) == (403, "role_required")
        listed = await stack.employment.get("/v1/seekers", params={"area_id": s.community}, headers=headers)
        assert (listed.status_code, listed.json()["code"]) == (403, "role_required")
    matches = await stack.employment.get(f"/v1/postings/{other_posting}/matches", headers=theirs)
    assert (matches.status_code, matches.json()["items"]) == (200, [])
    applicants = await stack.employment.get(f"/v1/postings/{other_posting}/applications", headers=theirs)
    assert (applicants.status_code, applicants.json()["items"]) == (200, [])
    wrong_posting = await stack.employment.get(f"/v1/postings/{s.posting}/applications", headers=theirs)
    assert (wrong_posting.status_code, wrong_posting.json()["code"]) == (403, "out_of_scope")
    services = await stack.employment.get(f"/v1/seekers/{seeker}/services", headers=mine)
    assert (services.status_code, services.json()["code"]) == (403, "not_your_profile")


async def test_league_staff_of_another_area_and_a_mixed_token_see_only_their_own(stack: Stack) -> None:
    s = await scene(stack)
    elsewhere = await stack.community("城东社区", "广场街道团工委")
    here, away = (
        await register_seeker(stack, "youth-2", s.community),
        await register_seeker(stack, "youth-3", elsewhere),
    )
    other_staff = stack.staff(elsewhere)
    assert (await read(stack, here, other_staff))[0] == 403
    batch = await stack.employment.get("/v1/seekers", params={"ids": f"{here},{away}"}, headers=other_staff)
    assert [i["id"] for i in batch.json()["items"]] == [away]
    listed = await stack.employment.get("/v1/seekers", params={"area_id": s.community}, headers=other_staff)
    assert (listed.status_code, listed.json()["code"]) == (403, "out_of_scope")


async def test_the_contact_stops_once_the_application_is_withdrawn_or_turned_down(stack: Stack) -> None:
    s = await scene(stack, headcount=3)
    employer = stack.staff(s.employer, "org_admin")
    withdrawing = await register_seeker(stack, "youth-4", s.community)
    turned_down = await register_seeker(stack, "youth-5", s.community)
    hired = await register_seeker(stack, "youth-6", s.community)
    applied = {who: (await apply(stack, s.posting, who))["id"] for who in ("youth-4", "youth-5", "youth-6")}
    for seeker in (withdrawing, turned_down, hired):
        assert (await read(stack, seeker, employer))[1]["contact_visible"] is True

    await act(stack, applied["youth-4"], "withdraw", stack.person("youth-4"))
    await act(stack, applied["youth-5"], "reject", employer)
    for action in ("review", "invite", "offer", "hire"):
        await act(stack, applied["youth-6"], action, employer)

    for seeker in (withdrawing, turned_down):
        status, refused = await read(stack, seeker, employer)
        assert (status, refused["code"]) == (403, "not_your_profile")
    assert (await read(stack, hired, employer))[1]["contact_visible"] is True  # now works there
    stored = await stack.context.applications.application(str(applied["youth-4"]))
    assert stored is not None
    assert stored["contact_shared"] is False
    # The staff of the seeker's community still see everything.
    assert (await read(stack, withdrawing, stack.staff(s.community)))[1]["phone"] is not None


async def test_a_referral_reaches_the_employer_only_once_accepted(stack: Stack) -> None:
    s = await scene(stack)
    seeker = await register_seeker(stack, "youth-7", s.community)
    employer = stack.staff(s.employer, "org_admin")
    referral = await refer(stack, seeker, s.posting, stack.staff(s.community))
    assert (await read(stack, seeker, employer))[0] == 403  # proposed: not yet the seeker's choice
    accepted = await stack.employment.post(
        f"/v1/referrals/{referral['id']}:accept", headers=stack.person("youth-7")
    )
    assert accepted.status_code == 200, accepted.text
    assert (await read(stack, seeker, employer))[1]["contact_visible"] is True
    await act(stack, accepted.json()["application_id"], "withdraw", stack.person("youth-7"))
    assert (await read(stack, seeker, employer))[0] == 403
