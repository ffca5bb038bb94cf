"""A subscription's WebSocket lives no longer than the token it was opened with.

The token is checked once, at ``connection_init``; the socket then stays open for as long as the
client likes. So the connection is closed when the token's ``exp`` passes, and nothing at all is
sent on it from that moment: a timer closes it on time, and every outgoing message is checked
against the clock first, so an event that reaches the socket in between is dropped, not delivered.

The close code is 4403, the one graphql-transport-ws recommends (and Strawberry uses) for a token
refused at ``connection_init``; the reason ``token_expired`` tells the two apart. It is also the
code the ``graphql-ws`` client retries after (4401 it treats as final), calling its
``connectionParams`` again: a front end that hands out a fresh token there resubscribes by itself.
The verifier requires ``exp`` (``qingchun_plumbing.auth``), so every accepted socket has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.websockets import WebSocketDisconnect, WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
)

from qingchun_gateway.context import GatewayContext

TOKEN_EXPIRED_CLOSE = 4403
TOKEN_EXPIRED_REASON = "token_expired"


class ExpiringTransportWS(BaseGraphQLTransportWSHandler[GatewayContext, None]):
    """Strawberry's graphql-transport-ws handler, closing the socket when the token expires."""

    _expiry_timer: asyncio.Task[None] | None = None
    _expired = False

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._expiry_timer is None:
            self._expiry_timer = asyncio.create_task(self._close_on_expiry())

    async def _close_on_expiry(self) -> None:
        await asyncio.sleep(max(0.0, self.context.token_seconds_left()))
        with contextlib.suppress(WebSocketDisconnect, WebSocketDisconnected):
            await self._close_expired()  # unless the client left at that very moment

    async def send_message(self, message: Message) -> None:
        """Nothing leaves once the token has expired (checked only after the ack: before it there
        is no verified token, and the ack itself follows its verification)."""
        if self._expired:
            return
        if self.connection_acknowledged and self.context.token_seconds_left() <= 0:
            await self._close_expired()
            return
        await super().send_message(message)

    async def _close_expired(self) -> None:
        if self._expired:
            return
        self._expired = True
        await self.websocket.close(code=TOKEN_EXPIRED_CLOSE, reason=TOKEN_EXPIRED_REASON)

    async def shutdown(self) -> None:
        if self._expiry_timer is not None:
            self._expiry_timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._expiry_timer
        await super().shutdown()
