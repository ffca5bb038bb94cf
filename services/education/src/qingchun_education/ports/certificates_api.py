"""REST API of completion certificates (结业证书), with the public verification route."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["certificates"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
