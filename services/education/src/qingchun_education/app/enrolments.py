"""Enrolment use cases (filled in by its owner)."""

from __future__ import annotations

from qingchun_education.app.context import EducationContext
from qingchun_plumbing.service import PeriodicJob


def jobs(ctx: EducationContext) -> list[PeriodicJob]:
    return []
