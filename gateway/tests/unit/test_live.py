"""The rules of who sees which live event, and the hub's fan-out, without a broker."""

from __future__ import annotations

import asyncio

import pytest

from qingchun_contracts import Envelope
from qingchun_contracts.employment import PostingPublished
from qingchun_contracts.volunteering import ActivityPublished, SignupConfirmed, SignupPromoted
from qingchun_gateway.live import rules
from qingchun_gateway.live.hub import EventHub, SubscriberTooSlow
from qingchun_plumbing.auth import Caller, Role
from qingchun_plumbing.bus import Topology

COMMUNITY, STREET, CITY, OTHER = "org_c", "org_s", "org_city", "org_x"
CHAIN = [COMMUNITY, STREET, CITY]


def caller(*roles: Role, scope: tuple[str, ...] = (), subject: str = "yc-01") -> Caller:
    return Caller(subject, frozenset(roles), frozenset(scope))


def promoted(subject: str) -> Envelope:
    data = SignupPromoted(activity_id="act_1", shift_id="sft_1", volunteer_id="vol_1", subject_id=subject)
    return Envelope.wrap(data, source="/qingchun/volunteering")


def posting(category: str, kind: str = "full_time") -> Envelope:
    data = PostingPublished(
        posting_id="pst_1",
        title="社区养老服务专员",
        employer_organization_id="org_e",
        category=category,
        kind=kind,
        headcount=1,
        expires_at="2027-01-01T00:00:00Z",  # type: ignore[arg-type]
    )
    return Envelope.wrap(data, source="/qingchun/employment")


def test_a_signup_event_reaches_only_the_volunteer_it_is_about() -> None:
    own = rules.signup_change_for(promoted("yc-01"), caller(Role.VOLUNTEER))
    assert own == rules.SignupChange("promoted", "候补转正", "act_1", "sft_1", None)
    assert rules.signup_change_for(promoted("yc-02"), caller(Role.VOLUNTEER)) is None
    assert rules.signup_change_for(promoted("yc-02"), caller(Role.CITY_ADMIN, subject="admin")) is None


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (caller(Role.CITY_ADMIN), True),
        (caller(Role.VOLUNTEER), True),
        (caller(Role.GUARDIAN), True),
        (caller(Role.COMMUNITY_STAFF, scope=(COMMUNITY,)), True),
        (caller(Role.DISTRICT_ADMIN, scope=(STREET,)), True),
        (caller(Role.COMMUNITY_STAFF, scope=(OTHER,)), False),
        (caller(Role.ORG_ADMIN, scope=(OTHER,)), False),
        (caller(Role.MENTOR, scope=(COMMUNITY,)), False),
        (caller(Role.PARTNER, scope=(CITY,)), False),
    ],
)
def test_who_may_follow_activities_under_a_community(who: Caller, allowed: bool) -> None:
    assert rules.may_watch(who, CHAIN) is allowed


def test_staff_watch_their_scope_by_default_and_the_city_admin_everything() -> None:
    assert rules.watched_by_default(caller(Role.COMMUNITY_STAFF, scope=(COMMUNITY,))) == {COMMUNITY}
    assert rules.watched_by_default(caller(Role.CITY_ADMIN)) is None
    assert rules.watched_by_default(caller(Role.VOLUNTEER)) == frozenset()
    assert rules.within(CHAIN, frozenset({STREET}))
    assert not rules.within(CHAIN, frozenset({OTHER}))
    assert rules.within(CHAIN, None)


def test_a_posting_matches_the_seekers_wishes_and_an_empty_wish_is_any() -> None:
    assert rules.posting_matches(posting("community_service"), ["community_service"], [])
    assert not rules.posting_matches(posting("manufacturing"), ["community_service"], [])
    assert not rules.posting_matches(posting("community_service", "part_time"), [], ["full_time"])
    assert rules.posting_matches(posting("manufacturing"), [], [])
    assert not rules.posting_matches(promoted("yc-01"), [], [])


async def test_the_hub_fans_out_by_type_in_order_and_ends_a_subscriber_that_falls_behind() -> None:
    hub = EventHub("amqp://unused", Topology("t_"), rules.LIVE_EVENTS, subscriber_buffer=2)
    async with (
        hub.subscribe(rules.SIGNUP_KINDS) as signups,
        hub.subscribe(rules.POSTING_EVENTS) as postings,
    ):
        assert hub.subscriber_count == 2
        first, second = promoted("yc-01"), promoted("yc-02")
        for envelope in (first, posting("retail"), second):
            hub.fan_out(envelope)
        seen = signups.__aiter__()
        assert [await anext(seen), await anext(seen)] == [first, second]
        for _ in range(3):
            hub.fan_out(posting("retail"))
        flooded = postings.__aiter__()
        assert (await anext(flooded)).data["category"] == "retail"  # the oldest kept one, then the end
        with pytest.raises(SubscriberTooSlow):
            await asyncio.wait_for(anext(flooded), 1)
    assert hub.subscriber_count == 0


async def test_the_hub_refuses_a_subscription_to_an_event_it_does_not_bind() -> None:
    hub = EventHub("amqp://unused", Topology("t_"), rules.POSTING_EVENTS)
    with pytest.raises(ValueError, match="does not listen"):
        async with hub.subscribe({SignupConfirmed.event_type, ActivityPublished.event_type}):
            pass
