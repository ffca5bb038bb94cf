"""Reading (读书计划): the catalogue's age bands and ISBNs, the 健康向上 review of lists, reading
logs and the progress of reading challenges.

Recommended books must be "健康向上" (DOMAIN.md §2.3), so a curated list reaches readers only
after a second staff member reviewed it; a challenge counts what was read inside its period,
each book once however often it was logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qingchun_plumbing.labels import LabelledEnum
from qingchun_plumbing.rules import DomainError, InvalidTransition

MAX_CHALLENGE_DAYS = 366


class ReadingAgeBand(LabelledEnum):
    """Reading age bands of recommendations and challenges (by age in whole years)."""

    PRESCHOOL = ("preschool", "学龄前（0–6岁）")
    PRIMARY_LOWER = ("primary_lower", "小学低年级（7–9岁）")
    PRIMARY_UPPER = ("primary_upper", "小学高年级（10–12岁）")
    JUNIOR_MIDDLE = ("junior_middle", "初中（13–15岁）")
    SENIOR_HIGH = ("senior_high", "高中（16–18岁）")
    ADULT = ("adult", "成人")


# The oldest age (in whole years) of each band; above the last one is an adult.
_BAND_UPPER_AGES = (
    (6, ReadingAgeBand.PRESCHOOL),
    (9, ReadingAgeBand.PRIMARY_LOWER),
    (12, ReadingAgeBand.PRIMARY_UPPER),
    (15, ReadingAgeBand.JUNIOR_MIDDLE),
    (18, ReadingAgeBand.SENIOR_HIGH),
)


class ReadingListStatus(LabelledEnum):
    DRAFT = ("draft", "草稿")
    REVIEWED = ("reviewed", "已审核（健康向上）")
    PUBLISHED = ("published", "已发布")


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_band_of(birth_date: date, on: date) -> ReadingAgeBand:
    age = age_on(birth_date, on)
    return next((band for upper, band in _BAND_UPPER_AGES if age <= upper), ReadingAgeBand.ADULT)


def _isbn10_valid(digits: str) -> bool:
    if not (digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X")):
        return False
    values = [int(c) for c in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
    return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0


def _isbn13_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0


def normalized_isbn(raw: str) -> str:
    """The ISBN without hyphens or spaces, if its check digit is right (ISBN-10 or ISBN-13)."""
    digits = raw.replace("-", "").replace(" ", "").upper()
    valid = (len(digits) == 10 and _isbn10_valid(digits)) or (len(digits) == 13 and _isbn13_valid(digits))
    if not valid:
        raise DomainError("invalid_isbn", "ISBN 校验位不正确（须为有效的 ISBN-10 或 ISBN-13）", field="isbn")
    return digits


def check_distinct_books(book_ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for position, book_id in enumerate(book_ids):
        if book_id in seen:
            raise DomainError("duplicate_book", "同一本书不能在书目中重复列出", field=f"book_ids.{position}")
        seen.add(book_id)


def reviewed(status: ReadingListStatus) -> ReadingListStatus:
    if status is not ReadingListStatus.DRAFT:
        raise InvalidTransition("只有草稿书目可以审核", field="status")
    return ReadingListStatus.REVIEWED


def published(status: ReadingListStatus) -> ReadingListStatus:
    if status is not ReadingListStatus.REVIEWED:
        raise InvalidTransition("书目须经“健康向上”审核后才能发布", field="status")
    return ReadingListStatus.PUBLISHED


def check_read_on(read_on: date, today: date) -> None:
    if read_on > today:
        raise DomainError("read_on_in_future", "阅读日期不能晚于今天", field="read_on")


def book_key(book_id: str | None, title: str | None) -> str:
    """What makes two logs the same book: the catalogue entry, or the free title ignoring case and spacing."""
    if book_id is not None and title is not None:
        raise DomainError("book_or_title", "书目中的图书与自填书名只能填一项", field="title")
    if book_id is not None:
        return f"book:{book_id}"
    if title is None:
        raise DomainError("book_missing", "请选择书目中的图书或填写书名", field="book_id")
    return "title:" + " ".join(title.split()).casefold()


def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise DomainError("period_reversed", "结束日期不能早于开始日期", field="ends_on")
    if (ends_on - starts_on).days + 1 > MAX_CHALLENGE_DAYS:  # both ends are days of the challenge
        raise DomainError("period_too_long", f"挑战期限最长{MAX_CHALLENGE_DAYS}天", field="ends_on")


def check_goal(books: int | None, minutes: int | None) -> None:
    if books is None and minutes is None:
        raise DomainError("goal_missing", "目标须包含读书数量或阅读时长（或两者）", field="goal")


def check_joinable(today: date, ends_on: date, band: ReadingAgeBand, bands: Sequence[ReadingAgeBand]) -> None:
    if today > ends_on:
        raise InvalidTransition("阅读挑战已结束，不能再参加", field="challenge_id")
    if bands and band not in bands:
        raise DomainError("age_band_mismatch", "该读者的年龄段不在本次挑战范围内", field="learner_id")


@dataclass(frozen=True)
class Progress:
    books: int
    minutes: int
    goal_books: int | None
    goal_minutes: int | None

    @property
    def percent(self) -> int:
        """Of the weaker goal: both must be met, so the nearer one does not flatter the total."""
        shares = [
            min(100, 100 * done // goal)
            for done, goal in ((self.books, self.goal_books), (self.minutes, self.goal_minutes))
            if goal is not None
        ]
        return min(shares)

    @property
    def completed(self) -> bool:
        return self.percent == 100
