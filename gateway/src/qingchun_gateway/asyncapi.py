"""``GET /asyncapi.json``: the partner event contract (AsyncAPI 3.0), generated from ``contracts`` —
the same document as the committed ``contracts/asyncapi.json``. Public: it describes message shapes,
never data."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter

from qingchun_contracts.asyncapi import build_asyncapi

router = APIRouter()


@cache
def _document() -> dict[str, Any]:
    return build_asyncapi()


@router.get("/asyncapi.json", summary="The partner event contract as AsyncAPI 3.0", tags=["contracts"])
async def asyncapi() -> dict[str, Any]:
    return _document()
