"""Ventures (创业项目) and the entrepreneur-star selection (创业明星评选).

"以创业带动就业": a venture counts for the jobs it creates, so its job count is kept as a dated
history (one figure per day it was checked) rather than one overwritten number; the 创业报表 can
then say how many jobs a street's ventures added in any month. A star nomination is made once per
venture and year, and decided once by league staff above the street (district or city).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MAX_JOBS = 100_000
MAX_JOBS_ENTRIES = 240
"""Twenty years of monthly checks: the history stays one bounded document field."""
FIRST_STAR_YEAR = 2000
STREET_TYPES = frozenset({"league_working_committee", "street_office"})
"""街道团工委 and 街道办事处 (registry types): where a venture trades and the 创业报表 is kept."""
VENTURE_COMMUNITY_TYPES = frozenset({"community", "functional_community", "village_committee"})
"""Where in a street a venture may be based: a 社区 or 村 (registry types)."""
INCUBATOR_TYPES = frozenset({"incubator", "entrepreneurship_demo_base"})
"""创业孵化基地 and 创业示范基地 (registry types): who may host a venture."""


class VentureKind(LabelledEnum):
    SELF_EMPLOYED = ("self_employed", "自主创业")
    HOMECOMING = ("homecoming", "返乡创业")


class NominationStatus(LabelledEnum):
    NOMINATED = ("nominated", "已提名")
    SELECTED = ("selected", "当选创业明星")
    DECLINED = ("declined", "未当选")


class NominationAction(LabelledEnum):
    SELECT = ("select", "评为创业明星")
    DECLINE = ("decline", "不予评选")


@dataclass(frozen=True, order=True)
class JobsEntry:
    """The jobs a venture provided as checked on a day (including the founder's own work)."""

    on: date
    jobs: int


def check_started_on(started_on: date, today: date) -> None:
    if started_on > today:
        raise DomainError("in_future", "创业时间不能晚于今天", field="started_on")


def check_street(org_type: str | None) -> None:
    """A venture is counted per street in the 创业报表, so its street must be one (not a community,
    a district or an enterprise), as the registry types it."""
    if org_type not in STREET_TYPES:
        raise DomainError("not_a_street", "须为街道团工委或街道办事处", field="street_organization_id")


def check_community(org_type: str | None, community_chain: Sequence[str], street_id: str) -> None:
    """The community a venture is based in must be a 社区/村 of the venture's street."""
    if org_type not in VENTURE_COMMUNITY_TYPES:
        raise DomainError("not_a_community", "须为社区或村", field="community_organization_id")
    if street_id not in community_chain:
        raise DomainError(
            "community_not_in_street", "该社区不属于所填街道", field="community_organization_id"
        )


def check_incubator(org_type: str | None) -> None:
    if org_type not in INCUBATOR_TYPES:
        raise DomainError(
            "not_an_incubator", "须为创业孵化基地或创业示范基地", field="incubator_organization_id"
        )


def first_history(started_on: date, jobs: int) -> list[JobsEntry]:
    return [JobsEntry(started_on, jobs)]


def with_jobs(
    history: Sequence[JobsEntry], entry: JobsEntry, started_on: date, today: date
) -> list[JobsEntry]:
    """The history with a new check; a second figure for the same day replaces the first."""
    if entry.on > today:
        raise DomainError("in_future", "日期不能晚于今天", field="on")
    if entry.on < started_on:
        raise DomainError("before_start", "日期不能早于创业时间", field="on")
    kept = [e for e in history if e.on != entry.on]
    if len(kept) >= MAX_JOBS_ENTRIES:
        raise DomainError("too_many_entries", f"带动就业记录最多{MAX_JOBS_ENTRIES}条", field="on")
    return sorted([*kept, entry])


def jobs_on(history: Sequence[JobsEntry], day: date) -> int:
    """The jobs as last checked on or before ``day`` (0 before the venture's first figure)."""
    known = [e for e in history if e.on <= day]
    return max(known).jobs if known else 0


def current_jobs(history: Sequence[JobsEntry]) -> int:
    return max(history).jobs if history else 0


def check_star_year(year: int, started_on: date, today: date) -> None:
    """A star is chosen for a year the venture traded in, and not for a year still to come."""
    if year < started_on.year or year > today.year:
        raise DomainError("year_out_of_range", "评选年度须在创业当年至今年之间", field="year")


_DECISIONS = {
    NominationAction.SELECT: NominationStatus.SELECTED,
    NominationAction.DECLINE: NominationStatus.DECLINED,
}


def decide(status: NominationStatus, action: NominationAction) -> NominationStatus:
    if status is not NominationStatus.NOMINATED:
        raise InvalidTransition(f"“{status.label}”的提名不能再“{action.label}”", field="status")
    return _DECISIONS[action]
