"""``GET /v1/labels``: every code list of a service with its Chinese labels, for front ends."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Response

from qingchun_plumbing.labels import LabelledEnum


def labels_router(enums: Mapping[str, type[LabelledEnum]]) -> APIRouter:
    """A router serving ``enums`` as ``{list name: {code: label}}``, cacheable for an hour."""
    router = APIRouter(prefix="/v1", tags=["reference"])
    body = {name: enum.labels() for name, enum in enums.items()}

    @router.get("/labels", summary="Every code list with its Chinese labels")
    async def labels(response: Response) -> dict[str, dict[str, str]]:
        response.headers["Cache-Control"] = "public, max-age=3600"
        return body

    return router
