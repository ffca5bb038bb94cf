"""REST API of matching both ways: postings for a seeker, seekers for a posting."""

from __future__ import annotations

from fastapi import APIRouter

from qingchun_plumbing.labels import LabelledEnum

router = APIRouter(prefix="/v1", tags=["matching"])

LABELLED_ENUMS: dict[str, type[LabelledEnum]] = {}
