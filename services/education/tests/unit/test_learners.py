"""Age bands (plumbing) and the learner rules: birth dates, who holds the account, consent."""

from __future__ import annotations

from datetime import date

import pytest

from qingchun_education.domain.learners import check_birth_date, holders, learner_band, needs_consent
from qingchun_plumbing.ages import AgeBand, age_on, band
from qingchun_plumbing.rules import DomainError
from qingchun_plumbing.testing.quality import label_problems


# ages ------------------------------------------------------------------------------------------
def test_age_counts_full_years_only_from_the_birthday() -> None:
    birth = date(2010, 6, 15)
    assert age_on(birth, date(2024, 6, 14)) == 13
    assert age_on(birth, date(2024, 6, 15)) == 14
    assert age_on(birth, birth) == 0


def test_a_leap_day_birthday_counts_on_the_first_of_march() -> None:
    birth = date(2008, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 17
    assert age_on(birth, date(2026, 3, 1)) == 18


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        age_on(date(2020, 1, 2), date(2020, 1, 1))
    assert (refused.value.code, refused.value.field) == ("birth_date_in_future", "birth_date")


@pytest.mark.parametrize(
    ("age", "expected"),
    [(0, AgeBand.CHILD), (13, AgeBand.CHILD), (14, AgeBand.MINOR), (17, AgeBand.MINOR), (18, AgeBand.ADULT)],
)
def test_bands_at_the_default_thresholds(age: int, expected: AgeBand) -> None:
    assert band(age, 14, 18) is expected


def test_a_district_may_set_its_own_thresholds() -> None:
    assert band(15, 16, 20) is AgeBand.CHILD
    assert band(19, 16, 20) is AgeBand.MINOR


@pytest.mark.parametrize(("consent_from", "adult_from"), [(0, 18), (18, 18), (20, 18)])
def test_thresholds_out_of_order_are_refused(consent_from: int, adult_from: int) -> None:
    with pytest.raises(DomainError) as refused:
        band(10, consent_from, adult_from)
    assert refused.value.code == "age_policy_invalid"


def test_age_band_labels_are_chinese() -> None:
    assert label_problems(AgeBand) == []
    assert AgeBand.MINOR.label == "未成年人"


# learners --------------------------------------------------------------------------------------
TODAY = date(2026, 5, 1)


def test_a_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        check_birth_date(date(2026, 5, 2), TODAY)
    assert refused.value.code == "birth_date_in_future"


def test_a_birth_date_over_120_years_ago_is_refused_but_120_is_accepted() -> None:
    check_birth_date(date(1906, 5, 1), TODAY)
    with pytest.raises(DomainError) as refused:
        check_birth_date(date(1905, 4, 30), TODAY)
    assert (refused.value.code, refused.value.field) == ("birth_date_implausible", "birth_date")


def test_the_learner_band_is_the_band_of_their_age_on_the_day() -> None:
    assert learner_band(date(2012, 5, 2), TODAY, 14, 18) is AgeBand.CHILD
    assert learner_band(date(2012, 5, 1), TODAY, 14, 18) is AgeBand.MINOR


def test_only_adults_need_no_consent() -> None:
    assert [needs_consent(b) for b in AgeBand] == [True, True, False]


def test_registering_yourself_makes_the_account_yours() -> None:
    assert holders("s1", False, None, None) == ("s1", [])
    assert holders("s1", False, None, "g1") == ("s1", ["g1"])


def test_registering_a_child_makes_you_the_guardian() -> None:
    assert holders("g1", True, None, None) == (None, ["g1"])
    assert holders("g1", True, "kid", None) == ("kid", ["g1"])


@pytest.mark.parametrize(
    ("for_child", "child", "guardian", "field", "code"),
    [
        (False, None, "s1", "guardian_subject_id", "guardian_invalid"),
        (False, "kid", None, "child_subject_id", "child_account_unexpected"),
        (True, "s1", None, "child_subject_id", "guardian_invalid"),
        (True, None, "g2", "guardian_subject_id", "guardian_implied"),
    ],
)
def test_inconsistent_holders_are_refused(
    for_child: bool, child: str | None, guardian: str | None, field: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        holders("s1", for_child, child, guardian)
    assert (refused.value.field, refused.value.code) == (field, code)
