"""REST API of citizen schools (市民学校), their monthly compliance, and the teacher pool."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["schools"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
