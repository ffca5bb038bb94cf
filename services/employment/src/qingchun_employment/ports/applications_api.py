"""REST API of applications and staff referrals (职业介绍)."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["applications"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
