"""REST API of badges (雏鹰争章): definitions and awards."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["badges"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
