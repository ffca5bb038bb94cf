"""The gateway's web app: ``POST /graphql`` (GraphiQL on ``GET`` in development), subscriptions on
``/graphql`` over ``graphql-transport-ws`` (only: the legacy ``graphql-ws`` protocol is refused, 4406,
so no socket escapes the token's expiry), health probes.

Run with ``uvicorn --factory qingchun_gateway.service:create_app``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import orjson
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from qingchun_gateway import __version__
from qingchun_gateway.asyncapi import router as asyncapi_router
from qingchun_gateway.context import GatewayContext
from qingchun_gateway.exports import exports_router
from qingchun_gateway.live.expiry import ExpiringTransportWS
from qingchun_gateway.live.hub import EventHub
from qingchun_gateway.live.rules import LIVE_EVENTS
from qingchun_gateway.schema.build import build_schema
from qingchun_gateway.services import ServicePool
from qingchun_gateway.settings import GatewaySettings
from qingchun_plumbing.auth import TokenVerifier
from qingchun_plumbing.bus import Topology
from qingchun_plumbing.logs import configure_logging
from qingchun_plumbing.observe import observe
from qingchun_plumbing.problems import Unauthorized, install_problem_handlers
from qingchun_plumbing.tracing import telemetry


class GatewayRouter(GraphQLRouter[GatewayContext, None]):
    graphql_transport_ws_handler_class = ExpiringTransportWS

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def on_ws_connect(self, context: GatewayContext) -> dict[str, object] | None:
        """A WebSocket is accepted only with a valid token in ``connection_init`` (closed 4403 else),
        and closed 4403 ``token_expired`` when that token expires (:mod:`~qingchun_gateway.live.expiry`)."""
        try:
            context.caller  # noqa: B018 — verifies the token
        except Unauthorized:
            raise ConnectionRejectionError() from None
        return None


def create_app(
    settings: GatewaySettings | None = None,
    pool: ServicePool | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """``pool`` replaces the HTTP clients built from settings (tests pass in-process transports);
    ``clock`` (epoch seconds) is what a subscription's token expiry is read against (tests move it)."""
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    services = pool or ServicePool.from_settings(settings)
    verifier = TokenVerifier(settings)
    hub = EventHub(
        settings.amqp_url,
        Topology(settings.bus_prefix),
        LIVE_EVENTS,
        subscriber_buffer=settings.subscriber_buffer,
    )

    async def context(connection: HTTPConnection) -> GatewayContext:
        """Per HTTP request, or per WebSocket connection (whose token comes in ``connection_init``)."""
        return GatewayContext(services, verifier, connection.headers.get("Authorization"), hub, clock)

    graphql = GatewayRouter(
        build_schema(settings),
        context_getter=context,
        graphql_ide=None if settings.production else "graphiql",
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        try:
            yield
        finally:
            await hub.close()
            await services.close()

    app = FastAPI(
        title="Qingchun gateway (青春 GraphQL)",
        version=__version__,
        lifespan=lifespan,
        telemetry=telemetry("gateway"),  # a server span per GraphQL request, continued by each service
    )
    install_problem_handlers(app)  # bad export parameters, unknown paths: problem+json, never a trace
    observe(app, "gateway")  # correlation id, latency and error figures, GET /metrics
    app.state.hub = hub
    app.include_router(graphql, prefix="/graphql")
    app.include_router(exports_router(services, verifier))  # 月报 and 台账 spreadsheets
    app.include_router(asyncapi_router)  # GET /asyncapi.json: the partner event contract

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready when every service answers its own health probe and the live feed is connected."""
        answers = await services.health()
        ready = all(answers.values()) and hub.connected
        body = {"status": "ready" if ready else "waiting", "services": answers, "bus": hub.connected}
        return JSONResponse(body, status_code=200 if ready else 503)

    return app
