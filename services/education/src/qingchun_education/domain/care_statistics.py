"""Care statistics (DOMAIN.md §4.2, §4.3 dashboard 5): aggregates only, small cells suppressed.

Supervisors see how many cases sit in each status and the seeds' rates (改好率, return to school,
辍学/失学 share, 重新犯罪率), never a case. A count below the threshold would let a reader guess who
is meant in a small community, so it is withheld; where a withheld count could be recovered by
subtraction from a published total, more counts of that total are withheld too, and a rate
built on a withheld count is withheld with it. "Recovered" includes the sum of the withheld
parts: a shown total minus its shown parts must leave 0 (the withheld cells are all empty, which
names nobody) or at least the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qingchun_plumbing.labels import LabelledEnum

from .care import DROPOUT_CATEGORIES, OUTCOMES, CaseStatus


class CareFigure(LabelledEnum):
    TOTAL = ("total", "档案总数")
    HELPED = ("helped", "已开展帮教")
    OUTCOME_REACHED = ("outcome_reached", "已有帮教结果")
    IMPROVED = ("improved", "改好人数")
    RETURNED_TO_SCHOOL = ("returned_to_school", "重返校园人数")
    REOFFENDED = ("reoffended", "重新犯罪人数")
    DROPOUT = ("dropout", "辍学/失学人数")


class CareRate(LabelledEnum):
    IMPROVEMENT_RATE = ("improvement_rate", "改好率")
    RETURN_TO_SCHOOL_RATE = ("return_to_school_rate", "重返校园率")
    DROPOUT_SHARE = ("dropout_share", "辍学/失学占比")
    REOFFENDING_RATE = ("reoffending_rate", "重新犯罪率")


RATES: dict[CareRate, tuple[CareFigure, CareFigure]] = {
    CareRate.IMPROVEMENT_RATE: (CareFigure.IMPROVED, CareFigure.OUTCOME_REACHED),
    CareRate.RETURN_TO_SCHOOL_RATE: (CareFigure.RETURNED_TO_SCHOOL, CareFigure.OUTCOME_REACHED),
    CareRate.DROPOUT_SHARE: (CareFigure.DROPOUT, CareFigure.TOTAL),
    CareRate.REOFFENDING_RATE: (CareFigure.REOFFENDED, CareFigure.HELPED),
}
_CLOSED_OR_OUTCOME = (*sorted(OUTCOMES), CaseStatus.CLOSED)


def _status_key(status: CaseStatus) -> str:
    return f"status.{status.value}"


# Published counts that add up: a withheld part of a published sum must not be recoverable.
SUMS: list[tuple[str, list[str]]] = [
    (CareFigure.TOTAL.value, [_status_key(s) for s in CaseStatus]),
    (CareFigure.OUTCOME_REACHED.value, [_status_key(s) for s in _CLOSED_OR_OUTCOME]),
    (CareFigure.HELPED.value, [_status_key(CaseStatus.UNDER_HELP), CareFigure.OUTCOME_REACHED.value]),
]


@dataclass(frozen=True)
class CaseFacts:
    """What statistics need from a case: no person, only codes."""

    status: CaseStatus
    outcome: str | None
    reoffended: bool
    categories: frozenset[str]


@dataclass(frozen=True)
class Cell:
    value: int | float | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class CareStatistics:
    by_status: dict[CaseStatus, Cell]
    figures: dict[CareFigure, Cell]
    rates: dict[CareRate, Cell]


def tally(cases: Iterable[CaseFacts]) -> dict[str, int]:
    """Every count the statistics publish, keyed as in ``SUMS``."""
    counts = dict.fromkeys([*(_status_key(s) for s in CaseStatus), *(f.value for f in CareFigure)], 0)
    for case in cases:
        counts[_status_key(case.status)] += 1
        counts[CareFigure.TOTAL.value] += 1
        reached = case.status in _CLOSED_OR_OUTCOME
        counts[CareFigure.HELPED.value] += reached or case.status is CaseStatus.UNDER_HELP
        counts[CareFigure.OUTCOME_REACHED.value] += reached
        counts[CareFigure.IMPROVED.value] += reached and case.outcome == CaseStatus.IMPROVED.value
        counts[CareFigure.RETURNED_TO_SCHOOL.value] += (
            reached and case.outcome == CaseStatus.RETURNED_TO_SCHOOL.value
        )
        counts[CareFigure.REOFFENDED.value] += case.reoffended
        counts[CareFigure.DROPOUT.value] += bool(case.categories & DROPOUT_CATEGORIES)
    return counts


def _next_withheld(
    counts: Mapping[str, int], hidden: set[str], parts: Sequence[str], threshold: int
) -> str | None:
    """The part to withhold as well when a shown sum minus its shown parts gives a small number."""
    shown = [p for p in parts if p not in hidden]
    residual = sum(counts[p] for p in parts if p in hidden)
    if not shown or residual == 0 or residual >= threshold:
        return None
    return min(shown, key=lambda p: (counts[p], p))


def withheld(
    counts: Mapping[str, int], threshold: int, sums: Sequence[tuple[str, list[str]]] = SUMS
) -> set[str]:
    """Counts below ``threshold``, then what subtraction from a shown sum would give away, until stable."""
    hidden = {key for key, value in counts.items() if value < threshold}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            extra = None if total in hidden else _next_withheld(counts, hidden, parts, threshold)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return hidden


def publish(counts: Mapping[str, int], threshold: int) -> CareStatistics:
    hidden = withheld(counts, threshold)

    def cell(key: str) -> Cell:
        return Cell(None if key in hidden else counts[key])

    def rate(numerator: CareFigure, denominator: CareFigure) -> Cell:
        if {numerator.value, denominator.value} & hidden:
            return Cell(None)
        return Cell(round(counts[numerator.value] / counts[denominator.value], 4))

    return CareStatistics(
        by_status={s: cell(_status_key(s)) for s in CaseStatus},
        figures={f: cell(f.value) for f in CareFigure},
        rates={r: rate(*RATES[r]) for r in CareRate},
    )
