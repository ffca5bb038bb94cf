"""REST API of enrolments, waitlist offers, attendance and completion."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["enrolments"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
