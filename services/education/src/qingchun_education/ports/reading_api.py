"""REST API of recommended books, reading logs and reading challenges."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["reading"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
