"""The seeds' story end to end, through the GraphQL gateway only, with every service and the
gateway running as real processes on the real store and broker.

A community is registered under the city's league committee, publishes a 七彩假期 activity, a
15-year-old registers with a guardian who consents, signs up, checks in with the organiser's
rotating code and out again, and the organiser verifies the hours; a 补录 with evidence, approved
by a second organiser, brings the minor to 100 verified hours, so the star level follows
(一星级) and, because education defined a 雏鹰 社区服务章 for 100 hours of verified service, the
learner with the same account earns it automatically. A job seeker registers and applies to a
published posting; a waitlisted volunteer hears of their promotion over a real WebSocket; the
community's monthly report shows the figures the story produced."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from story_harness import Stack, eventually, running

from gateway_harness import LiveSubscription, subscription
from qingchun_plumbing.testing.fixtures import Isolation
from qingchun_volunteering.settings import VolunteeringSettings

ZONE = ZoneInfo(VolunteeringSettings.model_fields["local_timezone"].default)
HUNDRED_HOURS = 100 * 60
DAILY_CAP = 8 * 60  # the platform's default crediting rules: at most 8 hours a local day

CREATE_ORG = "mutation ($input: OrganizationInput!) { createOrganization(input: $input) { id name } }"
CREATE_ACTIVITY = """
mutation ($input: ActivityInput!) {
  createActivity(input: $input) { id status { code } shifts { id capacity } }
}
"""
ACT = "mutation ($id: ID!) { actOnActivity(id: $id, action: PUBLISH) { status { code label } } }"
REGISTER = "mutation ($input: VolunteerInput!) { registerVolunteer(input: $input) { id ageBand { code } } }"
CONSENT = "mutation ($id: ID!) { recordGuardianConsent(volunteerId: $id) { consentRecorded } }"
SIGN_UP = "mutation ($shift: ID!) { signUpForShift(shiftId: $shift) { myStatus } }"
CANCEL = "mutation ($shift: ID!, $v: ID!) { cancelSignup(shiftId: $shift, volunteerId: $v) { free } }"
CODE = "query ($shift: ID!) { checkinCode(shiftId: $shift) { qrText code } }"
CHECK_IN = (
    "mutation ($shift: ID!, $code: String) { checkIn(shiftId: $shift, code: $code) { status { code } } }"
)
CHECK_OUT = """
mutation ($shift: ID!, $v: ID!) {
  checkOut(shiftId: $shift, volunteerId: $v) { status { code } checkedOutAt }
}
"""
VERIFY_ALL = "mutation ($a: ID!) { verifyAllHours(activityId: $a) { verified skipped } }"
RETRO = """
mutation ($input: RetroactiveHoursInput!) { requestRetroactiveHours(input: $input) { id creditedMinutes } }
"""
VERIFY = "mutation ($id: ID!) { verifyHours(entryId: $id) { status { code } secondApproved } }"
STAR = "query ($id: ID!) { volunteer(id: $id) { verifiedMinutes starLevel { code label } } }"
LEARNER = "mutation ($input: LearnerInput!) { registerLearner(input: $input) { id } }"
LEARNER_CONSENT = "mutation ($id: ID!) { recordLearnerConsent(learnerId: $id) { consentRecorded } }"
BADGE = "mutation ($input: BadgeInput!) { createBadge(input: $input) { id code } }"
BADGES = """
query ($id: ID!) {
  learner(id: $id) {
    badges { nodes { badgeCode source { code } badge { name } } }
    badgeProgress { verifiedServiceMinutes }
  }
}
"""
POSTING = "mutation ($input: PostingInput!) { createPosting(input: $input) { id } }"
MODERATE = "mutation ($id: ID!, $a: PostingAction!) { actOnPosting(id: $id, action: $a) { status { code } } }"
SEEKER = "mutation ($input: JobSeekerInput!) { registerJobSeeker(input: $input) { id status { code } } }"
APPLY = "mutation ($p: ID!) { applyToPosting(postingId: $p) { id status { code } posting { title } } }"
UPDATES = "subscription { mySignupUpdates { kind { code } shiftId } }"
REPORT = """
query ($org: ID!, $month: String!) {
  monthlyReport(organizationId: $org, month: $month) { month sections { service figures { key value } } }
}
"""


@pytest.fixture
async def story(isolation: Isolation, tmp_path: Path) -> AsyncIterator[Stack]:
    """The processes, stopped however the test ends."""
    async with running(isolation, tmp_path) as stack:
        yield stack


def no_errors(answer: dict[str, Any]) -> bool:
    return not answer.get("errors")


async def until_known(stack: Stack, document: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """A write naming an organisation the service learns of from the registry's events: retried
    until the event has arrived (the service refuses an organisation it has not heard of)."""
    answer = await eventually(
        lambda: stack.graph(document, variables, token), no_errors, what=f"accepted: {document.strip()[:60]}"
    )
    data: dict[str, Any] = answer["data"]
    return data


async def started(live: LiveSubscription) -> None:
    """A ping answered after the subscribe message means the gateway has taken the subscription in."""
    await live.socket.send(json.dumps({"type": "ping"}))
    while json.loads(await live.socket.recv())["type"] != "pong":
        pass


def figures(report: dict[str, Any], service: str) -> dict[str, Any]:
    section = next(s for s in report["sections"] if s["service"] == service)
    return {f["key"]: f["value"] for f in section["figures"]}


async def test_the_seeds_story_through_the_graph(story: Stack) -> None:
    try:
        await tell(story)
    except Exception:  # re-raised: a failing step shows the processes' logs beside its assertion
        print(story.logs())  # the processes' own words, beside the failing GraphQL answer
        raise


async def tell(story: Stack) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(ZONE).date()
    month = today.strftime("%Y-%m")
    admin = story.token("city_admin", subject="league-admin")

    # 1. the league tree: city committee → street working committee → community ------------------
    city = (
        await story.ok(CREATE_ORG, {"input": {"name": "孝感团市委", "type": "league_city_committee"}}, admin)
    )["createOrganization"]["id"]
    admin = story.token("city_admin", scope=[city], subject="league-admin")
    street_input = {"name": "新华街道团工委", "type": "league_working_committee", "parentId": city}
    street = (await story.ok(CREATE_ORG, {"input": street_input}, admin))["createOrganization"]["id"]
    community_input = {
        "name": "文昌阁社区",
        "type": "community",
        "parentId": street,
        "area": {"city": "孝感市"},
    }
    community = (await story.ok(CREATE_ORG, {"input": community_input}, admin))["createOrganization"]["id"]
    organiser = story.token("community_staff", scope=[community], subject="organiser-1")
    second_approver = story.token("district_admin", scope=[street], subject="organiser-2")

    # 2. education defines the 雏鹰 badge earned by 100 hours of verified service -------------------
    badge_input = {
        "code": "community_service",
        "name": "社区服务章",
        "category": "community_service",
        "criteria": "经核实的社区志愿服务满100小时",
        "ownerOrganizationId": community,
        "rule": {"kind": "verified_service_minutes", "threshold": HUNDRED_HOURS},
    }
    await until_known(story, BADGE, {"input": badge_input}, organiser)

    # 3. a 七彩假期 activity: a shift starting soon, and a one-place shift in two days -------------
    soon = now + timedelta(minutes=10)  # check-in opens 30 minutes before a shift starts
    later = now + timedelta(days=2)
    shifts = [
        {"startsAt": soon.isoformat(), "endsAt": (soon + timedelta(hours=3)).isoformat(), "capacity": 10},
        {"startsAt": later.isoformat(), "endsAt": (later + timedelta(hours=2)).isoformat(), "capacity": 1},
    ]
    activity_input = {
        "title": "七彩假期·暑期课业辅导",
        "hostOrganizationId": community,
        "category": "colourful_holiday",
        "brand": "七彩假期",
        "shifts": [s | {"place": "文昌阁社区青年之家"} for s in shifts],
    }
    created = (await until_known(story, CREATE_ACTIVITY, {"input": activity_input}, organiser))[
        "createActivity"
    ]
    activity = created["id"]
    tutoring, one_place = (s["id"] for s in created["shifts"])
    published = (await story.ok(ACT, {"id": activity}, organiser))["actOnActivity"]
    assert published["status"]["code"] == "published"

    # 4. a 15-year-old registers with a guardian, who consents --------------------------------------
    minor_token = story.token("volunteer", subject="xiaoming")
    guardian = story.token("guardian", subject="xiaoming-mum")
    born = date(today.year - 15, 1, 1).isoformat()
    minor_input = {
        "displayName": "小明",
        "birthDate": born,
        "volunteerType": "youth",
        "homeCommunityId": community,
        "guardianSubjectId": "xiaoming-mum",
    }
    minor = (await story.ok(REGISTER, {"input": minor_input}, minor_token))["registerVolunteer"]
    assert minor["ageBand"]["code"] == "minor"
    refused = await story.graph(SIGN_UP, {"shift": tutoring}, minor_token)
    assert refused["errors"][0]["extensions"]["code"] == "consent_required", refused
    assert (await story.ok(CONSENT, {"id": minor["id"]}, guardian))["recordGuardianConsent"][
        "consentRecorded"
    ]

    # the same account is a learner in education, so verified service counts toward badges
    learner_input = {"displayName": "小明", "birthDate": born, "homeCommunityId": community}
    learner = (
        await story.ok(LEARNER, {"input": learner_input | {"guardianSubjectId": "xiaoming-mum"}}, minor_token)
    )["registerLearner"]["id"]
    await story.ok(LEARNER_CONSENT, {"id": learner}, guardian)

    # 5. sign up, check in with the organiser's rotating code, check out, hours verified -------------
    assert (await story.ok(SIGN_UP, {"shift": tutoring}, minor_token))["signUpForShift"][
        "myStatus"
    ] == "confirmed"
    shown = (await story.ok(CODE, {"shift": tutoring}, organiser))["checkinCode"]
    checked_in = (await story.ok(CHECK_IN, {"shift": tutoring, "code": shown["qrText"]}, minor_token))[
        "checkIn"
    ]
    assert checked_in["status"]["code"] == "attended"
    checked_out = (await story.ok(CHECK_OUT, {"shift": tutoring, "v": minor["id"]}, minor_token))["checkOut"]
    assert checked_out["checkedOutAt"] is not None
    assert (await story.ok(VERIFY_ALL, {"a": activity}, organiser))["verifyAllHours"] == {
        "verified": 1,
        "skipped": 0,
    }

    # 6. a 补录 with evidence for the holiday's earlier days, each approved by a second organiser ------
    claims: list[tuple[date, int]] = [(today - timedelta(days=d), DAILY_CAP) for d in range(12)]
    claims.append((today - timedelta(days=12), HUNDRED_HOURS - 12 * DAILY_CAP))
    for served_on, minutes in claims:
        claim = {
            "volunteerId": minor["id"],
            "hostOrganizationId": community,
            "servedOn": served_on.isoformat(),
            "minutes": minutes,
            "activityTitle": "七彩假期·暑期课业辅导（纸质签到）",
            "activityId": activity,
            "evidence": {"description": "纸质签到表，社区书记签字", "refs": [f"signin-{served_on}.jpg"]},
        }
        entry = (await story.ok(RETRO, {"input": claim}, organiser))["requestRetroactiveHours"]
        assert entry["creditedMinutes"] == minutes
        if served_on == today:  # the requester may not approve their own 补录
            own = await story.graph(VERIFY, {"id": entry["id"]}, organiser)
            assert own["errors"][0]["extensions"]["code"] == "second_approver_required", own
        approved = (await story.ok(VERIFY, {"id": entry["id"]}, second_approver))["verifyHours"]
        assert approved == {"status": {"code": "verified"}, "secondApproved": True}

    # 7. the star level and the badge follow from the events ------------------------------------------
    starred = await eventually(
        lambda: story.ok(STAR, {"id": minor["id"]}, guardian),
        lambda d: d["volunteer"]["starLevel"]["code"] == "1",
        what="one star",
    )
    assert starred["volunteer"] == {
        "verifiedMinutes": HUNDRED_HOURS,
        "starLevel": {"code": "1", "label": "一星级志愿者"},
    }
    badged = await eventually(
        lambda: story.ok(BADGES, {"id": learner}, guardian),
        lambda d: bool(d["learner"]["badges"]["nodes"]),
        what="the 社区服务章",
    )
    assert badged["learner"] == {
        "badges": {
            "nodes": [
                {
                    "badgeCode": "community_service",
                    "source": {"code": "automatic"},
                    "badge": {"name": "社区服务章"},
                }
            ]
        },
        "badgeProgress": {"verifiedServiceMinutes": HUNDRED_HOURS},
    }

    # 8. a job seeker registers and applies to a published posting -----------------------------------
    employer = (
        await story.ok(
            CREATE_ORG, {"input": {"name": "孝感米酒厂", "type": "enterprise", "parentId": city}}, admin
        )
    )["createOrganization"]["id"]
    posting_input = {
        "employerOrganizationId": employer,
        "title": "米酒灌装工",
        "category": "manufacturing",
        "kind": "full_time",
        "headcount": 2,
        "requirements": "身体健康，能适应倒班",
        "placeOrganizationId": community,
        "originCommunityId": community,
    }
    posting = (await until_known(story, POSTING, {"input": posting_input}, admin))["createPosting"]["id"]
    for step in ("SUBMIT", "PUBLISH"):
        await story.ok(MODERATE, {"id": posting, "a": step}, admin)
    seeker_token = story.token("volunteer", subject="wang-xiaojun")
    seeker_input = {
        "realName": "王小军",
        "phone": "13800001111",
        "birthYear": 2001,
        "residenceCommunityId": community,
        "category": "returnee",
        "consent": {"accepted": True, "version": "2026-01"},
        "wantedCategories": ["manufacturing"],
        "wantedKinds": ["full_time"],
    }
    await story.ok(SEEKER, {"input": seeker_input}, seeker_token)
    applied = (await story.ok(APPLY, {"p": posting}, seeker_token))["applyToPosting"]
    assert (applied["status"]["code"], applied["posting"]["title"]) == ("applied", "米酒灌装工")

    # 9. a waitlisted volunteer hears of their promotion over a real WebSocket -----------------------
    first, waiting = (
        story.token("volunteer", subject="yc-first"),
        story.token("volunteer", subject="yc-waiting"),
    )
    ids = {}
    for token, name in ((first, "李华"), (waiting, "张伟")):
        adult = {
            "displayName": name,
            "birthDate": "1998-05-04",
            "volunteerType": "youth",
            "homeCommunityId": community,
        }
        ids[token] = (await story.ok(REGISTER, {"input": adult}, token))["registerVolunteer"]["id"]
    assert (await story.ok(SIGN_UP, {"shift": one_place}, first))["signUpForShift"]["myStatus"] == "confirmed"
    async with subscription(story.gateway_address, UPDATES, waiting) as live:
        await started(live)
        assert (await story.ok(SIGN_UP, {"shift": one_place}, waiting))["signUpForShift"][
            "myStatus"
        ] == "waitlisted"
        heard = await live.next()
        assert heard == {
            "data": {"mySignupUpdates": {"kind": {"code": "waitlisted"}, "shiftId": one_place}}
        }, heard
        await story.ok(CANCEL, {"shift": one_place, "v": ids[first]}, first)
        promoted = await live.next()
        assert promoted == {
            "data": {"mySignupUpdates": {"kind": {"code": "promoted"}, "shiftId": one_place}}
        }, promoted

    # 10. the community's monthly report shows what the story produced ----------------------------------
    report = (await story.ok(REPORT, {"org": community, "month": month}, organiser))["monthlyReport"]
    in_month = [start for start in (soon, later) if start.astimezone(ZONE).strftime("%Y-%m") == month]
    volunteering = figures(report, "volunteering")
    assert volunteering["activities"] == (1 if in_month else 0)
    assert volunteering["sessions"] == len(in_month)
    assert volunteering["participants"] == (1 if soon.astimezone(ZONE).strftime("%Y-%m") == month else 0)
    assert volunteering["verified_minutes"] == sum(m for d, m in claims if d.strftime("%Y-%m") == month)
    assert volunteering["registered_volunteers"] == 3
    assert figures(report, "education")["badges_awarded"] == 1
    employment = figures(report, "employment")
    assert (
        employment["postings_published"],
        employment["applications"],
        employment["seekers_registered"],
    ) == (1, 1, 1)
