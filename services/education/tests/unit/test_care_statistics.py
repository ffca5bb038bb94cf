"""Care statistics: counts and rates, with every cell below the threshold withheld (edges tested)."""

from __future__ import annotations

import pytest

from qingchun_education.domain.care import CaseStatus
from qingchun_education.domain.care_statistics import (
    SUMS,
    CareFigure,
    CareRate,
    CaseFacts,
    publish,
    tally,
    withheld,
)

S = CaseStatus


def cases(status: CaseStatus, n: int, outcome: str | None = None, **kw: object) -> list[CaseFacts]:
    reoffended = bool(kw.get("reoffended", False))
    categories = frozenset(kw.get("categories", ("poor",)))  # type: ignore[arg-type]
    return [CaseFacts(status, outcome, reoffended, categories) for _ in range(n)]


def test_tally_counts_statuses_outcomes_flags_and_dropout_categories() -> None:
    counts = tally(
        [
            *cases(S.UNDER_HELP, 2, reoffended=True),
            *cases(S.IMPROVED, 3, "improved"),
            *cases(S.CLOSED, 4, "improved"),
            *cases(S.CLOSED, 1, "returned_to_school", categories=("dropped_out", "poor")),
            *cases(S.FILED, 1, categories=("out_of_school",)),
        ]
    )
    assert counts["status.closed"] == 5
    assert (counts["total"], counts["helped"], counts["outcome_reached"]) == (11, 10, 8)
    assert (counts["improved"], counts["returned_to_school"], counts["reoffended"], counts["dropout"]) == (
        7,
        1,
        2,
        2,
    )


@pytest.mark.parametrize(("count", "shown"), [(0, False), (4, False), (5, True), (6, True)])
def test_a_count_is_withheld_below_the_threshold_and_shown_from_it(count: int, shown: bool) -> None:
    others = cases(S.FILED, 20) + cases(S.IMPROVED, 10, "improved")  # no total gives the cell away
    stats = publish(tally(cases(S.UNDER_HELP, count) + others), threshold=5)
    cell = stats.by_status[S.UNDER_HELP]
    assert (cell.value, cell.suppressed) == ((count, False) if shown else (None, True))


def test_a_rate_on_a_withheld_numerator_or_denominator_is_withheld() -> None:
    # 4 improved of 4 with an outcome: numerator and denominator both under 5.
    small = publish(tally(cases(S.IMPROVED, 4, "improved") + cases(S.FILED, 30)), threshold=5)
    assert small.rates[CareRate.IMPROVEMENT_RATE].suppressed
    # 5 improved of 9: both shown, the rate with them.
    outcomes = cases(S.IMPROVED, 5, "improved") + cases(S.EMPLOYED, 4, "employed")
    shown = publish(tally(outcomes + cases(S.UNDER_HELP, 6) + cases(S.FILED, 30)), threshold=5)
    assert shown.rates[CareRate.IMPROVEMENT_RATE].value == round(5 / 9, 4)
    assert shown.figures[CareFigure.OUTCOME_REACHED].value == 9
    # 4 returned to school of 9: the numerator is withheld, so is its rate.
    assert shown.rates[CareRate.RETURN_TO_SCHOOL_RATE].suppressed
    assert shown.figures[CareFigure.RETURNED_TO_SCHOOL].suppressed


def test_a_withheld_count_cannot_be_recovered_from_a_shown_total() -> None:
    # Six cases in every status but three under help: total − the others would give the three.
    facts = [f for s in CaseStatus for f in cases(s, 3 if s is S.UNDER_HELP else 6, s.value)]
    counts = tally(facts)
    hidden = withheld(counts, 5)
    assert "status.under_help" in hidden
    for total, parts in SUMS:
        if total not in hidden and set(parts) & hidden:
            assert sum(counts[p] for p in parts if p in hidden) not in range(1, 5), total
    stats = publish(counts, threshold=5)
    assert stats.figures[CareFigure.TOTAL].value == 51
    assert sum(cell.suppressed for cell in stats.by_status.values()) >= 2


def test_secondary_withholding_follows_the_declared_sums_until_stable() -> None:
    counts = {"t": 20, "a": 2, "b": 8, "c": 10}
    assert withheld(counts, 5, [("t", ["a", "b", "c"])]) == {"a", "b"}
    assert withheld(counts | {"a": 5, "b": 5}, 5, [("t", ["a", "b", "c"])]) == set()
    # The total withheld: nothing to subtract from.
    assert withheld({"t": 4, "a": 2, "b": 2}, 5, [("t", ["a", "b"])]) == {"t", "a", "b"}
    # Two withheld parts that add up to less than the threshold: a third goes too.
    assert withheld({"t": 26, "a": 1, "b": 2, "c": 6, "d": 17}, 5, [("t", ["a", "b", "c", "d"])]) == {
        "a",
        "b",
        "c",
    }


def test_a_zero_is_withheld_but_empty_cells_do_not_hide_their_totals() -> None:
    # Nobody under help: the 0 is withheld, yet helped − outcome_reached = 0 names nobody.
    stats = publish(tally(cases(S.IMPROVED, 9, "improved") + cases(S.FILED, 30)), threshold=5)
    assert stats.by_status[S.UNDER_HELP].suppressed
    assert stats.figures[CareFigure.OUTCOME_REACHED].value == 9
    assert stats.rates[CareRate.IMPROVEMENT_RATE].value == 1.0


def test_no_cases_publish_nothing_but_withheld_cells() -> None:
    stats = publish(tally([]), threshold=5)
    assert all(
        c.suppressed for c in [*stats.by_status.values(), *stats.figures.values(), *stats.rates.values()]
    )


def test_rates_of_a_large_jurisdiction() -> None:
    stats = publish(
        tally(
            cases(S.CLOSED, 17, "improved")
            + cases(S.CLOSED, 6, "returned_to_school", categories=("dropped_out",))
            + cases(S.UNDER_HELP, 10, reoffended=True)
            + cases(S.UNDER_HELP, 7)
        ),
        threshold=5,
    )
    rates = {r: c.value for r, c in stats.rates.items()}
    assert rates == {
        CareRate.IMPROVEMENT_RATE: round(17 / 23, 4),
        CareRate.RETURN_TO_SCHOOL_RATE: round(6 / 23, 4),
        CareRate.DROPOUT_SHARE: round(6 / 40, 4),
        CareRate.REOFFENDING_RATE: round(10 / 40, 4),
    }
