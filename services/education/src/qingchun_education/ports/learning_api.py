"""REST API of learners, programmes, courses, sessions, enrolments and attendance."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["learning"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
