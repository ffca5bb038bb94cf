"""Live updates over ``graphql-transport-ws``, fed by the bus through the process's one
:class:`~qingchun_gateway.live.hub.EventHub`. Each subscription passes on only what its rule in
:mod:`qingchun_gateway.live.rules` lets the caller see, then loads what the event points at through
the services with the caller's own token, so a service's refusal still applies."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError

from qingchun_gateway.live import rules
from qingchun_gateway.live.hub import EventHub, SubscriberTooSlow
from qingchun_gateway.schema.auth import AUTHENTICATED
from qingchun_gateway.schema.common import Coded, GatewayInfo
from qingchun_gateway.schema.employment import Posting, to_posting
from qingchun_gateway.schema.volunteering import Activity, Shift, activity, to_shift
from qingchun_gateway.services import ServiceError
from qingchun_plumbing.auth import Caller

MAX_CHAIN = 8
"""Organisation tree depth bound when walking up from an activity's host (the tree has five levels)."""


@strawberry.type(description="报名变动 — a change to one of your own sign-ups.")
class SignupUpdate:
    kind: Coded = strawberry.field(
        description="confirmed 报名成功 / waitlisted 进入候补 / promoted 候补转正 / cancelled 已取消"
    )
    activity_id: strawberry.ID
    shift_id: strawberry.ID
    confirm_by: str | None = strawberry.field(
        default=None, description="确认截止 — when a promotion must be accepted by (confirmation window)."
    )

    @strawberry.field(description="班次 — the shift, as it is now.")
    async def shift(self, info: GatewayInfo) -> Shift | None:
        found = await info.context.loaders.one("shift", self.shift_id)
        return None if found is None else to_shift(found)


def live_error(message: str, code: str, field: str | None = None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": code}
    if field is not None:
        extensions["field"] = field
    return GraphQLError(message, extensions=extensions)


def hub_of(info: GatewayInfo) -> EventHub:
    if info.context.hub is None or not info.context.hub.connected:
        raise live_error(
            "live updates are not available: the gateway has no bus connection", "live_unavailable"
        )
    return info.context.hub


async def chain_of(info: GatewayInfo, org_id: str, known: dict[str, str | None]) -> list[str]:
    """The organisation and those above it, read through the registry loader; ``known`` caches
    parents for the subscription's lifetime (the tree changes rarely, events come often)."""
    chain: list[str] = []
    current: str | None = org_id
    while current is not None and len(chain) < MAX_CHAIN:
        chain.append(current)
        if current not in known:
            found = await info.context.loaders.one("organization", current)
            known[current] = None if found is None else found.get("parent_id")
        current = known[current]
    return chain


async def home_community(info: GatewayInfo) -> frozenset[str]:
    """A volunteer's "my community": the home community on their volunteering profile."""
    try:
        profile = await info.context["volunteering"].get("/v1/volunteers/me")
    except ServiceError as refused:
        if refused.extensions and refused.extensions.get("status") == 404:
            raise live_error("register as a volunteer first", "no_volunteer_profile") from None
        raise
    community = profile.get("home_community_id")
    if not community:
        raise live_error(
            "your profile names no home community: pass organizationId", "no_home_community", "organizationId"
        )
    return frozenset({community})


async def watched_organizations(
    info: GatewayInfo, caller: Caller, given: str | None
) -> frozenset[str] | None:
    if given is not None:
        if not rules.may_watch(caller, await chain_of(info, given, {})):
            raise live_error("this organisation is outside your data scope", "out_of_scope", "organizationId")
        return frozenset({given})
    default = rules.watched_by_default(caller)
    return await home_community(info) if default == frozenset() else default


async def relayed(
    info: GatewayInfo, event_types: frozenset[str], pick: Callable[[Any], Awaitable[Any | None]]
) -> AsyncGenerator[Any, None]:
    """The hub's events of these types, each turned into a value by ``pick`` (None: not for this
    caller), with fresh loaders per event; a subscriber that fell behind ends with a clear error."""
    async with hub_of(info).subscribe(event_types) as events:
        try:
            async for envelope in events:
                info.context.fresh_loaders()
                value = await pick(envelope)
                if value is not None:
                    yield value
        except SubscriberTooSlow as slow:
            raise live_error(str(slow), "subscriber_too_slow") from None


@strawberry.type(
    description="订阅 — live updates pushed over graphql-transport-ws. The token goes in the connection_init "
    "payload (Authorization: Bearer …). The socket is closed 4403 (reason Forbidden) if that token is "
    "refused, and 4403 (reason token_expired, 令牌过期) when its exp passes, with nothing sent after it: "
    "reconnect with a fresh token to resume."
)
class Subscription:
    @strawberry.subscription(
        description="我的报名动态 — your own sign-ups confirmed, waitlisted, promoted from the waitlist or "
        "cancelled, as they happen.",
        permission_classes=AUTHENTICATED,
    )
    async def my_signup_updates(self, info: GatewayInfo) -> AsyncGenerator[SignupUpdate, None]:
        caller = info.context.caller

        async def pick(envelope: Any) -> SignupUpdate | None:
            change = rules.signup_change_for(envelope, caller)
            if change is None:
                return None
            return SignupUpdate(
                kind=Coded(code=change.kind, label=change.label),
                activity_id=strawberry.ID(change.activity_id),
                shift_id=strawberry.ID(change.shift_id),
                confirm_by=change.confirm_by,
            )

        async for update in relayed(info, frozenset(rules.SIGNUP_KINDS), pick):
            yield update

    @strawberry.subscription(
        description="新发布的活动 — activities published under an organisation (a community, street or "
        "committee). Without organizationId: your scope as staff, your home community as a volunteer, "
        "everything as city admin.",
        permission_classes=AUTHENTICATED,
    )
    async def activity_published(
        self, info: GatewayInfo, organization_id: strawberry.ID | None = None
    ) -> AsyncGenerator[Activity, None]:
        caller = info.context.caller
        watched = await watched_organizations(info, caller, organization_id)
        parents: dict[str, str | None] = {}

        async def pick(envelope: Any) -> Activity | None:
            host = envelope.data.get("host_organization_id")
            if not host or not rules.within(await chain_of(info, host, parents), watched):
                return None
            return activity(await info.context.loaders.one("activity", envelope.data["activity_id"]))

        async for published in relayed(info, rules.ACTIVITY_EVENTS, pick):
            yield published

    @strawberry.subscription(
        description="适合我的用工信息 — newly published postings in the categories and kinds your job-seeker "
        "profile asks for.",
        permission_classes=AUTHENTICATED,
    )
    async def postings_matching_me(self, info: GatewayInfo) -> AsyncGenerator[Posting, None]:
        try:
            profile = await info.context["employment"].get("/v1/seekers/me")
        except ServiceError as refused:
            if refused.extensions and refused.extensions.get("status") == 404:
                raise live_error("register as a job seeker first", "no_seeker_profile") from None
            raise
        categories, kinds = profile.get("wanted_categories", []), profile.get("wanted_kinds", [])

        async def pick(envelope: Any) -> Posting | None:
            if not rules.posting_matches(envelope, categories, kinds):
                return None
            found = await info.context.loaders.one("posting", envelope.data["posting_id"])
            return None if found is None else to_posting(found)

        async for posting in relayed(info, rules.POSTING_EVENTS, pick):
            yield posting
