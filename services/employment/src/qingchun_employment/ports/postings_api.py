"""REST API of job postings (用工信息): drafting, submission, moderation, reports, closing."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["postings"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
