"""A subscription's socket ends with its token: closed 4403 ``token_expired`` when ``exp`` passes,
with nothing delivered after it, while a socket with a longer token goes on. Over a real WebSocket
and the real broker: once with a token a few seconds long (the timer closes the socket on time),
once with the gateway's clock moved past an hour-long token (an event arriving then is not sent)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import jwt
import pytest
import websockets

from gateway_harness import GatewayStack, LiveGateway, counting_pool, listening
from qingchun_gateway.live.expiry import TOKEN_EXPIRED_CLOSE, TOKEN_EXPIRED_REASON
from qingchun_gateway.service import create_app
from qingchun_gateway.settings import GatewaySettings

PUBLISHED = "subscription { activityPublished { title } }"


class Clock:
    """The gateway's wall clock, which a test may move forward."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def timed(
    stack: GatewayStack, gateway_settings: GatewaySettings, clock: Clock
) -> AsyncIterator[LiveGateway]:
    """A gateway on a real port whose clock the test holds."""
    app = create_app(gateway_settings, counting_pool(stack.apps, []), clock)
    async with listening(app) as gateway:
        yield gateway


def staff_token(stack: GatewayStack, community: str, ttl: timedelta) -> str:
    return stack.isolation.issuer.issue(roles=["community_staff"], scope_orgs=[community], ttl=ttl)


def expiry_of(token: str) -> float:
    return float(jwt.decode(token, options={"verify_signature": False})["exp"])


async def test_a_socket_is_closed_when_its_token_expires_and_a_longer_one_goes_on(
    stack: GatewayStack, live: LiveGateway
) -> None:
    community = await stack.community("文昌阁社区")
    short = staff_token(stack, community, timedelta(seconds=3))
    async with (
        live.subscribe(PUBLISHED, short) as expiring,
        live.subscribe(PUBLISHED, staff_token(stack, community, timedelta(hours=1))) as lasting,
    ):
        await live.subscribers(2)
        closed = await expiring.closed()
        closed_at = time.time()
        assert closed == (TOKEN_EXPIRED_CLOSE, TOKEN_EXPIRED_REASON)
        assert expiry_of(short) - 0.05 <= closed_at <= expiry_of(short) + 1.0
        await live.subscribers(1)

        await stack.activity(community, title="文昌阁社区·七彩假期")
        assert await lasting.next() == {"data": {"activityPublished": {"title": "文昌阁社区·七彩假期"}}}


async def test_no_event_is_delivered_once_the_token_has_expired(
    stack: GatewayStack, timed: LiveGateway, clock: Clock
) -> None:
    community = await stack.community("文昌阁社区")
    async with (
        timed.subscribe(PUBLISHED, staff_token(stack, community, timedelta(hours=1))) as expiring,
        timed.subscribe(PUBLISHED, staff_token(stack, community, timedelta(hours=8))) as lasting,
    ):
        await timed.subscribers(2)
        await stack.activity(community, title="暑期课业辅导")
        before = {"data": {"activityPublished": {"title": "暑期课业辅导"}}}
        assert await expiring.next() == before
        assert await lasting.next() == before

        clock.ahead = timedelta(hours=2).total_seconds()  # past the first token, not the second
        await stack.activity(community, title="垃圾分类宣传")
        assert await lasting.next() == {"data": {"activityPublished": {"title": "垃圾分类宣传"}}}
        closed = await expiring.closed()
        assert closed == (TOKEN_EXPIRED_CLOSE, TOKEN_EXPIRED_REASON)


async def test_a_client_reconnects_with_a_fresh_token_after_the_close(
    stack: GatewayStack, timed: LiveGateway, clock: Clock
) -> None:
    community = await stack.community("文昌阁社区")
    async with timed.subscribe(PUBLISHED, staff_token(stack, community, timedelta(hours=1))) as first:
        await timed.subscribers(1)
        clock.ahead = timedelta(hours=2).total_seconds()
        await stack.activity(community, title="暑期课业辅导")
        assert await first.closed() == (TOKEN_EXPIRED_CLOSE, TOKEN_EXPIRED_REASON)

    fresh = staff_token(stack, community, timedelta(hours=8))
    async with timed.subscribe(PUBLISHED, fresh) as second:
        await timed.subscribers(1)
        await stack.activity(community, title="垃圾分类宣传")
        assert await second.next() == {"data": {"activityPublished": {"title": "垃圾分类宣传"}}}


async def test_a_token_expired_before_connecting_is_refused_at_connection_init(
    stack: GatewayStack, live: LiveGateway
) -> None:
    stale = staff_token(stack, await stack.community("文昌阁社区"), timedelta(seconds=-1))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with live.subscribe(PUBLISHED, stale):
            pass
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (TOKEN_EXPIRED_CLOSE, "Forbidden")


async def test_the_legacy_graphql_ws_protocol_is_refused(live: LiveGateway) -> None:
    """graphql-ws (the older protocol) has no expiry here, so it is not served at all."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with websockets.connect(
            f"ws://{live.address}/graphql", subprotocols=[websockets.Subprotocol("graphql-ws")]
        ) as socket:
            await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
