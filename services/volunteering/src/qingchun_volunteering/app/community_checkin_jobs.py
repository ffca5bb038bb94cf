"""Periodic work of 社区报到: the overdue sweep, idempotent so any number of replicas may run it."""

from __future__ import annotations

from functools import partial

from qingchun_plumbing.service import PeriodicJob
from qingchun_volunteering.app.community_checkins import sweep_overdue
from qingchun_volunteering.app.context import VolunteeringContext

SWEEP_SECONDS = 60.0


def jobs(ctx: VolunteeringContext) -> list[PeriodicJob]:
    return [PeriodicJob("community_checkin_overdue_sweep", SWEEP_SECONDS, partial(sweep_overdue, ctx))]
