"""The gateway's web app: ``POST /graphql`` (GraphiQL on ``GET`` in development), health probes.

Run with ``uvicorn --factory qingchun_gateway.service:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from qingchun_gateway import __version__
from qingchun_gateway.context import GatewayContext
from qingchun_gateway.schema.build import build_schema
from qingchun_gateway.services import ServicePool
from qingchun_gateway.settings import GatewaySettings
from qingchun_plumbing.auth import TokenVerifier
from qingchun_plumbing.logs import configure_logging


def create_app(settings: GatewaySettings | None = None, pool: ServicePool | None = None) -> FastAPI:
    """``pool`` replaces the HTTP clients built from settings (tests pass in-process transports)."""
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    services = pool or ServicePool.from_settings(settings)
    verifier = TokenVerifier(settings)

    async def context(request: Request) -> GatewayContext:
        return GatewayContext(services, verifier, request.headers.get("Authorization"))

    graphql = GraphQLRouter(
        build_schema(settings),
        context_getter=context,
        graphql_ide=None if settings.production else "graphiql",
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await services.close()

    app = FastAPI(title="Qingchun gateway (青春 GraphQL)", version=__version__, lifespan=lifespan)
    app.include_router(graphql, prefix="/graphql")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready when every service answers its own health probe."""
        answers = await services.health()
        ready = all(answers.values())
        body = {"status": "ready" if ready else "waiting", "services": answers}
        return JSONResponse(body, status_code=200 if ready else 503)

    return app
