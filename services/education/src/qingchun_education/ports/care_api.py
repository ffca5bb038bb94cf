"""REST API of the restricted care files (帮教档案)."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["care"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
