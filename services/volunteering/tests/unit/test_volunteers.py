"""Volunteer ages: full years, age bands, consent, and plausible birth dates."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingchun_volunteering.domain.errors import DomainError
from qingchun_volunteering.domain.volunteers import (
    AgeBand,
    AgePolicy,
    Consent,
    age_band,
    age_on,
    check_birth_date,
    needs_consent,
)

DEFAULT = AgePolicy()
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def anniversary(birth: date, years: int) -> date:
    """The ``years``-th birthday, written independently: 29 Feb falls on 1 Mar in common years."""
    year = birth.year + years
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2010, 6, 15), date(2024, 6, 14), 13),
        (date(2010, 6, 15), date(2024, 6, 15), 14),
        (date(2010, 6, 15), date(2010, 6, 15), 0),
        (date(2008, 2, 29), date(2009, 2, 28), 0),
        (date(2008, 2, 29), date(2009, 3, 1), 1),
        (date(2008, 2, 29), date(2012, 2, 28), 3),
        (date(2008, 2, 29), date(2012, 2, 29), 4),
        (date(2006, 12, 31), date(2024, 12, 31), 18),
        (date(2007, 1, 1), date(2024, 12, 31), 17),
    ],
)
def test_age_on_examples(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@given(birth=dates, days=st.integers(min_value=0, max_value=120 * 366))
def test_age_on_counts_passed_birthdays(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    age = age_on(birth, on)
    assert anniversary(birth, age) <= on < anniversary(birth, age + 1)


@given(birth=dates, days=st.integers(min_value=0, max_value=40_000), later=st.integers(0, 800))
def test_age_never_decreases(birth: date, days: int, later: int) -> None:
    on = birth + timedelta(days=days)
    assert age_on(birth, on) <= age_on(birth, on + timedelta(days=later))


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(DomainError) as excinfo:
        age_on(date(2020, 1, 2), date(2020, 1, 1))
    assert (excinfo.value.code, excinfo.value.field) == ("birth_date_in_future", "birth_date")


@pytest.mark.parametrize(("consent_from", "adult_from"), [(14, 18), (1, 2), (17, 25), (12, 16)])
def test_sensible_policies_validate(consent_from: int, adult_from: int) -> None:
    AgePolicy(consent_from, adult_from).validate()


@pytest.mark.parametrize(
    ("consent_from", "adult_from", "field"),
    [
        (0, 18, "consent_from"),
        (-3, 18, "consent_from"),
        (14, 14, "adult_from"),
        (16, 14, "adult_from"),
        (14, 26, "adult_from"),
    ],
)
def test_bad_policies_are_refused(consent_from: int, adult_from: int, field: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        AgePolicy(consent_from, adult_from).validate()
    assert (excinfo.value.code, excinfo.value.field) == ("age_policy_invalid", field)


def test_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.adult_from = 16  # type: ignore[misc]


def test_age_band_boundaries_with_the_default_policy() -> None:
    birth = date(2010, 3, 10)
    assert age_band(birth, date(2024, 3, 9), DEFAULT) is AgeBand.CHILD
    assert age_band(birth, date(2024, 3, 10), DEFAULT) is AgeBand.MINOR
    assert age_band(birth, date(2028, 3, 9), DEFAULT) is AgeBand.MINOR
    assert age_band(birth, date(2028, 3, 10), DEFAULT) is AgeBand.ADULT


def test_age_band_follows_a_district_policy() -> None:
    birth = date(2010, 3, 10)
    policy = AgePolicy(consent_from=10, adult_from=16)
    assert age_band(birth, date(2020, 3, 9), policy) is AgeBand.CHILD
    assert age_band(birth, date(2024, 3, 10), policy) is AgeBand.MINOR
    assert age_band(birth, date(2026, 3, 10), policy) is AgeBand.ADULT


def test_age_band_refuses_a_bad_policy() -> None:
    with pytest.raises(DomainError, match="成年年龄"):
        age_band(date(2010, 1, 1), date(2024, 1, 1), AgePolicy(consent_from=18, adult_from=14))


policies = st.integers(1, 24).flatmap(lambda c: st.builds(AgePolicy, st.just(c), st.integers(c + 1, 25)))


@given(birth=dates, days=st.integers(0, 40 * 366), policy=policies)
def test_band_matches_the_thresholds(birth: date, days: int, policy: AgePolicy) -> None:
    on = birth + timedelta(days=days)
    age = age_on(birth, on)
    band = age_band(birth, on, policy)
    expected = (
        AgeBand.CHILD
        if age < policy.consent_from
        else AgeBand.MINOR
        if age < policy.adult_from
        else AgeBand.ADULT
    )
    assert band is expected
    assert needs_consent(band) == (age < policy.adult_from)


@given(birth=dates, days=st.integers(0, 40 * 366), later=st.integers(0, 3000), policy=policies)
def test_bands_only_move_towards_adult(birth: date, days: int, later: int, policy: AgePolicy) -> None:
    order = list(AgeBand)
    on = birth + timedelta(days=days)
    earlier = age_band(birth, on, policy)
    assert order.index(earlier) <= order.index(age_band(birth, on + timedelta(days=later), policy))


def test_needs_consent_for_children_and_minors_only() -> None:
    assert {band for band in AgeBand if needs_consent(band)} == {AgeBand.CHILD, AgeBand.MINOR}


def test_consent_records_who_and_when() -> None:
    consent = Consent(guardian_subject_id="subj-guardian-1", recorded_on=date(2024, 7, 1))
    assert consent == Consent("subj-guardian-1", date(2024, 7, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        consent.recorded_on = date(2024, 7, 2)  # type: ignore[misc]


TODAY = date(2025, 3, 10)


@pytest.mark.parametrize("birth", [TODAY, date(2010, 5, 1), date(1925, 3, 10), date(1924, 3, 11)])
def test_plausible_birth_dates_pass(birth: date) -> None:
    check_birth_date(birth, TODAY)


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (TODAY + timedelta(days=1), "birth_date_in_future"),
        (date(2030, 1, 1), "birth_date_in_future"),
        (date(1924, 3, 10), "birth_date_implausible"),
        (date(1900, 1, 1), "birth_date_implausible"),
    ],
)
def test_implausible_birth_dates_name_the_field(birth: date, code: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        check_birth_date(birth, TODAY)
    assert (excinfo.value.code, excinfo.value.field) == (code, "birth_date")


@given(birth=dates, today=dates)
def test_birth_date_check_matches_its_rule(birth: date, today: date) -> None:
    if birth > today:
        expected: str | None = "birth_date_in_future"
    elif today >= anniversary(birth, 101):
        expected = "birth_date_implausible"
    else:
        expected = None
    if expected is None:
        check_birth_date(birth, today)
    else:
        with pytest.raises(DomainError) as excinfo:
            check_birth_date(birth, today)
        assert (excinfo.value.code, excinfo.value.field) == (expected, "birth_date")
