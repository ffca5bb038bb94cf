"""Periodic work of 社区报到 (the overdue sweep). Scaffold: the 报到 work package fills it in."""

from __future__ import annotations

from qingchun_plumbing.service import PeriodicJob
from qingchun_volunteering.app.context import VolunteeringContext


def jobs(ctx: VolunteeringContext) -> list[PeriodicJob]:
    return []
