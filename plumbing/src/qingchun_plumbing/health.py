"""Liveness and readiness endpoints, the same in every service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the store and the bus answer")
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    try:
        await runtime.db.command("ping")
        checks["mongo"] = "ok"
    except Exception as exc:  # any store failure means "not ready", reported by type only
        checks["mongo"] = type(exc).__name__
    checks["bus"] = "ok" if runtime.bus.connected else "disconnected"
    backlog, _ = await runtime.relay.backlog() if checks["mongo"] == "ok" else (None, None)
    checks["outbox_backlog"] = backlog
    ready = checks["mongo"] == "ok" and checks["bus"] == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status_code=200 if ready else 503
    )
