"""REST API of real-name job-seeker profiles (青年求职者), their services and referral tasks."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["seekers"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
