"""Reading rules: age bands, ISBN check digits, the 健康向上 review, logs and challenge progress."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from qingchun_education.app.reading_commands import ChallengeGoal, ReadingLogCreate
from qingchun_education.domain.reading import (
    Progress,
    ReadingAgeBand,
    ReadingListStatus,
    age_band_of,
    book_key,
    check_distinct_books,
    check_goal,
    check_joinable,
    check_period,
    check_read_on,
    normalized_isbn,
    published,
    reviewed,
)
from qingchun_plumbing.rules import DomainError, InvalidTransition
from qingchun_plumbing.testing.quality import label_problems

LEARNER = "lrn_" + "a" * 24


@pytest.mark.parametrize("enum", [ReadingAgeBand, ReadingListStatus])
def test_every_code_has_a_distinct_chinese_label(enum: type[ReadingAgeBand]) -> None:
    assert label_problems(enum) == []


@pytest.mark.parametrize(
    ("birth", "on", "band"),
    [
        (date(2018, 7, 1), date(2025, 6, 30), ReadingAgeBand.PRESCHOOL),  # 6 until the 7th birthday
        (date(2018, 7, 1), date(2025, 7, 1), ReadingAgeBand.PRIMARY_LOWER),
        (date(2015, 7, 1), date(2025, 7, 1), ReadingAgeBand.PRIMARY_UPPER),
        (date(2012, 7, 1), date(2025, 7, 1), ReadingAgeBand.JUNIOR_MIDDLE),
        (date(2009, 7, 1), date(2025, 7, 1), ReadingAgeBand.SENIOR_HIGH),
        (
            date(2006, 7, 2),
            date(2025, 7, 1),
            ReadingAgeBand.SENIOR_HIGH,
        ),  # 18 the day before the 19th birthday
        (date(2006, 7, 1), date(2025, 7, 1), ReadingAgeBand.ADULT),
    ],
)
def test_age_band_follows_age_in_whole_years(birth: date, on: date, band: ReadingAgeBand) -> None:
    assert age_band_of(birth, on) is band


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("978-7-02-000220-7", "9787020002207"),
        ("7-02-000220-X", "702000220X"),
        ("0 306 40615 2", "0306406152"),
        ("080442957x", "080442957X"),
    ],
)
def test_valid_isbns_are_normalized(raw: str, normal: str) -> None:
    assert normalized_isbn(raw) == normal


@pytest.mark.parametrize("raw", ["978-7-02-000220-8", "0306406153", "X306406152", "12345", "97870200022070"])
def test_wrong_check_digit_or_length_is_refused(raw: str) -> None:
    with pytest.raises(DomainError) as refused:
        normalized_isbn(raw)
    assert (refused.value.code, refused.value.field) == ("invalid_isbn", "isbn")


def test_a_book_is_listed_once() -> None:
    check_distinct_books(["bok_1", "bok_2"])
    with pytest.raises(DomainError) as refused:
        check_distinct_books(["bok_1", "bok_2", "bok_1"])
    assert (refused.value.code, refused.value.field) == ("duplicate_book", "book_ids.2")


def test_a_list_is_published_only_after_review() -> None:
    with pytest.raises(InvalidTransition):
        published(ReadingListStatus.DRAFT)
    assert reviewed(ReadingListStatus.DRAFT) is ReadingListStatus.REVIEWED
    assert published(ReadingListStatus.REVIEWED) is ReadingListStatus.PUBLISHED
    with pytest.raises(InvalidTransition):
        reviewed(ReadingListStatus.PUBLISHED)
    with pytest.raises(InvalidTransition):
        published(ReadingListStatus.PUBLISHED)


def test_reading_today_counts_but_not_tomorrow() -> None:
    check_read_on(date(2025, 7, 1), date(2025, 7, 1))
    with pytest.raises(DomainError) as refused:
        check_read_on(date(2025, 7, 2), date(2025, 7, 1))
    assert (refused.value.code, refused.value.field) == ("read_on_in_future", "read_on")


def test_free_titles_are_the_same_book_whatever_the_case_and_spacing() -> None:
    assert book_key(None, " The  Little Prince") == book_key(None, "the little prince")
    assert book_key("bok_1", None) != book_key("bok_2", None)


@pytest.mark.parametrize(
    ("book_id", "title", "code"), [(None, None, "book_missing"), ("bok_1", "西游记", "book_or_title")]
)
def test_a_log_names_a_catalogue_book_or_a_title(book_id: str | None, title: str | None, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        book_key(book_id, title)
    assert refused.value.code == code


def test_minutes_of_a_log_are_bounded() -> None:
    fields = {"learner_id": LEARNER, "title": "西游记", "read_on": date(2025, 7, 1)}
    assert ReadingLogCreate(**fields, minutes=600).minutes == 600
    for minutes in (0, 601):
        with pytest.raises(ValidationError):
            ReadingLogCreate(**fields, minutes=minutes)


def test_period_may_be_one_day_but_not_reversed_or_over_a_year() -> None:
    check_period(date(2025, 7, 1), date(2025, 7, 1))
    check_period(date(2025, 7, 1), date(2026, 7, 1))  # 366 days, both ends included
    for end, code in ((date(2025, 6, 30), "period_reversed"), (date(2026, 7, 2), "period_too_long")):
        with pytest.raises(DomainError) as refused:
            check_period(date(2025, 7, 1), end)
        assert refused.value.code == code


def test_a_goal_names_books_or_minutes() -> None:
    check_goal(3, None)
    check_goal(None, 600)
    with pytest.raises(DomainError) as refused:
        check_goal(None, None)
    assert refused.value.code == "goal_missing"
    with pytest.raises(ValidationError):
        ChallengeGoal(books=0)


def test_joining_is_open_until_the_last_day_for_the_challenges_age_bands() -> None:
    bands = [ReadingAgeBand.PRIMARY_LOWER, ReadingAgeBand.PRIMARY_UPPER]
    check_joinable(date(2025, 8, 31), date(2025, 8, 31), ReadingAgeBand.PRIMARY_UPPER, bands)
    check_joinable(date(2025, 8, 1), date(2025, 8, 31), ReadingAgeBand.ADULT, [])
    with pytest.raises(InvalidTransition):
        check_joinable(date(2025, 9, 1), date(2025, 8, 31), ReadingAgeBand.PRIMARY_UPPER, bands)
    with pytest.raises(DomainError) as refused:
        check_joinable(date(2025, 8, 1), date(2025, 8, 31), ReadingAgeBand.JUNIOR_MIDDLE, bands)
    assert (refused.value.code, refused.value.field) == ("age_band_mismatch", "learner_id")


def test_progress_is_that_of_the_goal_furthest_from_done() -> None:
    both = Progress(books=2, minutes=900, goal_books=4, goal_minutes=600)
    assert (both.percent, both.completed) == (50, False)
    done = Progress(books=5, minutes=600, goal_books=4, goal_minutes=600)
    assert (done.percent, done.completed) == (100, True)
    minutes_only = Progress(books=0, minutes=599, goal_books=None, goal_minutes=600)
    assert (minutes_only.percent, minutes_only.completed) == (99, False)
