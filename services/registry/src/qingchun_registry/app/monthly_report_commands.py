"""The validated body of a 月报 submission: the community, the month and its figures.

Figures are what the gateway gathered from the four services: per service a flat object of
counts, ISO dates and breakdown rows (code, label, count or rate). Only those shapes, bounded in
number and length, are accepted, so a report can hold counts and public labels and nothing else.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from qingchun_plumbing.fields import Command, OrgId
from qingchun_plumbing.months import MONTH_PATTERN

FigureKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Section = Literal["registry", "volunteering", "education", "employment"]
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$"
IsoMoment = Annotated[str, StringConstraints(pattern=ISO_MOMENT)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class FigureRow(Command):
    """One breakdown row: a code, its label, and a count or a rate (null: withheld or not counted)."""

    code: Label
    label: Label
    count: int | None = Field(default=None, ge=0, le=100_000_000)
    value: float | None = Field(default=None, ge=0, le=100_000_000)


FigureValue = (
    Annotated[int, Field(ge=0, le=1_000_000_000)]
    | Annotated[float, Field(ge=0, le=1_000_000_000)]
    | IsoMoment
    | Annotated[list[FigureRow], Field(max_length=200)]
    | None
)


class MonthlyReportIn(Command):
    community_id: OrgId
    month: Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
    figures: dict[Section, Annotated[dict[FigureKey, FigureValue], Field(max_length=80)]] = Field(
        description="Per service, the month's figures as the gateway gathered them."
    )
