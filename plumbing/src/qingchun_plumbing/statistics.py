"""What every service's monthly figures (月报, DOMAIN.md §4.3) share: the query parameters and the
head of the answer, the shape of a breakdown, the organisations a figure is counted over, and
small-cell suppression.

Each service owns the counts of its own records; the gateway gathers them into one report and
the registry freezes it at submission. Keeping the shapes here keeps the four answers alike, so
the gateway reads them the same way and the registry can validate what it is asked to freeze.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, TypedDict

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from qingchun_plumbing.directory import MAX_DEPTH, ORGANIZATIONS
from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.mongo import Database
from qingchun_plumbing.months import MONTH_PATTERN

MonthParam = Annotated[str, Query(pattern=MONTH_PATTERN, description="The month, YYYY-MM (e.g. 2026-11).")]
OrganizationParam = Annotated[
    str,
    Query(
        max_length=40,
        description="A community, street, district or city organisation: it and everything below it.",
    ),
]


class Tally(BaseModel):
    """One row of a breakdown: a code, its Chinese label, and the count (null when withheld)."""

    code: str
    label: str
    count: int | None


class Rate(BaseModel):
    """A share between 0 and 1 with its Chinese label (null when withheld or undefined)."""

    code: str
    label: str
    value: float | None


class MonthlyFiguresOut(BaseModel):
    """Common head of every service's monthly figures."""

    organization_id: str
    month: str
    generated_at: datetime = Field(description="When these figures were counted.")


class MonthlyHead(TypedDict):
    """:class:`MonthlyFiguresOut`'s own fields, as keyword arguments of a service's answer."""

    organization_id: str
    month: str
    generated_at: datetime


@dataclass(frozen=True)
class MonthlyQuery:
    """What every ``GET /v1/statistics/monthly`` asks: an organisation (and all below it), a month."""

    organization_id: str
    month: str

    def head(self) -> MonthlyHead:
        """The head of the answer: what was asked, and when the figures are counted (now)."""
        return MonthlyHead(
            organization_id=self.organization_id, month=self.month, generated_at=datetime.now(UTC)
        )


def monthly_query(organization_id: OrganizationParam, month: MonthParam) -> MonthlyQuery:
    """FastAPI dependency: the query parameters of a monthly-figures route, validated."""
    return MonthlyQuery(organization_id, month)


MonthlyAsk = Annotated[MonthlyQuery, Depends(monthly_query)]


def tallies(counts: Mapping[str, int], enum: type[LabelledEnum], *, zeros: bool = True) -> list[Tally]:
    """A breakdown in the enum's order (zero rows left out when ``zeros`` is false)."""
    return [
        Tally(code=m.value, label=m.label, count=counts.get(m.value, 0))
        for m in enum
        if zeros or counts.get(m.value, 0)
    ]


def named_tallies(counts: Mapping[str, int], names: Mapping[str, str]) -> list[Tally]:
    """A breakdown over free keys (brands, programmes), largest first, then by code."""
    return [
        Tally(code=code, label=names.get(code, code), count=count)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def small_cell(count: int, threshold: int) -> int | None:
    """A count a reader could use to guess who is meant is withheld (None) below ``threshold``."""
    return None if 0 < count < threshold else count


async def subtree_ids(db: Database, org_id: str) -> list[str]:
    """The organisation and everything below it, as the service last heard from the registry
    (its directory read model), level by level on the ``by_parent`` index."""
    found = [org_id]
    frontier = [org_id]
    for _ in range(MAX_DEPTH):
        children = await db[ORGANIZATIONS].find({"parent_id": {"$in": frontier}}, {"_id": 1}).to_list()
        frontier = [c["_id"] for c in children if c["_id"] not in found]
        if not frontier:
            break
        found += frontier
    return found


def count_by(values: Iterable[str | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return counts
