"""REST API of ventures (创业项目), star nominations, microloans and the 创业报表."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["ventures"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
