"""Education's mutations through the graph: a minor registers as a learner naming a guardian, the
guardian consents, staff define a badge (雏鹰争章) with an automatic rule, and a counsellor awards
one by hand; the learner's badges are read back through the graph. Each refusal keeps the
service's code and names the input field as the graph spells it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph_answers import refusal

from gateway_harness import GatewayStack

REGISTER = """
mutation ($input: LearnerInput!) {
  registerLearner(input: $input) { id ageBand { code } consentRecorded personal displayName }
}
"""
CONSENT = "mutation ($id: ID!) { recordLearnerConsent(learnerId: $id) { id consentRecorded } }"
CREATE_BADGE = """
mutation ($input: BadgeInput!) { createBadge(input: $input) { id code name category { code } owner { id } } }
"""
AWARD = """
mutation ($badge: ID!, $learner: ID!) {
  awardBadge(badgeId: $badge, learnerId: $learner, note: "主动整理社区图书角") {
    learnerId badgeCode source { code } badge { name }
  }
}
"""
BADGES = """
query ($id: ID!) {
  learner(id: $id) {
    displayName badges { nodes { badgeCode source { code } } } badgeProgress { verifiedServiceMinutes }
  }
}
"""


async def test_a_minor_learner_with_consent_and_a_badge_defined_and_awarded(stack: GatewayStack) -> None:
    community = await stack.community("文昌阁社区")
    kid = stack.headers("volunteer", subject="kid-edu")
    born = (datetime.now(UTC) - timedelta(days=12 * 365 + 30)).date().isoformat()
    learner_input = {"displayName": "小红", "birthDate": born, "homeCommunityId": community}

    future = learner_input | {"birthDate": (datetime.now(UTC) + timedelta(days=30)).date().isoformat()}
    unborn = refusal(await stack.query(REGISTER, {"input": future}, headers=kid))
    assert (unborn["field"], unborn["service"]) == ("birthDate", "education")

    registered = await stack.query(
        REGISTER, {"input": learner_input | {"guardianSubjectId": "dad-edu"}}, headers=kid
    )
    assert "errors" not in registered, registered
    learner = registered["data"]["registerLearner"]
    assert (learner["consentRecorded"], learner["personal"], learner["displayName"]) == (False, True, "小红")

    not_guardian = refusal(
        await stack.query(
            CONSENT, {"id": learner["id"]}, headers=stack.headers("guardian", subject="someone")
        )
    )
    assert (not_guardian["code"], not_guardian["status"]) == ("not_a_guardian", 403)
    guardian = stack.headers("guardian", subject="dad-edu")
    consented = await stack.query(CONSENT, {"id": learner["id"]}, headers=guardian)
    assert consented["data"]["recordLearnerConsent"] == {"id": learner["id"], "consentRecorded": True}

    badge_input = {
        "code": "community_service",
        "name": "社区服务章",
        "category": "community_service",
        "criteria": "参加社区志愿服务满10小时",
        "ownerOrganizationId": community,
        "rule": {"kind": "verified_service_minutes", "threshold": 600},
    }
    bad_rule = badge_input | {"rule": {"kind": "verified_service_minutes", "threshold": 0}}
    refused = refusal(await stack.query(CREATE_BADGE, {"input": bad_rule}))
    assert (refused["field"], refused["status"]) == ("rule.threshold", 422)
    created = await stack.query(CREATE_BADGE, {"input": badge_input})
    assert "errors" not in created, created
    badge = created["data"]["createBadge"]
    assert (badge["category"]["code"], badge["owner"]["id"]) == ("community_service", community)

    counsellor = stack.headers("mentor", scope=[community], subject="counsellor")
    awarded = await stack.query(AWARD, {"badge": badge["id"], "learner": learner["id"]}, headers=counsellor)
    assert awarded["data"]["awardBadge"] == {
        "learnerId": learner["id"],
        "badgeCode": "community_service",
        "source": {"code": "counsellor"},
        "badge": {"name": "社区服务章"},
    }, awarded
    twice = refusal(
        await stack.query(AWARD, {"badge": badge["id"], "learner": learner["id"]}, headers=counsellor)
    )
    assert (twice["code"], twice["field"]) == ("already_awarded", "learnerId")

    held = await stack.query(BADGES, {"id": learner["id"]}, headers=guardian)
    assert held["data"]["learner"] == {
        "displayName": "小红",
        "badges": {"nodes": [{"badgeCode": "community_service", "source": {"code": "counsellor"}}]},
        "badgeProgress": {"verifiedServiceMinutes": 0},
    }, held
