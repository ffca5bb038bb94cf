"""Subscriptions over a real WebSocket (graphql-transport-ws), fed by the real broker: each
subscriber gets what its rule lets through and nothing else. "Nothing else" is proven by order:
the hub fans events out in arrival order, so when a subscriber's first event is its own, every
event before it (someone else's) was held back."""

from __future__ import annotations

import pytest
import websockets

from gateway_harness import GatewayStack, LiveGateway

SIGN_UP = "mutation ($shift: ID!) { signUpForShift(shiftId: $shift) { myStatus } }"
CANCEL = "mutation ($shift: ID!, $v: ID!) { cancelSignup(shiftId: $shift, volunteerId: $v) { free } }"
MY_SIGNUPS = "subscription { mySignupUpdates { kind { code label } shiftId shift { id capacity free } } }"
PUBLISHED = """
subscription ($org: ID) { activityPublished(organizationId: $org) { title host { name } } }
"""
MATCHING = "subscription { postingsMatchingMe { title category { code } employer { name } } }"


async def test_a_waitlisted_volunteer_hears_of_the_promotion_and_no_one_else_does(
    stack: GatewayStack, live: LiveGateway
) -> None:
    community = await stack.community("文昌阁社区")
    shift = await stack.first_shift(await stack.activity(community, capacity=1))
    first = await stack.volunteer("yc-01")
    for subject in ("yc-02", "yc-03"):
        await stack.volunteer(subject)
    signed = await stack.query(SIGN_UP, {"shift": shift}, stack.headers("volunteer", subject="yc-01"))
    assert "errors" not in signed, signed

    waiting = stack.isolation.token("volunteer", subject="yc-02")
    bystander = stack.isolation.token("volunteer", subject="yc-03")
    async with (
        live.subscribe(MY_SIGNUPS, waiting) as promoted,
        live.subscribe(MY_SIGNUPS, bystander) as other,
    ):
        await live.subscribers(2)
        queued = await stack.query(SIGN_UP, {"shift": shift}, stack.headers("volunteer", subject="yc-02"))
        assert queued["data"]["signUpForShift"]["myStatus"] == "waitlisted"
        assert (await promoted.next())["data"]["mySignupUpdates"]["kind"]["code"] == "waitlisted"

        cancelled = await stack.query(
            CANCEL, {"shift": shift, "v": first}, stack.headers("volunteer", subject="yc-01")
        )
        assert "errors" not in cancelled, cancelled
        heard = await promoted.next()
        assert heard == {
            "data": {
                "mySignupUpdates": {
                    "kind": {"code": "promoted", "label": "候补转正"},
                    "shiftId": shift,
                    "shift": {"id": shift, "capacity": 1, "free": 0},
                }
            }
        }
        # yc-03 joins the (again full) shift: its first event must be its own waitlisting, so none of
        # yc-01's and yc-02's events reached it.
        joined = await stack.query(SIGN_UP, {"shift": shift}, stack.headers("volunteer", subject="yc-03"))
        assert joined["data"]["signUpForShift"]["myStatus"] == "waitlisted"
        own = await other.next()
        assert own["data"]["mySignupUpdates"]["kind"]["code"] == "waitlisted"


async def test_staff_follow_new_activities_in_their_own_community_only(
    stack: GatewayStack, live: LiveGateway
) -> None:
    mine = await stack.community("文昌阁社区")
    elsewhere = await stack.community("西湖社区", street="城站街道团工委")
    staff = stack.isolation.token("community_staff", scope=[mine])
    async with live.subscribe(PUBLISHED, staff) as published:
        await live.subscribers(1)
        await stack.activity(elsewhere, title="西湖社区·垃圾分类宣传")
        await stack.activity(mine, title="文昌阁社区·七彩假期")
        heard = await published.next()
    assert heard == {
        "data": {"activityPublished": {"title": "文昌阁社区·七彩假期", "host": {"name": "文昌阁社区"}}}
    }


async def test_following_an_organisation_outside_ones_scope_is_refused_with_the_field(
    stack: GatewayStack, live: LiveGateway
) -> None:
    mine = await stack.community("文昌阁社区")
    elsewhere = await stack.community("西湖社区", street="城站街道团工委")
    staff = stack.isolation.token("community_staff", scope=[mine])
    async with live.subscribe(PUBLISHED, staff, {"org": elsewhere}) as refused:
        answer = await refused.next()
    error = answer["errors"][0]
    assert error["extensions"] == {"code": "out_of_scope", "field": "organizationId"}
    assert live.app.state.hub.subscriber_count == 0


async def test_a_job_seeker_hears_only_of_postings_in_the_categories_they_want(
    stack: GatewayStack, live: LiveGateway
) -> None:
    community = await stack.community("文昌阁社区")
    employer = await stack.org("孝感市金龙纺织有限公司", "enterprise", stack.city_id)
    seeker = {
        "real_name": "李晓燕",
        "phone": "13900000001",
        "birth_year": 2001,
        "consent": {"accepted": True, "version": "2026-01"},
        "residence_community_id": community,
        "category": "graduate",
        "wanted_categories": ["community_service"],
    }
    registered = await stack.services["employment"].post(
        "/v1/seekers", json=seeker, headers=stack.headers("volunteer", subject="js-01")
    )
    assert registered.status_code == 201, registered.text

    async with live.subscribe(MATCHING, stack.isolation.token("volunteer", subject="js-01")) as matching:
        await live.subscribers(1)
        await stack.posting(employer, community, "纺织车间操作工", "manufacturing")
        await stack.posting(employer, community, "社区养老服务专员", "community_service")
        heard = await matching.next()
    assert heard == {
        "data": {
            "postingsMatchingMe": {
                "title": "社区养老服务专员",
                "category": {"code": "community_service"},
                "employer": {"name": "孝感市金龙纺织有限公司"},
            }
        }
    }


@pytest.mark.parametrize("token", [None, "not-a-token"])
async def test_a_websocket_without_a_valid_token_is_closed_before_any_subscription(
    live: LiveGateway, token: str | None
) -> None:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with live.subscribe(MY_SIGNUPS, token):
            pass
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
