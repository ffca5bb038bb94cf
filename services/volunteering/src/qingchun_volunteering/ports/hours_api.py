"""REST API of hours (``/v1``). Scaffold: the owning work package fills it in."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1")
LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
