"""Ventures: dated job counts that the report can read back, and one decision per star nomination."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_employment.domain.ventures import (
    MAX_JOBS_ENTRIES,
    JobsEntry,
    NominationAction,
    NominationStatus,
    VentureKind,
    check_community,
    check_incubator,
    check_star_year,
    check_started_on,
    check_street,
    current_jobs,
    decide,
    first_history,
    jobs_on,
    with_jobs,
)
from qingchun_plumbing.rules import DomainError, InvalidTransition

TODAY = date(2026, 9, 15)
STARTED = date(2026, 3, 1)


def refusal(call: object, *args: object) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value.code, raised.value.field


def test_kinds_carry_the_seed_labels() -> None:
    assert VentureKind.labels() == {"self_employed": "自主创业", "homecoming": "返乡创业"}


def test_a_venture_may_have_started_today_but_not_tomorrow() -> None:
    check_started_on(TODAY, TODAY)
    assert refusal(check_started_on, date(2026, 9, 16), TODAY) == ("in_future", "started_on")


def test_the_history_is_kept_in_date_order_and_one_figure_per_day() -> None:
    history = first_history(STARTED, 2)
    history = with_jobs(history, JobsEntry(date(2026, 8, 1), 6), STARTED, TODAY)
    history = with_jobs(history, JobsEntry(date(2026, 5, 1), 4), STARTED, TODAY)
    history = with_jobs(history, JobsEntry(date(2026, 8, 1), 7), STARTED, TODAY)
    assert history == [
        JobsEntry(STARTED, 2),
        JobsEntry(date(2026, 5, 1), 4),
        JobsEntry(date(2026, 8, 1), 7),
    ]
    assert current_jobs(history) == 7


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 9, 16), ("in_future", "on")), (date(2026, 2, 28), ("before_start", "on"))],
)
def test_a_jobs_figure_is_dated_between_the_start_and_today(on: date, expected: tuple[str, str]) -> None:
    assert refusal(with_jobs, first_history(STARTED, 1), JobsEntry(on, 3), STARTED, TODAY) == expected


def test_the_history_is_bounded_but_a_day_already_listed_may_be_corrected() -> None:
    days = [date.fromordinal(STARTED.toordinal() + i) for i in range(MAX_JOBS_ENTRIES)]
    history = [JobsEntry(d, 1) for d in days]
    today = days[-1] + (days[1] - days[0])
    assert refusal(with_jobs, history, JobsEntry(today, 2), STARTED, today) == ("too_many_entries", "on")
    assert with_jobs(history, JobsEntry(days[3], 9), STARTED, today)[3] == JobsEntry(days[3], 9)


def test_jobs_on_a_day_is_the_last_figure_checked_by_then() -> None:
    history = [JobsEntry(STARTED, 2), JobsEntry(date(2026, 5, 1), 4)]
    assert jobs_on(history, date(2026, 2, 1)) == 0
    assert jobs_on(history, STARTED) == 2
    assert jobs_on(history, date(2026, 4, 30)) == 2
    assert jobs_on(history, date(2026, 5, 1)) == 4
    assert current_jobs([]) == 0


def test_a_star_year_lies_between_the_start_and_this_year() -> None:
    check_star_year(2026, STARTED, TODAY)
    check_star_year(2026, date(2024, 1, 1), TODAY)
    check_star_year(2024, date(2024, 1, 1), TODAY)
    for year in (2025, 2027):
        assert refusal(check_star_year, year, STARTED, TODAY) == ("year_out_of_range", "year")


@pytest.mark.parametrize(
    ("action", "outcome"),
    [
        (NominationAction.SELECT, NominationStatus.SELECTED),
        (NominationAction.DECLINE, NominationStatus.DECLINED),
    ],
)
def test_a_nomination_is_decided_once(action: NominationAction, outcome: NominationStatus) -> None:
    assert decide(NominationStatus.NOMINATED, action) is outcome
    for decided in (NominationStatus.SELECTED, NominationStatus.DECLINED):
        with pytest.raises(InvalidTransition) as raised:
            decide(decided, action)
        assert raised.value.code == "invalid_transition"


@pytest.mark.parametrize("org_type", ["league_working_committee", "street_office"])
def test_a_venture_trades_in_a_street(org_type: str) -> None:
    check_street(org_type)


@pytest.mark.parametrize("org_type", ["community", "league_district_committee", "enterprise", None])
def test_anything_but_a_street_is_refused_as_the_street(org_type: str | None) -> None:
    assert refusal(check_street, org_type) == ("not_a_street", "street_organization_id")


def test_the_community_must_be_one_of_the_street() -> None:
    check_community("community", ["c1", "s1", "city"], "s1")
    check_community("village_committee", ["v1", "s1", "city"], "s1")
    assert refusal(check_community, "community", ["c1", "s2", "city"], "s1") == (
        "community_not_in_street",
        "community_organization_id",
    )
    assert refusal(check_community, "enterprise", ["e1", "s1"], "s1") == (
        "not_a_community",
        "community_organization_id",
    )


def test_only_incubators_and_demonstration_bases_host_a_venture() -> None:
    check_incubator("incubator")
    check_incubator("entrepreneurship_demo_base")
    assert refusal(check_incubator, "enterprise") == ("not_an_incubator", "incubator_organization_id")
