"""Employment's and the registry's further mutations through the graph: a real-name job seeker
registers and the employer moves the application on to a hire; a community's creation stage, a
league branch's election and an organisation's deactivation. Each refusal keeps the service's
code and names the input field as the graph spells it."""

from __future__ import annotations

from typing import Any

from graph_answers import refusal

from gateway_harness import GatewayStack

REGISTER_SEEKER = """
mutation ($input: JobSeekerInput!) {
  registerJobSeeker(input: $input) { id realName category { code } status { code } wantedKinds }
}
"""
APPLY = "mutation ($posting: ID!) { applyToPosting(postingId: $posting) { id status { code } } }"
ACT = """
mutation ($id: ID!, $action: ApplicationAction!) {
  actOnApplication(id: $id, action: $action) { id status { code } hiredOn }
}
"""
APPLICANTS = """
query ($posting: ID!) {
  posting(id: $posting) { applications(first: 10) { nodes { seekerId seeker { realName } } } }
}
"""
SEEKER = "query ($id: ID!) { jobSeeker(id: $id) { realName } }"
STAGE = """
mutation ($id: ID!, $stage: String!) {
  changeCommunityStage(organizationId: $id, toStage: $stage) { id community { stage { code } } }
}
"""
ELECT = """
mutation ($id: ID!, $input: ElectionInput!) {
  recordBranchElection(organizationId: $id, input: $input) { id branch { termStart termYears } }
}
"""
DEACTIVATE = """
mutation ($id: ID!, $reason: String!) {
  deactivateOrganization(organizationId: $id, reasonCode: $reason) { status }
}
"""


def seeker_input(community: str) -> dict[str, Any]:
    return {
        "realName": "王小军",
        "phone": "13800001111",
        "birthYear": 2001,
        "residenceCommunityId": community,
        "category": "returnee",
        "consent": {"accepted": True, "version": "2026-01"},
        "wantedCategories": ["manufacturing"],
        "wantedKinds": ["full_time"],
    }


async def test_a_job_seeker_registers_applies_and_the_employer_hires(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    employer = await stack.org("孝感米酒厂", "enterprise", stack.city_id)
    posting = await stack.posting(employer, community, "米酒灌装工", "manufacturing")
    seeker = stack.headers("volunteer", subject="seeker-1")

    bad_phone = refusal(
        await stack.query(
            REGISTER_SEEKER, {"input": seeker_input(community) | {"phone": "123"}}, headers=seeker
        )
    )
    assert (bad_phone["field"], bad_phone["service"]) == ("phone", "employment")
    registered = await stack.query(REGISTER_SEEKER, {"input": seeker_input(community)}, headers=seeker)
    assert "errors" not in registered, registered
    profile = registered["data"]["registerJobSeeker"]
    assert (profile["realName"], profile["category"]["code"], profile["wantedKinds"]) == (
        "王小军",
        "returnee",
        ["full_time"],
    )

    applied = await stack.query(APPLY, {"posting": posting}, headers=seeker)
    application = applied["data"]["applyToPosting"]["id"]
    staff = stack.headers("org_admin", scope=[employer], subject="hr")

    skipped = refusal(await stack.query(ACT, {"id": application, "action": "HIRE"}, headers=staff))
    assert (skipped["code"], skipped["field"]) == ("invalid_transition", "status")
    not_theirs = refusal(await stack.query(ACT, {"id": application, "action": "REVIEW"}, headers=seeker))
    assert not_theirs["status"] == 403
    for step, status in (("REVIEW", "reviewed"), ("INVITE", "interview"), ("OFFER", "offered")):
        moved = await stack.query(ACT, {"id": application, "action": step}, headers=staff)
        assert moved["data"]["actOnApplication"]["status"]["code"] == status, moved
    hired = await stack.query(ACT, {"id": application, "action": "HIRE"}, headers=staff)
    assert hired["data"]["actOnApplication"]["status"]["code"] == "hired", hired
    assert hired["data"]["actOnApplication"]["hiredOn"] is not None

    # The employer reads its applicant (one by one: the seeker batch read is league staff's only);
    # another employer's admin gets nothing of the same applicant.
    applicants = await stack.query(APPLICANTS, {"posting": posting}, headers=staff)
    assert "errors" not in applicants, applicants
    nodes = applicants["data"]["posting"]["applications"]["nodes"]
    assert [n["seeker"]["realName"] for n in nodes] == ["王小军"]
    rival = await stack.org("孝感麻糖厂", "enterprise", stack.city_id)
    prying = await stack.query(
        SEEKER, {"id": nodes[0]["seekerId"]}, headers=stack.headers("org_admin", scope=[rival], subject="hr2")
    )
    assert prying == {"data": {"jobSeeker": None}}


async def test_creation_stage_branch_election_and_deactivation(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    jumped = refusal(await stack.query(STAGE, {"id": community, "stage": "achieved"}))
    assert (jumped["code"], jumped["field"]) == ("invalid_transition", "toStage")
    moved = await stack.query(STAGE, {"id": community, "stage": "surveying"})
    assert moved["data"]["changeCommunityStage"]["community"]["stage"]["code"] == "surveying", moved

    branch = await stack.org("文昌阁社区团支部", "league_branch", community)
    too_long = refusal(
        await stack.query(ELECT, {"id": branch, "input": {"heldOn": "2025-03-01", "termYears": 9}})
    )
    assert too_long["field"] == "termYears"
    elected = await stack.query(ELECT, {"id": branch, "input": {"heldOn": "2025-03-01", "termYears": 3}})
    assert elected["data"]["recordBranchElection"]["branch"] == {"termStart": "2025-03-01", "termYears": 3}, (
        elected
    )

    unknown = refusal(await stack.query(DEACTIVATE, {"id": branch, "reason": "bored"}))
    assert unknown["field"] == "reasonCode"
    with_children = refusal(await stack.query(DEACTIVATE, {"id": community, "reason": "merged"}))
    assert with_children["code"] == "has_active_children"
    gone = await stack.query(DEACTIVATE, {"id": branch, "reason": "merged"})
    assert gone["data"]["deactivateOrganization"]["status"] == "inactive", gone
