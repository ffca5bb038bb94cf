"""Posting use cases (filled in by its owner)."""

from __future__ import annotations

from qingchun_contracts import Envelope
from qingchun_employment.app.context import EmploymentContext
from qingchun_plumbing.service import PeriodicJob


def jobs(ctx: EmploymentContext) -> list[PeriodicJob]:
    return []


async def close_postings_of(ctx: EmploymentContext, org_id: str, envelope: Envelope) -> None:
    """The registry deactivated an employer: its open postings close (once per event)."""
